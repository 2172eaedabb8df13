package core_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §10.1, §10.4: the cookie rules, ported from request.test.ts
// ("tokens.authenticateRequest(options)", the cookieToken cases) and
// integration/tests/handshake.test.ts.
func TestRule10_1_CookieRules(t *testing.T) {
	type want struct {
		hs     string      // handshake reason, "" for no handshake
		reason core.Reason // Result reason, "" for signed in
	}
	cases := []struct {
		name    string
		live    bool
		cookies func(e *browserEnv) []string
		target  string
		fetch   bool
		post    bool
		want    want
	}{
		// request.test.ts: "cookieToken: returns signed out when no cookieToken and no clientUat in production [4y]"
		{name: "NoCookieNoUatProd", live: true, cookies: func(*browserEnv) []string { return nil },
			want: want{reason: core.ReasonSessionTokenMissing}},
		// request.test.ts: "cookieToken: returns handshake when no dev browser in development"
		{name: "NoDevBrowserDev", cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=" + e.uat(0), "__session=" + e.token(0, time.Minute)}
		}, want: want{hs: "dev-browser-missing", reason: core.ReasonDevBrowserMissing}},
		// request.test.ts: "cookieToken: returns handshake when no clientUat in development [5y]"
		{name: "NoUatDev", cookies: func(e *browserEnv) []string {
			return []string{"__clerk_db_jwt=deadbeef", "__session=" + e.token(0, time.Minute)}
		}, want: want{hs: "session-token-but-no-client-uat", reason: core.ReasonSessionTokenWithoutClientUAT}},
		// request.test.ts: "cookieToken: returns handshake when no cookies in development [5y]"
		// integration: "missing session token, missing uat (indicating signed out), missing devbrowser - dev"
		{name: "NoCookiesDev", cookies: func(*browserEnv) []string { return nil },
			want: want{hs: "dev-browser-missing", reason: core.ReasonDevBrowserMissing}},
		// request.test.ts: "cookieToken: returns handshake when clientUat > 0 and no cookieToken [8y]"
		// integration: "missing session token, positive uat - prod"
		{name: "UatNoSessionProd", live: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=" + e.uat(0)}
		}, want: want{hs: "client-uat-but-no-session-token", reason: core.ReasonClientUATWithoutSessionToken}},
		// integration: "missing session token, positive uat - dev"
		{name: "UatNoSessionDev", cookies: func(e *browserEnv) []string {
			return []string{"__clerk_db_jwt=deadbeef", "__client_uat=" + e.uat(0)}
		}, want: want{hs: "client-uat-but-no-session-token", reason: core.ReasonClientUATWithoutSessionToken}},
		// request.test.ts: "cookieToken: returns signed out when clientUat = 0 and no cookieToken [9y]"
		// integration: "missing session token, 0 uat (indicating signed out) - prod"
		{name: "ZeroUatNoSessionProd", live: true, cookies: func(*browserEnv) []string { return []string{"__client_uat=0"} },
			want: want{reason: core.ReasonSessionTokenMissing}},
		// integration: "missing session token, 0 uat (indicating signed out) - dev"
		{name: "ZeroUatNoSessionDev", cookies: func(*browserEnv) []string { return []string{"__clerk_db_jwt=deadbeef", "__client_uat=0"} },
			want: want{reason: core.ReasonSessionTokenMissing}},
		// integration: "missing session token, missing uat (indicating signed out) - dev"
		{name: "NoUatNoSessionDev", cookies: func(*browserEnv) []string { return []string{"__clerk_db_jwt=deadbeef"} },
			want: want{reason: core.ReasonSessionTokenMissing}},
		// issue 19 item 1: a session with __client_uat=0 (the browser signed out).
		{name: "SessionZeroUatProd", live: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=0", "__session=" + e.token(0, time.Minute)}
		}, want: want{hs: "session-token-but-no-client-uat", reason: core.ReasonSessionTokenWithoutClientUAT}},
		// request.test.ts: "cookieToken: returns handshake when clientUat > cookieToken.iat [10n]"
		{name: "UatAfterIat", live: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=" + e.uat(time.Second), "__session=" + e.token(0, time.Minute)}
		}, want: want{hs: "session-token-iat-before-client-uat", reason: core.ReasonSessionTokenIATBeforeClientUAT}},
		// Boundary of [10n]: iat == client_uat is not before it.
		{name: "UatEqualsIat", live: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=" + e.uat(0), "__session=" + e.token(0, time.Minute)}
		}, want: want{}},
		// request.test.ts: "cookieToken: returns signed out when cookieToken.iat >= clientUat and malformed token [10y.1n]"
		{name: "MalformedToken", live: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=" + e.uat(-time.Minute), "__session=" + e.iss.Mint(clerktest.Session{UserID: "user_1"}, clerktest.TamperedSignature())}
		}, want: want{reason: core.ReasonTokenInvalidSignature}},
		// request.test.ts: "cookieToken: returns signed in when cookieToken.iat >= clientUat and valid token [10y.2y]"
		// integration: "standard signed-in - prod"
		{name: "SignedInProd", live: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=" + e.uat(-time.Minute), "__session=" + e.token(0, time.Minute)}
		}, want: want{}},
		// integration: "standard signed-in - dev"
		{name: "SignedInDev", cookies: func(e *browserEnv) []string {
			return []string{"__clerk_db_jwt=deadbeef", "__client_uat=" + e.uat(-time.Minute), "__session=" + e.token(0, time.Minute)}
		}, want: want{}},
		// request.test.ts: "cookieToken: returns signed out when an M2M JWT is presented in the __session cookie (SDK-107)"
		{name: "M2MJWTInCookie", live: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=1", "__session=" + e.iss.MintM2M(clerktest.Machine{Subject: "mch_1"})}
		}, want: want{reason: core.ReasonTokenTypeMismatch}},
		// request.test.ts (SEC-340 / hasNonSessionJwtCategory): a JWT template in the cookie.
		{name: "JWTTemplateInCookie", live: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=1", "__session=" + e.iss.Mint(clerktest.Session{UserID: "user_1"}, clerktest.WithHeader("cat", "cl_B7d4PD222AAA"))}
		}, want: want{reason: core.ReasonTokenTypeMismatch}},
		// issue 19 item 1: an opaque machine token in the cookie.
		{name: "OpaqueInCookie", live: true, cookies: func(*browserEnv) []string {
			return []string{"__client_uat=1", "__session=mt_0123456789abcdef"}
		}, want: want{reason: core.ReasonTokenTypeMismatch}},
		// request.test.ts: "cookieToken: returns handshake when cookieToken.iat >= clientUat and expired token [10y.2n.1n]"
		// integration: "expired session token - prod"
		{name: "ExpiredProd", live: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=" + e.uat(-time.Hour), "__session=" + e.token(-10*time.Minute, time.Minute)}
		}, want: want{hs: "session-token-expired-refresh-non-eligible-no-refresh-cookie", reason: core.ReasonTokenExpired}},
		// integration: "expired session token - dev"
		{name: "ExpiredDev", cookies: func(e *browserEnv) []string {
			return []string{"__clerk_db_jwt=deadbeef", "__client_uat=" + e.uat(-time.Hour), "__session=" + e.token(-10*time.Minute, time.Minute)}
		}, want: want{hs: "session-token-expired-refresh-non-eligible-no-refresh-cookie", reason: core.ReasonTokenExpired}},
		// integration: "early session token - dev"
		{name: "EarlyDev", cookies: func(e *browserEnv) []string {
			return []string{"__clerk_db_jwt=deadbeef", "__client_uat=1", "__session=" + e.token(time.Hour, time.Hour)}
		}, want: want{hs: "session-token-nbf", reason: core.ReasonTokenNotActiveYet}},
		// request.test.ts "POST requests with sec-fetch-dest: document":
		// "returns signed out instead of handshake when clientUat > 0 and no cookieToken"
		{name: "PostUatNoSession", live: true, post: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=" + e.uat(0)}
		}, want: want{reason: core.ReasonClientUATWithoutSessionToken}},
		// "returns signed out instead of handshake when clientUat > cookieToken.iat"
		{name: "PostUatAfterIat", live: true, post: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=" + e.uat(time.Second), "__session=" + e.token(0, time.Minute)}
		}, want: want{reason: core.ReasonSessionTokenIATBeforeClientUAT}},
		// issue 19 item 2: non-eligible requests are signed out with the same reason.
		{name: "FetchExpired", live: true, fetch: true, cookies: func(e *browserEnv) []string {
			return []string{"__client_uat=1", "__session=" + e.token(-10*time.Minute, time.Minute)}
		}, want: want{reason: core.ReasonTokenExpired}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newBrowserEnv(t, c.live)
			target := "http://localhost:3000/dashboard?tab=1"
			if c.target != "" {
				target = c.target
			}
			var r *http.Request
			switch {
			case c.fetch:
				r = fetchReq(target, c.cookies(e)...)
			case c.post:
				r = page(target, c.cookies(e)...)
				r.Method = http.MethodPost
			default:
				r = page(target, c.cookies(e)...)
			}
			res, ans := e.outcome(r)
			if c.want.reason == "" {
				wantSignedIn(t, res)
			} else {
				wantSignedOut(t, res, c.want.reason)
			}
			if c.want.hs == "" {
				wantNoAnswer(t, ans)
				return
			}
			q := wantHandshake(t, ans, c.want.hs)
			if got := q.Get("redirect_url"); got != target {
				t.Errorf("redirect_url %q, want %q", got, target)
			}
		})
	}
}

// behaviour.md §10.1: the cookie rules hold without the handshake too
// (Authenticate): the same reasons, never an answer.
func TestRule10_1_PlainAuthenticate(t *testing.T) {
	e := newBrowserEnv(t, true)
	tok := e.token(0, time.Minute)
	cases := []struct {
		name    string
		cookies []string
		reason  core.Reason
	}{
		{"SessionWithoutUat", []string{"__session=" + tok}, core.ReasonSessionTokenWithoutClientUAT},
		{"SessionZeroUat", []string{"__session=" + tok, "__client_uat=0"}, core.ReasonSessionTokenWithoutClientUAT},
		{"UatWithoutSession", []string{"__client_uat=5"}, core.ReasonClientUATWithoutSessionToken},
		{"IatBeforeUat", []string{"__session=" + tok, "__client_uat=" + e.uat(time.Second)}, core.ReasonSessionTokenIATBeforeClientUAT},
		{"IatAtUat", []string{"__session=" + tok, "__client_uat=" + e.uat(0)}, ""},
		{"NoDevBrowserNeeded", []string{"__session=" + tok, "__client_uat=1"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.a.Authenticate(t.Context(), core.HTTPRequest(page("/", c.cookies...)))
			if core.ReasonOf(err) != c.reason {
				t.Fatalf("reason %q (%v), want %q", core.ReasonOf(err), err, c.reason)
			}
		})
	}
}

// behaviour.md §10.1: a header token is not subject to the cookie rules.
// request.test.ts: "headerToken: returns signed in state when a valid token [1y.2y]"
func TestRule10_1_HeaderTokenUnaffected(t *testing.T) {
	e := newBrowserEnv(t, true)
	r := page("/", "__client_uat="+e.uat(time.Hour))
	r.Header.Set("Authorization", "Bearer "+e.token(0, time.Minute))
	res, ans := e.outcome(r)
	wantSignedIn(t, res)
	wantNoAnswer(t, ans)
}

// behaviour.md §10.4: eligibility, ported from handshake.test.ts
// "isRequestEligibleForHandshake".
func TestRule10_4_Eligibility(t *testing.T) {
	cases := []struct {
		name, method, dest, accept string
		eligible                   bool
	}{
		{"should return true for document secFetchDest", "GET", "document", "", true},
		{"should return true for iframe secFetchDest", "GET", "iframe", "", true},
		{"should return true for text/html accept header without secFetchDest", "GET", "", "text/html,application/xhtml+xml", true},
		{"should return false for non-eligible requests", "GET", "empty", "text/html", false},
		{"should return false for POST requests with document secFetchDest", "POST", "document", "", false},
		{"should return false for PUT requests with document secFetchDest", "PUT", "document", "", false},
		{"should return false for POST requests with text/html accept without secFetchDest", "POST", "", "text/html", false},
		{"accept not starting with text/html", "GET", "", "application/json, text/html", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newBrowserEnv(t, true)
			r := httptest.NewRequest(c.method, "http://app.example/", nil)
			if c.dest != "" {
				r.Header.Set("Sec-Fetch-Dest", c.dest)
			}
			if c.accept != "" {
				r.Header.Set("Accept", c.accept)
			}
			r.Header.Set("Cookie", "__client_uat=5")
			res, ans := e.outcome(r)
			wantSignedOut(t, res, core.ReasonClientUATWithoutSessionToken)
			if ans.Stops() != c.eligible {
				t.Fatalf("handshake %v, want %v", ans.Stops(), c.eligible)
			}
		})
	}
}

// behaviour.md §10.4: the redirect's parameters, ported from handshake.test.ts
// "buildRedirectToHandshake".
func TestRule10_4_HandshakeRedirect(t *testing.T) {
	t.Run("should build redirect headers with basic parameters", func(t *testing.T) {
		e := newBrowserEnv(t, true)
		_, ans := e.outcome(page("http://app.example/x?a=1&b=%20c", "__client_uat=5"))
		q := wantHandshake(t, ans, "client-uat-but-no-session-token")
		if q.Get("redirect_url") != "http://app.example/x?a=1&b=%20c" || q.Get("suffixed_cookies") != "false" || q.Has("__session") || q.Has("__clerk_db_jwt") {
			t.Errorf("query %v", q)
		}
		if got := ans.Header.Values("Set-Cookie"); len(got) != 1 || got[0] != "__clerk_redirect_count=1; SameSite=Lax; HttpOnly; Max-Age=2" {
			t.Errorf("Set-Cookie %q", got)
		}
	})
	t.Run("should include dev browser token in development mode", func(t *testing.T) {
		e := newBrowserEnv(t, false)
		_, ans := e.outcome(page("http://app.example/", "__clerk_db_jwt=db_1", "__client_uat=5"))
		if q := wantHandshake(t, ans, "client-uat-but-no-session-token"); q.Get("__clerk_db_jwt") != "db_1" {
			t.Errorf("__clerk_db_jwt %q, want db_1", q.Get("__clerk_db_jwt"))
		}
	})
	t.Run("should not include dev browser token in production mode", func(t *testing.T) {
		e := newBrowserEnv(t, true)
		_, ans := e.outcome(page("http://app.example/", "__clerk_db_jwt=db_1", "__client_uat=5"))
		if q := wantHandshake(t, ans, "client-uat-but-no-session-token"); q.Has("__clerk_db_jwt") {
			t.Errorf("__clerk_db_jwt sent in production")
		}
	})
	t.Run("should include session token in handshake URL when session token is present", func(t *testing.T) {
		e := newBrowserEnv(t, true)
		tok := e.token(-10*time.Minute, time.Minute)
		_, ans := e.outcome(page("http://app.example/", "__client_uat=1", "__session="+tok))
		if q := wantHandshake(t, ans, "session-token-expired-refresh-non-eligible-no-refresh-cookie"); q.Get("__session") != tok {
			t.Errorf("__session not in the handshake URL")
		}
	})
	// integration: "External visit - new devbrowser"; request.test.ts dev-browser-sync.
	t.Run("External visit - new devbrowser", func(t *testing.T) {
		e := newBrowserEnv(t, false)
		_, ans := e.outcome(page("http://app.example/?__clerk_db_jwt=asdf", "__clerk_db_jwt=old"))
		q := wantHandshake(t, ans, "dev-browser-sync")
		if q.Get("redirect_url") != "http://app.example/" || q.Get("__clerk_db_jwt") != "asdf" || q.Get("suffixed_cookies") != "false" {
			t.Errorf("query %v", q)
		}
	})
	// integration: "redirect url - path and qs - prod"
	t.Run("redirect url - path and qs - prod", func(t *testing.T) {
		e := newBrowserEnv(t, true)
		_, ans := e.outcome(page("http://app.example/hello%20world?foo=bar&__dev_session=x", "__client_uat=5"))
		if q := wantHandshake(t, ans, "client-uat-but-no-session-token"); q.Get("redirect_url") != "http://app.example/hello%20world?foo=bar" {
			t.Errorf("redirect_url %q", q.Get("redirect_url"))
		}
	})
	// handshake.test.ts "should use proxy URL when available" and the
	// trailing-slash cases; integration "proxyUrl - prod", "redirect url - proxy with port - prod".
	for _, c := range []struct{ proxy, want string }{
		{"https://example.com/__clerk", "https://example.com/__clerk/v1/client/handshake"},
		{"https://example.com/__clerk/", "https://example.com/__clerk/v1/client/handshake"},
		{"https://example.com/__clerk///", "https://example.com/__clerk/v1/client/handshake"},
		{"https://example.com:8443/api/__clerk", "https://example.com:8443/api/__clerk/v1/client/handshake"},
		{"/__clerk", "http://app.example/__clerk/v1/client/handshake"},
	} {
		t.Run("proxy "+c.proxy, func(t *testing.T) {
			e := newBrowserEnv(t, true, core.WithProxyURL(c.proxy))
			_, ans := e.outcome(page("http://app.example/", "__client_uat=5"))
			u := location(t, ans)
			if got := u.Scheme + "://" + u.Host + u.Path; got != c.want {
				t.Errorf("handshake URL %s, want %s", got, c.want)
			}
		})
	}
}

// behaviour.md §10.3: forwarded headers only when trusted.
func TestRule10_3_ForwardedHeaders(t *testing.T) {
	for _, c := range []struct {
		name               string
		target             string
		headers            [][2]string
		untrusted, trusted string // the redirect_url
	}{
		{"XForwarded", "http://internal:8080/p?q=1",
			[][2]string{{"X-Forwarded-Proto", "https, http"}, {"X-Forwarded-Host", "app.example.com, internal"}},
			"http://internal:8080/p?q=1", "https://app.example.com/p?q=1"},
		// authenticateContext.ts initHeaderValues: CloudFront-Forwarded-Proto
		// wins over X-Forwarded-Proto.
		{"CloudFront", "http://app.example/p",
			[][2]string{{"CloudFront-Forwarded-Proto", "https"}, {"X-Forwarded-Proto", "http"}},
			"http://app.example/p", "https://app.example/p"},
	} {
		for _, trust := range []bool{false, true} {
			e := newBrowserEnv(t, true, core.WithTrustForwardedHeaders(trust))
			r := page(c.target, "__client_uat=5")
			for _, h := range c.headers {
				r.Header.Set(h[0], h[1])
			}
			_, ans := e.outcome(r)
			want := c.untrusted
			if trust {
				want = c.trusted
			}
			if q := wantHandshake(t, ans, "client-uat-but-no-session-token"); q.Get("redirect_url") != want {
				t.Errorf("%s, trust %v: redirect_url %q, want %q", c.name, trust, q.Get("redirect_url"), want)
			}
		}
	}
	t.Run("HostWithPathIsNoURL", func(t *testing.T) {
		e := newBrowserEnv(t, true, core.WithTrustForwardedHeaders(true))
		r := page("http://app.example/", "__client_uat=5")
		r.Header.Set("X-Forwarded-Host", "evil.example/path")
		res, ans := e.outcome(r)
		wantSignedOut(t, res, core.ReasonClientUATWithoutSessionToken)
		wantNoAnswer(t, ans)
	})
}

// behaviour.md §10.6: the loop guard, ported from handshake.test.ts
// "checkAndTrackRedirectLoop" and integration "Sets the redirect loop tracking cookie".
func TestRule10_6_RedirectLoop(t *testing.T) {
	for _, c := range []struct {
		count string
		stop  bool
		next  string
	}{{"", false, "1"}, {"1", false, "2"}, {"2", false, "3"}, {"3", true, ""}, {"7", true, ""}, {"x", false, "1"}} {
		t.Run("count="+c.count, func(t *testing.T) {
			e := newBrowserEnv(t, true)
			cookies := []string{"__client_uat=5"}
			if c.count != "" {
				cookies = append(cookies, "__clerk_redirect_count="+c.count)
			}
			res, ans := e.outcome(page("http://app.example/", cookies...))
			wantSignedOut(t, res, core.ReasonClientUATWithoutSessionToken)
			if c.stop {
				wantNoAnswer(t, ans)
				if n := strings.Count(e.logs.String(), "handshake redirect loop"); n != 1 {
					t.Errorf("%d loop log lines, want 1:\n%s", n, e.logs.String())
				}
				return
			}
			wantHandshake(t, ans, "client-uat-but-no-session-token")
			if got := ans.Header.Get("Set-Cookie"); got != "__clerk_redirect_count="+c.next+"; SameSite=Lax; HttpOnly; Max-Age=2" {
				t.Errorf("Set-Cookie %q", got)
			}
		})
	}
}

// behaviour.md §10.2: the cookie suffix, ported from authenticateContext.test.ts
// "getCookieSuffix(publishableKey, subtle)".
func TestRule10_2_CookieSuffix(t *testing.T) {
	for _, c := range []struct{ pk, want string }{
		{"pk_live_Y2xlcmsuY2xlcmsuZGV2JA", "1Z8AzTQD"},
		{"pk_test_Y2xlcmsuY2xlcmsuZGV2JA", "QvfNY2dr"},
		// "omits special characters from the cookie suffix"
		{"pk_test_ZW5vdWdoLWFscGFjYS04Mi5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k", "jtYvyt_H"},
		{"pk_test_eHh4eHh4LXhhYWFhYS1hYS5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k", "tZJdb-5s"},
	} {
		if got := core.CookieSuffix(c.pk); got != c.want {
			t.Errorf("CookieSuffix(%s) = %q, want %q", c.pk, got, c.want)
		}
	}
}

// behaviour.md §10.4: a page load with an expired Authorization token gets
// a handshake too. integration/tests/handshake.test.ts: "expired session
// token - authorization header - prod", "early session token -
// authorization header - dev"; request.test.ts: "headerToken: returns
// handshake state when token expired [1y.2n]".
func TestRule10_4_HeaderTokenHandshake(t *testing.T) {
	for _, c := range []struct {
		name string
		live bool
		iat  time.Duration
		ttl  time.Duration
		hs   string
	}{
		{"expired session token - authorization header - prod", true, -10 * time.Minute, time.Minute, "session-token-expired-refresh-non-eligible-no-refresh-cookie"},
		{"early session token - authorization header - dev", false, time.Hour, time.Hour, "session-token-nbf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newBrowserEnv(t, c.live)
			tok := e.token(c.iat, c.ttl)
			r := page("http://app.example/", "__clerk_db_jwt=db", "__client_uat="+e.uat(c.iat))
			r.Header.Set("Authorization", "Bearer "+tok)
			res, ans := e.outcome(r)
			if res.SignedIn() {
				t.Fatal("signed in")
			}
			if q := wantHandshake(t, ans, c.hs); q.Get("__session") != tok || q.Get("redirect_url") != "http://app.example/" {
				t.Errorf("query %v", q)
			}
			// A fetch with the same header is only signed out.
			r.Header.Set("Sec-Fetch-Dest", "empty")
			if _, ans := e.outcome(r); ans.Stops() {
				t.Error("a fetch got a handshake")
			}
		})
	}
}

// behaviour.md §10.1, request.test.ts "cookieToken: returns signed in for
// Amazon Cloudfront userAgent": a CDN's user agent changes nothing, in
// production, with or without the handshake.
func TestRule10_1_CloudFrontUserAgent(t *testing.T) {
	e := newBrowserEnv(t, true)
	r := page("http://app.example/", "__client_uat=12345", "__session="+e.token(0, time.Minute))
	r.Header.Set("User-Agent", "Amazon CloudFront")
	res, ans := e.outcome(r)
	wantSignedIn(t, res)
	wantNoAnswer(t, ans)
	if _, err := e.a.Authenticate(t.Context(), core.HTTPRequest(r)); err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
}
