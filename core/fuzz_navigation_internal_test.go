package core

import (
	"strings"
	"testing"
)

// headerRequest is a Request with the given headers and nothing else.
type headerRequest map[string]string

func (h headerRequest) Header(name string) string    { return h[name] }
func (h headerRequest) Cookie(string) (string, bool) { return "", false }

// FuzzIsDocumentNavigation: behaviour.md §1.7 reading of Sec-Fetch-Mode and
// Accept, which the client controls. Whatever the headers, it never panics,
// and it decides exactly as the rule reads: a non-blank Sec-Fetch-Mode
// decides alone (navigate, any case, after trimming); without one, an Accept
// containing text/html in any letter case.
func FuzzIsDocumentNavigation(f *testing.F) {
	f.Add("navigate", "")
	f.Add("NaViGaTe ", "text/html")
	f.Add("websocket", "text/html")
	f.Add("", "text/html,application/xhtml+xml,*/*;q=0.8")
	f.Add("", "TEXT/HTML")
	f.Add("", "text/event-stream")
	f.Add(" ", "text/htm")
	f.Add("navigate\x00", "")
	f.Fuzz(func(t *testing.T, mode, accept string) {
		got := isDocumentNavigation(headerRequest{"Sec-Fetch-Mode": mode, "Accept": accept})
		var want bool
		if m := strings.TrimSpace(mode); m != "" {
			want = strings.EqualFold(m, "navigate")
		} else {
			want = strings.Contains(strings.ToLower(accept), "text/html")
		}
		if got != want && isASCII(accept) {
			t.Fatalf("isDocumentNavigation(mode %q, accept %q) = %v, want %v", mode, accept, got, want)
		}
	})
}

// isASCII reports whether s is ASCII: strings.ToLower maps some non-ASCII
// runes onto ASCII letters (U+212A KELVIN SIGN to k), which EqualFold on a
// byte window never sees, so the reference holds for ASCII only.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
