package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// The quick start against a clerktest instance, configured as the
// environment would configure it: a fresh session renders, an expired one
// goes through the handshake and comes back signed in, a signed-out page
// load of /dashboard is sent to the sign-in page.
func TestQuickStart(t *testing.T) {
	iss := clerktest.Start(t)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := map[string]string{
		"CLERK_PUBLISHABLE_KEY": iss.PublishableKey(), "CLERK_SECRET_KEY": iss.SecretKey(),
		"CLERK_API_URL": iss.APIURL(), "CLERK_PROXY_URL": iss.FrontendAPIURL(),
		"CLERK_SIGN_IN_URL": iss.SignInURL(), "CLERK_AUTHORIZED_PARTIES": base,
	}
	a, err := core.New(core.OptionsFromEnv(func(k string) string { return env[k] })...)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = NewRouter(a)
	srv.Start()
	t.Cleanup(srv.Close)

	browser, _ := iss.NewClient()
	sid := browser.SignIn(clerktest.Session{UserID: "user_qs"})
	now := time.Now()
	uat := strconv.FormatInt(now.Add(-time.Hour).Unix(), 10)
	load := func(t *testing.T, path string, cookies map[string]string) (*http.Response, string) {
		jar, _ := cookiejar.New(nil)
		u, _ := url.Parse(base)
		for k, v := range cookies {
			jar.SetCookies(u, []*http.Cookie{{Name: k, Value: v}})
		}
		c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+path, nil)
		req.Header.Set("Accept", "text/html")
		req.Header.Set("Sec-Fetch-Dest", "document")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	for _, tc := range []struct {
		name, path string
		session    string
		want       string
	}{
		{"fresh session", "/", iss.Mint(clerktest.Session{UserID: "user_qs", SessionID: sid, AuthorizedParty: base}), "Signed in as user_qs"},
		{"expired session, handshake", "/dashboard", iss.Mint(clerktest.Session{UserID: "user_qs", SessionID: sid, AuthorizedParty: base, IssuedAt: now.Add(-10 * time.Minute)}), "Signed in as user_qs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body := load(t, tc.path, map[string]string{"__session": tc.session, "__client_uat": uat, "__clerk_db_jwt": browser.DevBrowser()})
			if !strings.Contains(body, tc.want) {
				t.Errorf("GET %s: %q, want %q", tc.path, body, tc.want)
			}
		})
	}
	t.Run("signed out", func(t *testing.T) {
		out, _ := iss.NewClient()
		if _, body := load(t, "/", map[string]string{"__clerk_db_jwt": out.DevBrowser()}); !strings.Contains(body, "<p>Signed out</p>") {
			t.Errorf("GET / signed out: %q", body)
		}
		res, body := load(t, "/dashboard", map[string]string{"__clerk_db_jwt": out.DevBrowser()})
		if !strings.HasPrefix(res.Request.URL.String(), iss.SignInURL()) || !strings.Contains(body, `name="user_id"`) {
			t.Errorf("signed-out /dashboard ends at %s, want the sign-in page", res.Request.URL.Redacted())
		}
	})
}

// The README's "SSR apps" block is this program from func main on, to the
// byte.
func TestREADMEQuickStart(t *testing.T) {
	b, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	want := string(b)[strings.Index(string(b), "\nfunc main() {")+1:]
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, block := range strings.Split(string(readme), "```go\n")[1:] {
		block, _, _ = strings.Cut(block, "```\n")
		if !strings.Contains(block, "clerkchi.WithHandshake()") {
			continue
		}
		n++
		if block != want {
			t.Errorf("the README's SSR quick start is not examples/ssr/quickstart/main.go from func main on:\n--- README\n%s--- main.go\n%s", block, want)
		}
	}
	if n != 1 {
		t.Errorf("the README has %d go blocks using clerkchi.WithHandshake(), want 1 (the SSR apps quick start)", n)
	}
}
