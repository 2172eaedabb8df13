package core_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// ruleEnv is one issuer with a controllable clock and a quiet logger.
type ruleEnv struct {
	iss   *clerktest.Issuer
	clock *clerktest.Clock
	logs  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var (
	sharedOnce sync.Once
	sharedIss  *clerktest.Issuer
	sharedClk  *clerktest.Clock
)

// newRuleEnv shares one issuer per test binary (RSA key generation is slow)
// but gives every caller a fresh log buffer.
func newRuleEnv(t testing.TB) *ruleEnv {
	t.Helper()
	sharedOnce.Do(func() {
		sharedClk = clerktest.NewClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
		var err error
		sharedIss, err = clerktest.NewIssuer(clerktest.WithClock(sharedClk.Now))
		if err != nil {
			panic(err)
		}
	})
	return &ruleEnv{iss: sharedIss, clock: sharedClk, logs: &syncBuffer{}}
}

// authorizer builds an Authorizer trusting the issuer through its PEM key
// (networkless) unless opts give another key source.
func (e *ruleEnv) authorizer(t testing.TB, opts ...core.Option) *core.Authorizer {
	t.Helper()
	base := []core.Option{core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithClock(e.clock.Now),
		core.WithLogger(slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))}
	a, err := core.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	return a
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// req builds a request with an optional Authorization header and
// __session cookie.
func req(auth, sessionCookie string) core.Request {
	r := httptest.NewRequest(http.MethodGet, "/path", nil)
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	if sessionCookie != "" {
		r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: sessionCookie})
		// behaviour.md §10.1: a browser that holds a session says so in
		// __client_uat (any time at or before the token's iat).
		r.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"})
	}
	return core.HTTPRequest(r)
}
