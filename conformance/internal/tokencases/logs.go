package tokencases

import (
	"bytes"
	"log"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// SyncBuffer is a bytes.Buffer safe for concurrent writers: the log output
// of an Authorizer serving concurrent requests.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// CaptureDefaultLog makes slog.Default (where core logs wiring errors such as
// a guard without the middleware or interceptor) write to a buffer until t
// ends. The standard log package, which slog.SetDefault redirects too, is
// restored as well.
func CaptureDefaultLog(t testing.TB) *SyncBuffer {
	buf := &SyncBuffer{}
	prev, prevOut, prevFlags := slog.Default(), log.Writer(), log.Flags()
	slog.SetDefault(slog.New(slog.NewTextHandler(buf, nil)))
	t.Cleanup(func() {
		slog.SetDefault(prev)
		log.SetOutput(prevOut)
		log.SetFlags(prevFlags)
	})
	return buf
}

// LogLines returns the lines of logs that carry every one of want.
func LogLines(logs string, want ...string) []string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		keep := l != ""
		for _, w := range want {
			keep = keep && strings.Contains(l, w)
		}
		if keep {
			out = append(out, l)
		}
	}
	return out
}
