package core_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// behaviour.md §10.3, §10.4, §10.9: the browser-session options are
// validated by New, and NewFromEnv reads their variables.
func TestRule10_Options(t *testing.T) {
	e := newBrowserEnv(t, true)
	base := []core.Option{core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithLogger(quietLogger())}
	cases := []struct {
		name string
		opt  core.Option
		ok   bool
	}{
		{"SignInAbsolute", core.WithSignInURL("https://accounts.example/sign-in"), true},
		{"SignInPath", core.WithSignInURL("/sign-in"), true},
		{"SignInSchemeRelative", core.WithSignInURL("//evil.example/x"), false},
		{"SignInNoScheme", core.WithSignInURL("accounts.example/sign-in"), false},
		{"SignInEmpty", core.WithSignInURL(""), false},
		{"ProxyAbsolute", core.WithProxyURL("https://app.example/__clerk/"), true},
		{"ProxyPath", core.WithProxyURL("/__clerk"), true},
		{"ProxyBad", core.WithProxyURL("ftp://x"), false},
		{"TrustForwarded", core.WithTrustForwardedHeaders(true), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := core.New(append(base, c.opt)...)
			if (err == nil) != c.ok || (err != nil && !errors.Is(err, core.ErrConfig)) {
				t.Fatalf("New: %v, want ok=%v (ErrConfig otherwise)", err, c.ok)
			}
		})
	}
	t.Run("Env", func(t *testing.T) {
		env := map[string]string{core.EnvJWTKey: e.iss.PublicKeyPEM(), core.EnvPublishableKey: e.pk,
			core.EnvSignInURL: "/sign-in", core.EnvProxyURL: "/__clerk", core.EnvTrustForwardedHeaders: "true"}
		a, err := core.New(append(core.OptionsFromEnv(func(k string) string { return env[k] }), core.WithLogger(quietLogger()), core.WithClock(e.clock.Now))...)
		if err != nil {
			t.Fatal(err)
		}
		if a.SignInURL() != "/sign-in" || !a.BrowserSessions() {
			t.Fatalf("SignInURL %q, BrowserSessions %v", a.SignInURL(), a.BrowserSessions())
		}
		r := page("http://internal/x", "__client_uat=5")
		r.Header.Set("X-Forwarded-Host", "app.example")
		_, ans, _ := a.AuthenticateBrowser(r.Context(), core.HTTPRequest(r))
		if got := ans.Header.Get("Location"); got == "" || location(t, ans).Host != "app.example" || location(t, ans).Path != "/__clerk/v1/client/handshake" {
			t.Fatalf("Location %q: want the proxy path on the forwarded host", got)
		}
		env[core.EnvTrustForwardedHeaders] = "maybe"
		if _, err := core.New(core.OptionsFromEnv(func(k string) string { return env[k] })...); !errors.Is(err, core.ErrConfig) {
			t.Fatalf("CLERK_TRUST_FORWARDED_HEADERS=maybe: %v, want ErrConfig", err)
		}
	})
	t.Run("EnvVarsListsThem", func(t *testing.T) {
		want := map[string]bool{core.EnvSignInURL: true, core.EnvProxyURL: true, core.EnvTrustForwardedHeaders: true}
		for _, v := range core.EnvVars() {
			delete(want, v)
		}
		if len(want) != 0 {
			t.Fatalf("EnvVars misses %v", want)
		}
	})
	t.Run("NoPublishableKeyNoBrowserSessions", func(t *testing.T) {
		a, err := core.New(base...)
		if err != nil {
			t.Fatal(err)
		}
		if a.BrowserSessions() {
			t.Fatal("BrowserSessions without a publishable key")
		}
	})
}

// behaviour.md §7.1: the Answer is written as it is.
func TestAnswerWriteTo(t *testing.T) {
	rec := newRecorder()
	ans := core.Answer{Status: http.StatusTemporaryRedirect, Header: http.Header{"Set-Cookie": {"a=1", "b=2"}, "Location": {"/x"}}}
	if !ans.WriteTo(rec) || rec.Code != 307 || len(rec.Header().Values("Set-Cookie")) != 2 || rec.Body.Len() != 0 {
		t.Fatalf("WriteTo: %d %v %q", rec.Code, rec.Header(), rec.Body.String())
	}
	rec = newRecorder()
	if (core.Answer{Header: http.Header{"Set-Cookie": {"a=1"}}}).WriteTo(rec) || rec.Header().Get("Set-Cookie") != "a=1" {
		t.Fatal("a continuing answer must add its headers and not stop")
	}
	var n int
	ans.Each(func(string, string) { n++ })
	if n != 3 {
		t.Fatalf("Each visited %d values, want 3", n)
	}
	for in, want := range map[string]string{"/p?q=1": "/p?q=1", "http://h/p?q=1": "/p?q=1", "https://h?q=1": "/?q=1", "http://h": "/", "*": "/"} {
		if got := core.OriginForm(in); got != want {
			t.Errorf("OriginForm(%q) = %q, want %q", in, got, want)
		}
	}
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
