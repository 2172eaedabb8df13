package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

// forwarded is one request the Frontend API proxy sent upstream.
type forwarded struct {
	host, path, proxyURL string
	secret               bool // Clerk-Secret-Key was the expected secret
}

// fapiRecorder is the proxy's transport in the tests: it records what each
// forwarded request carried and passes it on unchanged.
type fapiRecorder struct {
	secret string
	mu     sync.Mutex
	seen   []forwarded
}

func (f *fapiRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.seen = append(f.seen, forwarded{host: r.URL.Host, path: r.URL.Path, proxyURL: r.Header.Get("Clerk-Proxy-Url"),
		secret: r.Header.Get("Clerk-Secret-Key") == f.secret})
	f.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// handshakes returns the forwarded handshakes.
func (f *fapiRecorder) handshakes() []forwarded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []forwarded
	for _, s := range f.seen {
		if s.path == "/v1/client/handshake" {
			out = append(out, s)
		}
	}
	return out
}

// checkForwarded fails unless every request the proxy forwarded went to the
// fake Frontend API with the secret and Clerk-Proxy-Url proxyURL, and at
// least one was a handshake.
func checkForwarded(t *testing.T, rec *fapiRecorder, iss *clerktest.Issuer, proxyURL string) {
	t.Helper()
	fapi, _ := url.Parse(iss.FrontendAPIURL())
	rec.mu.Lock()
	seen := append([]forwarded(nil), rec.seen...)
	rec.mu.Unlock()
	for _, s := range seen {
		if s.host != fapi.Host || !s.secret || s.proxyURL != proxyURL {
			t.Errorf("the proxy forwarded %s%s with Clerk-Proxy-Url %q (secret sent: %v); want host %s, %q and the secret",
				s.host, s.path, s.proxyURL, s.secret, fapi.Host, proxyURL)
		}
	}
	if len(rec.handshakes()) == 0 {
		t.Errorf("no handshake went through the proxy (forwarded: %v)", seen)
	}
}

// TestServedProxyPath: a CLERK_PROXY_URL with a path is served by the app,
// one without a path is a Frontend API elsewhere.
func TestServedProxyPath(t *testing.T) {
	for _, c := range []struct {
		in, path string
		ok       bool
	}{
		{"/__clerk", "/__clerk", true},
		{"/__clerk/", "/__clerk", true},
		{"http://127.0.0.1:8080/__clerk", "/__clerk", true},
		{"https://app.example/auth/__clerk/", "/auth/__clerk", true},
		{"https://frontend-api.example", "", false},
		{"https://frontend-api.example/", "", false},
		{"/", "", false},
		{"", "", false},
	} {
		t.Run(c.in, func(t *testing.T) {
			if path, ok := servedProxyPath(c.in); path != c.path || ok != c.ok {
				t.Errorf("servedProxyPath(%q) = %q, %v; want %q, %v", c.in, path, ok, c.path, c.ok)
			}
		})
	}
}

// TestSmokeProxy runs the app with the Frontend API proxy (configured with
// an absolute and a relative CLERK_PROXY_URL, and dev mode with
// SSR_DEV_PROXY) and follows an expired session's page load: the handshake
// goes to the app's /__clerk/v1/client/handshake, the proxy forwards it to
// the fake Frontend API with Clerk-Proxy-Url and the secret, and the page
// comes back signed in without the secret in any answer.
func TestSmokeProxy(t *testing.T) {
	for _, c := range []struct {
		name     string
		relative bool
		dev      bool
	}{{name: "ConfiguredAbsolute"}, {name: "ConfiguredRelative", relative: true}, {name: "DevMode", dev: true}} {
		t.Run(c.name, func(t *testing.T) {
			addr := freeAddr(t)
			base := "http://" + addr
			rec := &fapiRecorder{}
			var iss *clerktest.Issuer
			if c.dev {
				app := startApp(t, env{getenv: envMap(map[string]string{exampleapp.EnvAddr: addr, EnvDevProxy: "true"}), proxyTransport: rec})
				iss = app.dev.iss
			} else {
				iss = clerktest.Start(t)
				proxy := base + "/__clerk"
				if c.relative {
					proxy = "/__clerk"
				}
				startApp(t, env{proxyTransport: rec, getenv: envMap(map[string]string{
					exampleapp.EnvAddr:         addr,
					"CLERK_PUBLISHABLE_KEY":    iss.PublishableKey(),
					"CLERK_SECRET_KEY":         iss.SecretKey(),
					"CLERK_API_URL":            iss.APIURL(),
					"CLERK_PROXY_URL":          proxy,
					"CLERK_FAPI_URL":           iss.FrontendAPIURL(),
					"CLERK_SIGN_IN_URL":        iss.SignInURL(),
					"CLERK_AUTHORIZED_PARTIES": base,
				})})
			}
			rec.secret = iss.SecretKey()
			client, err := iss.NewClient()
			if err != nil {
				t.Fatal(err)
			}
			sid := client.SignIn(clerktest.Session{UserID: "user_proxy"})
			expired := iss.Mint(clerktest.Session{UserID: "user_proxy", SessionID: sid, AuthorizedParty: base, IssuedAt: time.Now().Add(-10 * time.Minute)})
			uat := strconv.FormatInt(time.Now().Add(-20*time.Minute).Unix(), 10)
			jar := []*http.Cookie{{Name: "__session", Value: expired}, {Name: "__client_uat", Value: uat}, {Name: "__clerk_db_jwt", Value: client.DevBrowser()}}

			// One hop: the app sends the page load to its own proxy.
			plain := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/dashboard", nil)
			req.Header.Set("Accept", "text/html")
			req.Header.Set("Sec-Fetch-Dest", "document")
			for _, ck := range jar {
				req.AddCookie(ck)
			}
			res, err := plain.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusTemporaryRedirect || !strings.HasPrefix(loc, base+"/__clerk/v1/client/handshake?") {
				t.Fatalf("expired page load: %d Location %q; want a 307 to %s/__clerk/v1/client/handshake", res.StatusCode, redact(loc), base)
			}

			// The whole way, as a browser: signed in again, through the proxy.
			b := browser(t)
			var answers []http.Header
			b.CheckRedirect = func(r *http.Request, via []*http.Request) error {
				answers = append(answers, r.Response.Header)
				return nil
			}
			u, _ := url.Parse(base)
			b.Jar.SetCookies(u, jar)
			before := len(iss.HandshakeRequests())
			res = browserGet(t, b, base+"/dashboard", "document")
			page := body(t, res)
			wantStatus(t, "after the handshake through the proxy", page, "Signed in as user_proxy")
			if n := len(iss.HandshakeRequests()); n != before+1 {
				t.Errorf("the fake Frontend API got %d handshakes, want %d", n-before, 1)
			}
			checkForwarded(t, rec, iss, base+"/__clerk")
			answers = append(answers, res.Header)
			for _, h := range answers {
				for k, vs := range h {
					if strings.Contains(k+strings.Join(vs, ","), iss.SecretKey()) {
						t.Errorf("an answer to the browser carries the secret key in %s", k)
					}
				}
			}
			if strings.Contains(page, iss.SecretKey()) {
				t.Error("the page carries the secret key")
			}
		})
	}
}

// TestProxyConfiguration: SSR_DEV_PROXY is dev mode's only and must be a
// boolean; without it (or false, or with a CLERK_PROXY_URL that has no
// path) nothing is served at /__clerk/.
func TestProxyConfiguration(t *testing.T) {
	iss := clerktest.Start(t)
	for _, c := range []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"DevProxyWithInstance", map[string]string{"CLERK_SECRET_KEY": iss.SecretKey(), EnvDevProxy: "true"}, "for dev mode only"},
		{"DevProxyNotBool", map[string]string{EnvDevProxy: "maybe"}, EnvDevProxy + " must be true or false"},
		{"ProxyWithoutSecret", map[string]string{"CLERK_PUBLISHABLE_KEY": iss.PublishableKey(), "CLERK_JWKS_URL": iss.JWKSURL(),
			"CLERK_PROXY_URL": "/__clerk"}, "the secret key is required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.env[exampleapp.EnvAddr] = "127.0.0.1:0"
			err := run(t.Context(), env{getenv: envMap(c.env)})
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("run: %v, want an error containing %q", err, c.wantErr)
			}
		})
	}
	for _, c := range []struct {
		name string
		env  map[string]string
	}{
		{"DevDefault", map[string]string{}},
		{"DevProxyFalse", map[string]string{EnvDevProxy: "false"}},
		{"ProxyURLWithoutPath", map[string]string{"CLERK_PUBLISHABLE_KEY": iss.PublishableKey(), "CLERK_SECRET_KEY": iss.SecretKey(),
			"CLERK_API_URL": iss.APIURL(), "CLERK_PROXY_URL": iss.FrontendAPIURL()}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.env[exampleapp.EnvAddr] = "127.0.0.1:0"
			rec := &fapiRecorder{}
			app := startApp(t, env{getenv: envMap(c.env), proxyTransport: rec})
			res := browserGet(t, &http.Client{Timeout: 10 * time.Second}, app.base+"/__clerk/v1/client/handshake?redirect_url="+url.QueryEscape(app.base+"/"), "")
			rec.mu.Lock()
			n := len(rec.seen)
			rec.mu.Unlock()
			if res.StatusCode != http.StatusNotFound || n != 0 {
				t.Errorf("GET /__clerk/v1/client/handshake: %d, %d forwarded; want 404 and nothing forwarded", res.StatusCode, n)
			}
		})
	}
}
