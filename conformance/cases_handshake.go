package conformance

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Browser sessions (behaviour.md §10): with WithHandshake the middleware may
// answer (behaviour.md §7.1), and every adapter must answer with the same
// bytes core's Answer prescribes.

const (
	pathPage      = "/page"
	pathPageAuth  = "/page/auth"
	pathPageLogin = "/page/login"
)

func handshakeRoutes() []Route {
	return []Route{
		{Path: pathPage},
		{Path: pathPageAuth, Guard: guard(core.RequireAuth())},
		{Path: pathPageLogin, Guard: guard(core.RequireAuth()), RedirectToSignIn: true},
	}
}

// livePK is the suite issuer's publishable key as a production instance's.
func (s *suite) livePK() string {
	return "pk_live_" + strings.TrimPrefix(s.iss.PublishableKey(), "pk_test_")
}

// browserEnv is an application whose middleware runs WithHandshake, for a
// production (live) or development instance.
func (s *suite) browserEnv(t *testing.T, live, handshake bool, opts ...core.Option) *env {
	pk := s.iss.PublishableKey()
	if live {
		pk = s.livePK()
	}
	base := []core.Option{core.WithJWTKey(s.iss.PublicKeyPEM()), core.WithPublishableKey(pk),
		core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty)}
	return s.newEnv(t, envConfig{base: base, opts: opts, routes: handshakeRoutes(), handshake: handshake})
}

// page makes the request a browser's page load (GET, Sec-Fetch-Dest:
// document) with the cookies "name=value" and the URL query q.
func page(q string, cookies ...string) reqOpt {
	return func(r *http.Request) {
		r.Header.Set("Sec-Fetch-Dest", "document")
		if q != "" {
			r.URL.RawQuery = q
			r.RequestURI = r.URL.RequestURI()
		}
		if len(cookies) > 0 {
			r.Header.Set("Cookie", strings.Join(cookies, "; "))
		}
	}
}

// fetchFrom makes the request a script's fetch (Sec-Fetch-Dest: empty).
func fetchFrom(cookies ...string) reqOpt {
	return func(r *http.Request) {
		r.Header.Set("Sec-Fetch-Dest", "empty")
		r.Header.Set("Cookie", strings.Join(cookies, "; "))
	}
}

// wantAnswer is core's Answer for the request path+opts, computed by the
// Authorizer itself (AuthenticateBrowser) or, for a sign-in redirect, by
// core.SignInRedirect.
func (e *env) wantAnswer(path string, signIn bool, opts ...reqOpt) core.Answer {
	e.t.Helper()
	req := httptest.NewRequestWithContext(e.t.Context(), http.MethodGet, "http://conformance.test"+path, nil)
	for _, o := range opts {
		o(req)
	}
	c, ans, err := e.app.Authorizer.AuthenticateBrowser(req.Context(), core.HTTPRequest(req))
	if signIn {
		gerr := core.RequireAuth().Evaluate(&core.Result{Claims: c, Err: err})
		ans, _ = core.SignInRedirect(e.app.Authorizer, core.HTTPRequest(req), "", gerr)
	}
	return ans
}

// expectAnswer checks that r is exactly want, an Answer that stops the
// request: its status, every value of every header it sets, in order, and an
// empty body; the handler is not reached.
func (e *env) expectAnswer(r response, rule string, want core.Answer) {
	e.t.Helper()
	if !want.Stops() {
		e.t.Fatalf("%s: %s: the suite expected an answer but core gives none (status %d)", e.s.h.Name, rule, want.Status)
	}
	if r.status != want.Status {
		e.t.Errorf("%s: %s: %s: status %d, want %d", e.s.h.Name, r.request(), rule, r.status, want.Status)
	}
	e.expectHeaders(r, rule, want.Header)
	if len(bytes.TrimSpace(r.body)) != 0 {
		e.t.Errorf("%s: %s: %s: body %q, want none", e.s.h.Name, r.request(), rule, r.body)
	}
	if len(r.obs) != 0 {
		e.t.Errorf("%s: %s: %s: the handler was reached", e.s.h.Name, r.request(), rule)
	}
}

// expectHeaders checks that every header of want has exactly want's values in
// r, in order.
func (e *env) expectHeaders(r response, rule string, want http.Header) {
	e.t.Helper()
	for k, vs := range want {
		if got := r.header.Values(k); !slices.Equal(got, vs) {
			e.t.Errorf("%s: %s: %s: header %s = %q, want %q", e.s.h.Name, r.request(), rule, k, got, vs)
		}
	}
}

func handshakeCases() []tcase {
	uat := "__client_uat=5"
	return []tcase{
		{Name: "RedirectForPage", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true)
			opts := []reqOpt{page("a=1&b=%20c", uat)}
			want := e.wantAnswer(pathPage, false, opts...)
			if want.Header.Get("X-Clerk-Auth-Reason") != string(core.ReasonClientUATWithoutSessionToken) {
				t.Fatalf("core: answer %v", want.Header)
			}
			e.expectAnswer(e.do(pathPage, opts...), "behaviour.md §10.4: a page load with __client_uat but no session gets the 307 handshake redirect", want)
		}},
		{Name: "RedirectOnGuardedPage", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true)
			tok := s.mint(clerktest.Session{UserID: "user_exp", IssuedAt: s.now().Add(-time.Hour), TTL: time.Minute})
			opts := []reqOpt{page("", uat, "__session="+tok)}
			e.expectAnswer(e.do(pathPageAuth, opts...), "behaviour.md §10.4: an expired session token on a page load gets a handshake before any guard",
				e.wantAnswer(pathPageAuth, false, opts...))
		}},
		{Name: "NoRedirectForFetch", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true)
			e.expectSignedOut(e.do(pathPage, fetchFrom(uat)), "behaviour.md §10.4: a fetch never gets a handshake: signed out with the same reason", core.ReasonClientUATWithoutSessionToken)
			e.expectProblem(e.do(pathPageAuth, fetchFrom(uat)), "behaviour.md §10.4: a guarded fetch answers 401 with the same reason", core.ReasonClientUATWithoutSessionToken)
		}},
		{Name: "OffWithoutOption", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, false)
			e.expectSignedOut(e.do(pathPage, page("", uat)), "behaviour.md §7.1: without WithHandshake the middleware never answers", core.ReasonClientUATWithoutSessionToken)
		}},
		{Name: "LoopGuard", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true)
			e.expectSignedOut(e.do(pathPage, page("", uat, "__clerk_redirect_count=3")), "behaviour.md §10.6: at 3 redirects no handshake: signed out", core.ReasonClientUATWithoutSessionToken)
		}},
		{Name: "SignedInPage", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true)
			r := e.do(pathPageAuth, page("", "__client_uat=1", "__session="+s.user("user_page")))
			e.expectSignedIn(r, "behaviour.md §10.1: a signed-in page load continues, nothing added", "user_page")
			if got := r.header.Values("Set-Cookie"); len(got) != 0 {
				t.Errorf("%s: Set-Cookie %q on a signed-in page", s.h.Name, got)
			}
		}},
		{Name: "ResolveProduction", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true)
			ds := []string{"__session=" + s.user("user_hs") + "; Path=/; Secure; HttpOnly", "__client_uat=1; Path=/"}
			hs := s.iss.MintClaims(map[string]any{"handshake": ds})
			r := e.do(pathPageAuth, page("", "__clerk_handshake="+hs))
			e.expectSignedIn(r, "behaviour.md §10.5: production resolves the handshake cookie and continues signed in", "user_hs")
			e.expectHeaders(r, "behaviour.md §10.5: exactly the returned cookie directives are set", e.wantAnswer(pathPageAuth, false, page("", "__clerk_handshake="+hs)).Header)
		}},
		{Name: "ResolveDevelopment", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, false, true)
			ds := []string{"__session=" + s.user("user_hs") + "; Path=/", "__clerk_db_jwt=db_2; Path=/"}
			hs := s.iss.MintClaims(map[string]any{"handshake": ds})
			opts := []reqOpt{page("__clerk_handshake="+hs+"&tab=2", "__clerk_db_jwt=db_1")}
			want := e.wantAnswer(pathPage, false, opts...)
			if want.Header.Get("Location") != "http://conformance.test/page?tab=2" {
				t.Fatalf("core: Location %q", want.Header.Get("Location"))
			}
			e.expectAnswer(e.do(pathPage, opts...), "behaviour.md §10.5: development redirects to the URL without the handshake parameters, with the cookies", want)
		}},
	}
}

func signInRedirectCases() []tcase {
	return []tcase{
		{Name: "PageRedirected", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true, core.WithSignInURL("https://accounts.conformance.test/sign-in"))
			opts := []reqOpt{page("x=1")}
			want := e.wantAnswer(pathPageLogin, true, opts...)
			if !strings.HasPrefix(want.Header.Get("Location"), "https://accounts.conformance.test/sign-in?redirect_url=") {
				t.Fatalf("core: Location %q", want.Header.Get("Location"))
			}
			e.expectAnswer(e.do(pathPageLogin, opts...), "behaviour.md §10.9: a signed-out page load is sent to the sign-in page (307, redirect_url)", want)
		}},
		{Name: "FetchAnswered", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true, core.WithSignInURL("https://accounts.conformance.test/sign-in"))
			e.expectProblem(e.do(pathPageLogin, fetchFrom("x=1")), "behaviour.md §10.9: a signed-out fetch answers 401 as always", core.ReasonSessionTokenMissing)
		}},
		{Name: "SignedInPasses", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true, core.WithSignInURL("https://accounts.conformance.test/sign-in"))
			e.expectSignedIn(e.do(pathPageLogin, page("", "__client_uat=1", "__session="+s.user("user_in"))), "behaviour.md §10.9: a signed-in page passes", "user_in")
		}},
		{Name: "NoURLAnswered", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true)
			e.expectProblem(e.do(pathPageLogin, page("")), "behaviour.md §10.9: without a sign-in URL the guard answers 401 as always", core.ReasonSessionTokenMissing)
		}},
	}
}
