package core_test

import (
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §10.2: which cookies are the instance's, ported from
// authenticateContext.test.ts "suffixedCookies".
func TestRule10_2_SuffixedCookies(t *testing.T) {
	type tokens struct{ un, sfx, newer, badIss, numIss, other string }
	mk := func(e *browserEnv) tokens {
		now := e.clock.Now().Add(-time.Minute)
		return tokens{
			un:     e.iss.Mint(clerktest.Session{UserID: "user_un", IssuedAt: now, TTL: time.Hour}),
			sfx:    e.iss.Mint(clerktest.Session{UserID: "user_sfx", IssuedAt: now, TTL: time.Hour}),
			newer:  e.iss.Mint(clerktest.Session{UserID: "user_un", IssuedAt: now.Add(time.Minute), TTL: time.Hour}),
			badIss: e.iss.Mint(clerktest.Session{UserID: "user_un", IssuedAt: now, TTL: time.Hour}, clerktest.WithPayload(func(m map[string]any) { m["iss"] = "http:whatever" })),
			numIss: e.iss.Mint(clerktest.Session{UserID: "user_un", IssuedAt: now, TTL: time.Hour}, clerktest.WithPayload(func(m map[string]any) { m["iss"] = 123 })),
			other:  e.iss.Mint(clerktest.Session{UserID: "user_other", IssuedAt: now, TTL: time.Hour}, clerktest.WithPayload(func(m map[string]any) { m["iss"] = "http://blah" })),
		}
	}
	uat := func(e *browserEnv) string { return e.uat(-2 * time.Minute) }
	cases := []struct {
		name    string
		live    bool
		cookies func(e *browserEnv, s string, tk tokens) []string
		user    string      // signed in as, or
		reason  core.Reason // signed out with
		hsSess  string      // "un"/"sfx": the __session sent to the handshake
	}{
		{name: "request with un-suffixed cookies", live: true, user: "user_un",
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__client_uat=" + uat(e), "__session=" + tk.un}
			}},
		{name: "request with suffixed and valid newer un-suffixed cookies - case of ClerkJS downgrade", live: true, user: "user_un",
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__client_uat=" + uat(e), "__client_uat_" + s + "=" + uat(e), "__session=" + tk.newer, "__session_" + s + "=" + tk.sfx}
			}},
		{name: "request with suffixed client_uat as signed-out and un-suffixed client_uat as signed-in - case of ClerkJS downgrade", user: "user_un",
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__client_uat=" + uat(e), "__client_uat_" + s + "=0", "__session=" + tk.un, "__clerk_db_jwt=db"}
			}},
		{name: "prod: request with suffixed session and signed-out suffixed client_uat", live: true,
			reason: core.ReasonSessionTokenWithoutClientUAT, hsSess: "sfx",
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__client_uat=0", "__client_uat_" + s + "=0", "__session=" + tk.un, "__session_" + s + "=" + tk.sfx}
			}},
		{name: "prod: request with valid suffixed and un-suffixed cookies", live: true, user: "user_sfx",
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__client_uat=" + uat(e), "__client_uat_" + s + "=" + uat(e), "__session=" + tk.un, "__session_" + s + "=" + tk.sfx}
			}},
		{name: "prod: request with invalid issuer un-suffixed and valid suffixed cookies - case of multiple apps on same eTLD+1 domain", live: true, user: "user_sfx",
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__client_uat=" + uat(e), "__client_uat_" + s + "=" + uat(e), "__session=" + tk.badIss, "__session_" + s + "=" + tk.sfx}
			}},
		{name: "dev: request with invalid issuer un-suffixed and valid multiple suffixed cookies - case of multiple apps on localhost",
			reason: core.ReasonSessionTokenWithoutClientUAT, hsSess: "sfx",
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__client_uat=0", "__client_uat_" + s + "=0", "__client_uat_8HKF1r6W=1717490193",
					"__session=" + tk.un, "__session_" + s + "=" + tk.sfx, "__session_8HKF1r6W=" + tk.other,
					"__clerk_db_jwt=db", "__clerk_db_jwt_" + s + "=db-suffixed", "__clerk_db_jwt_8HKF1r6W=db-other"}
			}},
		{name: "prod: request without suffixed session and signed-out suffixed client_uat", live: true,
			reason: core.ReasonSessionTokenMissing,
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__client_uat=0", "__client_uat_" + s + "=0", "__session=" + tk.un}
			}},
		{name: "falls back to suffixed cookies when the token has a non-string issuer", live: true, user: "user_sfx",
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__session=" + tk.numIss, "__client_uat_" + s + "=" + uat(e), "__session_" + s + "=" + tk.sfx}
			}},
		// issue 19 item 1: a cookie of another instance on the same host is never used.
		{name: "another instance's unsuffixed cookie alone", live: true, reason: core.ReasonSessionTokenMissing,
			cookies: func(e *browserEnv, s string, tk tokens) []string {
				return []string{"__client_uat=" + uat(e), "__session=" + tk.other}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newBrowserEnv(t, c.live)
			tk := mk(e)
			res, ans := e.outcome(page("http://localhost:3000/", c.cookies(e, e.suffix(), tk)...))
			if c.user != "" {
				wantSignedIn(t, res)
				if res.Claims.Subject != c.user {
					t.Fatalf("signed in as %s, want %s", res.Claims.Subject, c.user)
				}
				return
			}
			wantSignedOut(t, res, c.reason)
			if c.hsSess != "" {
				q := wantHandshake(t, ans, string(c.reason))
				want := map[string]string{"un": tk.un, "sfx": tk.sfx}[c.hsSess]
				if q.Get("__session") != want || q.Get("suffixed_cookies") != "true" {
					t.Errorf("handshake __session is not the %s cookie, suffixed_cookies=%s", c.hsSess, q.Get("suffixed_cookies"))
				}
				if !c.live && q.Get("__clerk_db_jwt") != "db-suffixed" {
					t.Errorf("dev browser %q, want the suffixed db-suffixed", q.Get("__clerk_db_jwt"))
				}
			}
		})
	}
}

// behaviour.md §10.5: resolving a returning handshake, ported from
// handshake.test.ts ("getHandshakePayload", "Query Parameter Cleanup") and
// integration/tests/handshake.test.ts ("Handshake result - …").
func TestRule10_5_ResolveHandshake(t *testing.T) {
	t.Run("Handshake result - dev - nominal", func(t *testing.T) {
		e := newBrowserEnv(t, false)
		tok := e.token(0, time.Minute)
		ds := []string{"__session=" + tok + ";path=/", "foo=bar;path=/;domain=example.com"}
		res, ans := e.outcome(page("http://app.example/?__clerk_handshake="+e.handshakeToken(ds), "__clerk_db_jwt=db"))
		wantSignedIn(t, res)
		if ans.Status != http.StatusTemporaryRedirect || ans.Header.Get("Location") != "http://app.example/" || ans.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("answer %d %v, want 307 to the cleaned URL", ans.Status, ans.Header)
		}
		if !slices.Equal(ans.Header.Values("Set-Cookie"), ds) {
			t.Errorf("Set-Cookie %q, want exactly %q", ans.Header.Values("Set-Cookie"), ds)
		}
		if ans.Header.Get("Access-Control-Allow-Origin") != "null" || ans.Header.Get("Access-Control-Allow-Credentials") != "true" {
			t.Errorf("CORS headers %v", ans.Header)
		}
	})
	// "Handshake result - dev - skew - clock behind" / "clock ahead"
	for name, iat := range map[string]time.Duration{"clock behind": time.Hour, "clock ahead": -2 * time.Hour} {
		t.Run("Handshake result - dev - skew - "+name, func(t *testing.T) {
			e := newBrowserEnv(t, false)
			ds := []string{"__session=" + e.token(iat, time.Minute) + ";path=/"}
			res, ans := e.outcome(page("http://app.example/?__clerk_handshake="+e.handshakeToken(ds), "__clerk_db_jwt=db"))
			wantSignedIn(t, res)
			if ans.Status != http.StatusTemporaryRedirect || !strings.Contains(e.logs.String(), "clock skew detected") {
				t.Fatalf("status %d, logs %s", ans.Status, e.logs.String())
			}
		})
	}
	// "Handshake result - dev - mismatched keys": clerk/javascript stops with
	// an error; clerkguard signs the request out without a redirect.
	t.Run("Handshake result - dev - mismatched keys", func(t *testing.T) {
		e := newBrowserEnv(t, false)
		other, _ := clerktest.NewKey()
		ds := []string{"__session=" + e.token(0, time.Minute)}
		res, ans := e.outcome(page("http://app.example/?__clerk_handshake="+e.handshakeToken(ds, clerktest.SignedBy(other)), "__clerk_db_jwt=db"))
		wantSignedOut(t, res, core.ReasonTokenInvalidSignature)
		wantNoAnswer(t, ans)
	})
	// "Handshake result - dev - new devbrowser"
	t.Run("Handshake result - dev - new devbrowser", func(t *testing.T) {
		e := newBrowserEnv(t, false)
		ds := []string{"__session=" + e.token(0, time.Minute) + ";path=/", "__clerk_db_jwt=asdf;path=/"}
		res, ans := e.outcome(page("http://app.example/?__clerk_handshake="+e.handshakeToken(ds), "__clerk_db_jwt=db"))
		wantSignedIn(t, res)
		if !slices.Equal(ans.Header.Values("Set-Cookie"), ds) || ans.Header.Get("Location") != "http://app.example/" {
			t.Errorf("answer %v", ans.Header)
		}
	})
	// "Handshake result - prod - nominal"
	t.Run("Handshake result - prod - nominal", func(t *testing.T) {
		e := newBrowserEnv(t, true)
		ds := []string{"__session=" + e.token(0, time.Minute) + ";path=/", "foo=bar;path=/;domain=example.com"}
		res, ans := e.outcome(page("http://app.example/", "__clerk_handshake="+e.handshakeToken(ds)))
		wantSignedIn(t, res)
		if ans.Stops() || ans.Header.Get("Location") != "" || ans.Header.Get("Cache-Control") != "" {
			t.Fatalf("production must continue: %d %v", ans.Status, ans.Header)
		}
		if !slices.Equal(ans.Header.Values("Set-Cookie"), ds) {
			t.Errorf("Set-Cookie %q", ans.Header.Values("Set-Cookie"))
		}
	})
	// "Handshake result - prod - skew - clock behind": the normal skew only.
	t.Run("Handshake result - prod - session token expired and handshake stale", func(t *testing.T) {
		e := newBrowserEnv(t, true)
		cur := e.token(-10*time.Minute, time.Minute)
		ds := []string{"__session=" + e.token(-10*time.Minute, time.Minute) + ";path=/"}
		res, ans := e.outcome(page("http://app.example/", "__clerk_handshake="+e.handshakeToken(ds), "__session="+cur, "__client_uat="+e.uat(-10*time.Minute)))
		wantSignedOut(t, res, core.ReasonTokenExpired)
		wantHandshake(t, ans, "session-token-expired-refresh-non-eligible-no-refresh-cookie")
	})
	t.Run("Handshake result - prod - mismatched keys", func(t *testing.T) {
		e := newBrowserEnv(t, true)
		other, _ := clerktest.NewKey()
		ds := []string{"__session=" + e.token(0, time.Minute)}
		res, ans := e.outcome(page("http://app.example/", "__clerk_handshake="+e.handshakeToken(ds, clerktest.SignedBy(other))))
		wantSignedOut(t, res, core.ReasonSessionTokenMissing)
		wantNoAnswer(t, ans)
	})
	// handshakeToken.test.ts: "rejects a JWT-template token presented as a handshake token"
	t.Run("rejects a JWT-template token presented as a handshake token", func(t *testing.T) {
		e := newBrowserEnv(t, false)
		ds := []string{"__session=" + e.token(0, time.Minute)}
		res, ans := e.outcome(page("http://app.example/?__clerk_handshake="+e.handshakeToken(ds, clerktest.WithHeader("cat", "cl_B7d4PD222AAA")), "__clerk_db_jwt=db"))
		wantSignedOut(t, res, core.ReasonTokenInvalid)
		wantNoAnswer(t, ans)
	})
	// behaviour.md §10.5: a directive that could smuggle a header refuses the payload.
	t.Run("MalformedDirective", func(t *testing.T) {
		e := newBrowserEnv(t, false)
		ds := []string{"__session=" + e.token(0, time.Minute), "x=1\r\nLocation: https://evil.example"}
		res, _ := e.outcome(page("http://app.example/?__clerk_handshake="+e.handshakeToken(ds), "__clerk_db_jwt=db"))
		wantSignedOut(t, res, core.ReasonTokenInvalid)
	})
	// handshake.test.ts "getHandshakePayload": "should return cookies from handshakeNonce when available"
	// and "Query Parameter Cleanup / Development Mode".
	for _, c := range []struct{ name, target, want string }{
		{"should remove __clerk_handshake_nonce from query params", "/?__clerk_handshake_nonce=n1&foo=bar", "http://app.example/?foo=bar"},
		{"should remove all handshake query params at once", "/p?__clerk_handshake_nonce=n1&__clerk_help=1&__clerk_db_jwt=db&a=b", "http://app.example/p?a=b"},
		{"should handle URL with only handshake params (clean URL result)", "/p?__clerk_handshake_nonce=n1", "http://app.example/p"},
		{"should preserve URL-encoded query params", "/p?q=hello%20world&__clerk_handshake_nonce=n1&r=a%26b", "http://app.example/p?q=hello%20world&r=a%26b"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newBrowserEnv(t, false)
			ds := []string{"__session=" + e.token(0, time.Minute) + "; Path=/"}
			e.directives["n1"] = ds
			res, ans := e.outcome(page("http://app.example"+c.target, "__clerk_db_jwt=db"))
			wantSignedIn(t, res)
			if ans.Header.Get("Location") != c.want || !slices.Equal(ans.Header.Values("Set-Cookie"), ds) {
				t.Fatalf("Location %q, Set-Cookie %q; want %q", ans.Header.Get("Location"), ans.Header.Values("Set-Cookie"), c.want)
			}
		})
	}
	// "should handle URL with no query params (nonce in cookie)"; "Production
	// Mode": "should NOT add Location header", "should still set session cookies".
	t.Run("should handle URL with no query params (nonce in cookie) - production", func(t *testing.T) {
		e := newBrowserEnv(t, true)
		ds := []string{"__session=" + e.token(0, time.Minute) + "; Path=/"}
		e.directives["n1"] = ds
		res, ans := e.outcome(page("http://app.example/", "__clerk_handshake_nonce=n1"))
		wantSignedIn(t, res)
		if ans.Stops() || ans.Header.Get("Location") != "" || !slices.Equal(ans.Header.Values("Set-Cookie"), ds) {
			t.Fatalf("answer %d %v", ans.Status, ans.Header)
		}
	})
	// "should handle API errors when getting handshake payload with nonce";
	// "Error Cases": "should clean up query params even when handshake payload is empty".
	t.Run("should clean up query params even when handshake payload is empty", func(t *testing.T) {
		e := newBrowserEnv(t, false)
		res, ans := e.outcome(page("http://app.example/?__clerk_handshake_nonce=unknown", "__clerk_db_jwt=db"))
		wantSignedOut(t, res, core.ReasonSessionTokenMissing)
		if ans.Header.Get("Location") != "http://app.example/" || ans.Header.Values("Set-Cookie") != nil {
			t.Fatalf("answer %v", ans.Header)
		}
	})
	t.Run("MalformedNonceCostsNoCall", func(t *testing.T) {
		e := newBrowserEnv(t, true)
		res, _ := e.outcome(page("http://app.example/?__clerk_handshake_nonce="+url.QueryEscape("a b"), "__client_uat=0"))
		wantSignedOut(t, res, core.ReasonSessionTokenMissing)
		if e.calls.Load() != 0 {
			t.Fatalf("%d Backend API calls for a malformed nonce", e.calls.Load())
		}
	})
}

// behaviour.md §10.7: refresh from __refresh, ported from request.test.ts
// "refreshToken".
func TestRule10_7_Refresh(t *testing.T) {
	setup := func(t *testing.T) (*browserEnv, string) {
		e := newBrowserEnv(t, true)
		fresh := e.token(0, time.Minute)
		e.refresh = func(sid string, body map[string]any) (int, any) {
			if sid != "sess_1" || body["format"] != "cookie" || body["refresh_token"] != "rt_1" || body["request_origin"] != "http://app.example" || body["expired_token"] == "" {
				return http.StatusBadRequest, map[string]any{"errors": []map[string]string{{"code": "bad_request"}}}
			}
			return http.StatusOK, map[string]any{"cookies": []string{"__session=" + fresh + "; Path=/", "__client_uat=1; Path=/"}}
		}
		return e, e.token(-10*time.Minute, time.Minute)
	}
	t.Run("returns signed in with valid refresh token cookie if token is expired and refresh token exists", func(t *testing.T) {
		e, expired := setup(t)
		res, ans := e.outcome(fetchReq("http://app.example/api", "__client_uat=1", "__session="+expired, "__refresh_"+e.suffix()+"=rt_1"))
		wantSignedIn(t, res)
		if ans.Stops() || len(ans.Header.Values("Set-Cookie")) != 2 {
			t.Fatalf("answer %d %v", ans.Status, ans.Header)
		}
		if e.lastQuery.Get("suffixed_cookies") != "false" {
			t.Errorf("suffixed_cookies %q", e.lastQuery.Get("suffixed_cookies"))
		}
	})
	t.Run("does not try to refresh if refresh token does not exist", func(t *testing.T) {
		e, expired := setup(t)
		res, ans := e.outcome(page("http://app.example/", "__client_uat=1", "__session="+expired))
		wantSignedOut(t, res, core.ReasonTokenExpired)
		wantHandshake(t, ans, "session-token-expired-refresh-non-eligible-no-refresh-cookie")
		if e.calls.Load() != 0 {
			t.Fatal("refresh called")
		}
	})
	t.Run("does not try to refresh if refresh exists but token is not expired", func(t *testing.T) {
		e, _ := setup(t)
		res, _ := e.outcome(page("http://app.example/", "__client_uat=1", "__session="+e.token(0, time.Minute), "__refresh_"+e.suffix()+"=rt_1"))
		wantSignedIn(t, res)
		if e.calls.Load() != 0 {
			t.Fatal("refresh called")
		}
	})
	t.Run("uses suffixed refresh cookie even if un-suffixed is present", func(t *testing.T) {
		e, expired := setup(t)
		res, _ := e.outcome(page("http://app.example/", "__client_uat=1", "__session="+expired, "__refresh=rt_wrong", "__refresh_"+e.suffix()+"=rt_1"))
		wantSignedIn(t, res)
	})
	t.Run("UnsuffixedRefreshOnlyIsNoRefresh", func(t *testing.T) {
		e, expired := setup(t)
		_, ans := e.outcome(page("http://app.example/", "__client_uat=1", "__session="+expired, "__refresh=rt_1"))
		wantHandshake(t, ans, "session-token-expired-refresh-non-eligible-no-refresh-cookie")
	})
	t.Run("NonGet", func(t *testing.T) {
		e, expired := setup(t)
		r := page("http://app.example/", "__client_uat=1", "__session="+expired, "__refresh_"+e.suffix()+"=rt_1")
		r.Method = http.MethodPost
		res, ans := e.outcome(r)
		wantSignedOut(t, res, core.ReasonTokenExpired)
		wantNoAnswer(t, ans)
	})
	t.Run("BackendErrorCodeBecomesTheHandshakeReason", func(t *testing.T) {
		e, expired := setup(t)
		_, ans := e.outcome(page("http://app.example/", "__client_uat=1", "__session="+expired, "__refresh_"+e.suffix()+"=rt_other"))
		wantHandshake(t, ans, "session-token-expired-refresh-bad_request")
	})
}

// behaviour.md §10.9: sign-in redirects for pages.
func TestRule10_9_SignInRedirect(t *testing.T) {
	e := newBrowserEnv(t, false, core.WithSignInURL("https://accounts.example/sign-in?x=1"))
	get := func(r *http.Request) *core.Result {
		c, err := e.a.Authenticate(r.Context(), core.HTTPRequest(r))
		return &core.Result{Claims: c, Err: err}
	}
	r := page("http://app.example/dashboard?tab=2", "__clerk_db_jwt=db_1")
	res := get(r)
	err := core.RequireAuth().Evaluate(res)
	ans, ok := core.SignInRedirect(e.a, core.HTTPRequest(r), "", err)
	if !ok || ans.Status != http.StatusTemporaryRedirect {
		t.Fatalf("no redirect: %v %v", ok, ans)
	}
	u := location(t, ans)
	if u.Host != "accounts.example" || u.Query().Get("redirect_url") != "http://app.example/dashboard?tab=2" || u.Query().Get("x") != "1" || u.Query().Get("__clerk_db_jwt") != "db_1" {
		t.Errorf("Location %s", u)
	}
	// A path is resolved against the request's origin; same origin: no dev browser.
	ans, _ = core.SignInRedirect(e.a, core.HTTPRequest(r), "/sign-in", err)
	if got := ans.Header.Get("Location"); got != "http://app.example/sign-in?redirect_url=http%3A%2F%2Fapp.example%2Fdashboard%3Ftab%3D2" {
		t.Errorf("Location %s", got)
	}
	for name, rr := range map[string]*http.Request{"fetch": fetchReq("http://app.example/api"), "post": func() *http.Request {
		p := page("http://app.example/")
		p.Method = http.MethodPost
		return p
	}()} {
		err := core.RequireAuth().Evaluate(get(rr))
		if _, ok := core.SignInRedirect(e.a, core.HTTPRequest(rr), "", err); ok {
			t.Errorf("%s: redirected", name)
		}
	}
	// 403 refusals are answered as always.
	if _, ok := core.SignInRedirect(e.a, core.HTTPRequest(r), "", &core.Error{Reason: core.ReasonMissingRole}); ok {
		t.Error("403 redirected")
	}
}

// behaviour.md §10.2: a suffix may contain '_' (URL-safe base64); the
// instance's suffixed cookies are still found, through the scan of the
// Cookie header and through Request.Cookie alike.
func TestRule10_2_SuffixWithUnderscore(t *testing.T) {
	// The publishable key of clerk.instance-15.clerktest.example has the suffix 98ZnDeS_.
	iss := clerktest.Start(t, clerktest.WithIssuerURL("https://clerk.instance-15.clerktest.example"), clerktest.WithKey("k", browserKeyFor(t)))
	pk := iss.PublishableKey()
	sfx := core.CookieSuffix(pk)
	if !strings.Contains(sfx, "_") {
		t.Fatalf("suffix %q has no '_': the test needs one", sfx)
	}
	a, err := core.New(core.WithJWTKey(iss.PublicKeyPEM()), core.WithPublishableKey(pk), core.WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	tok := iss.Mint(clerktest.Session{UserID: "user_a"})
	other := iss.Mint(clerktest.Session{UserID: "user_b"}, clerktest.WithPayload(func(m map[string]any) { m["iss"] = "https://clerk.other.example" }))
	cookies := "__session=" + other + "; __client_uat=1; __session_" + sfx + "=" + tok + "; __client_uat_" + sfx + "=1"
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Cookie", cookies)
	for name, req := range map[string]core.Request{"scan": core.HTTPRequest(r), "Cookie": cookieOnly{r}} {
		c, err := a.Authenticate(t.Context(), req)
		if err != nil || c.Subject != "user_a" {
			t.Errorf("%s: %v %v, want user_a from __session_%s", name, c, err, sfx)
		}
	}
}

// cookieOnly is a core.Request with Header and Cookie only (no raw Cookie
// header): the jar is filled cookie by cookie.
type cookieOnly struct{ r *http.Request }

func (c cookieOnly) Header(name string) string { return c.r.Header.Get(name) }
func (c cookieOnly) Cookie(name string) (string, bool) {
	ck, err := c.r.Cookie(name)
	if err != nil {
		return "", false
	}
	return ck.Value, true
}

func browserKeyFor(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	browserKeyOnce.Do(func() {
		var err error
		if browserKey, err = clerktest.NewKey(); err != nil {
			panic(err)
		}
	})
	return browserKey
}
