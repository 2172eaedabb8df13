package querytoken_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/examples/querytoken"
)

// between returns the text of s between the lines holding begin and end,
// with one level of indentation removed.
func between(t *testing.T, s, begin, end string) string {
	t.Helper()
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("no %q … %q block", begin, end)
	}
	body := s[strings.IndexByte(s[i:], '\n')+i+1 : strings.LastIndexByte(s[:j], '\n')+1]
	var b strings.Builder
	for _, l := range strings.SplitAfter(body, "\n") {
		b.WriteString(strings.TrimPrefix(l, "\t"))
	}
	return b.String()
}

// The README's per-route query token snippet is Routes' body, to the byte.
func TestREADMEQueryTokenSnippet(t *testing.T) {
	src, err := os.ReadFile("querytoken.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := between(t, string(src), "// README:begin", "// README:end")
	if !strings.Contains(string(readme), "```go\n"+want+"```\n") {
		t.Fatalf("README.md has no ```go block equal to querytoken.go's snippet:\n%s", want)
	}
}

// The snippet does what the README says (behaviour.md §1.6, §1.7).
func TestQueryTokenRoutes(t *testing.T) {
	iss := clerktest.Start(t)
	a, err := core.New(core.WithJWKSURL(iss.JWKSURL()), core.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	who := func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		_, _ = w.Write([]byte(c.UserID()))
	}
	h := querytoken.Routes(a, who, who)
	visitor, other := iss.Mint(clerktest.Session{UserID: "user_visitor"}), iss.Mint(clerktest.Session{UserID: "user_other"})
	for _, tc := range []struct {
		name, path, cookie string
		hdr                []string
		status             int
		body               string
	}{
		{"EventsWebSocket", "/events?token=" + other, "", []string{"Sec-Fetch-Mode", "websocket"}, 200, "user_other"},
		{"MeIgnoresQuery", "/me?token=" + other, "", nil, 401, ""},
		{"MeKeepsCookie", "/me?token=" + other, visitor, nil, 200, "user_visitor"},
		{"EventsNavigationKeepsCookie", "/events?token=" + other, visitor, []string{"Sec-Fetch-Mode", "navigate"}, 200, "user_visitor"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tc.path, nil)
			if tc.cookie != "" {
				r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: tc.cookie})
				r.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"}) // the browser holds a session (behaviour.md §10.1)
			}
			for i := 0; i+1 < len(tc.hdr); i += 2 {
				r.Header.Set(tc.hdr[i], tc.hdr[i+1])
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.status || (tc.body != "" && w.Body.String() != tc.body) {
				t.Fatalf("GET %s: %d %q, want %d %q", tc.path[:min(len(tc.path), 14)], w.Code, w.Body.String(), tc.status, tc.body)
			}
		})
	}
}
