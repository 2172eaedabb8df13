package core_test

import (
	"errors"
	"github.com/clerkguard/clerkguard/core/adapter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// sourceReq builds a request carrying a token in any of the places clerkguard
// may read: Authorization, X-Clerk-Token, ?token= and the cookie.
func sourceReq(auth, xHeader, query, cookie string) core.Request {
	u := "/events"
	if query != "" {
		u += "?token=" + url.QueryEscape(query)
	}
	r := httptest.NewRequest(http.MethodGet, u, nil)
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	if xHeader != "" {
		r.Header.Set("X-Clerk-Token", xHeader)
	}
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: cookie})
		r.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"}) // behaviour.md §10.1
	}
	return core.HTTPRequest(r)
}

// queryRoute is the route sources of an endpoint that opts in to ?token=
// (behaviour.md §1.6).
var queryRoute = []core.TokenSource{core.QuerySource("token")}

// behaviour.md §1.5, §1.6: opt-in sources, ordered after the Authorization
// header and before the cookie (the Authorizer's header sources, then the
// route's query sources); the first that yields a token wins.
func TestRule1_5_TokenSources(t *testing.T) {
	e := newRuleEnv(t)
	var last core.Outcome
	a := e.authorizer(t, core.WithTokenSources(core.HeaderSource("x-clerk-token")),
		core.WithObserver(func(o core.Outcome) { last = o }))
	plain := e.authorizer(t)
	tok := func(user string) string { return e.iss.Mint(clerktest.Session{UserID: user}) }
	auth, hdr, qry, ck := tok("user_auth"), tok("user_hdr"), tok("user_qry"), tok("user_cookie")
	bad := e.iss.Mint(clerktest.Session{UserID: "user_hdr"}, clerktest.TamperedSignature())
	cases := []struct {
		name                   string
		r                      core.Request
		wantUser, wantSource   string
		wantReason             core.Reason
		plainUser, plainReason string // what an Authorizer without sources says
	}{
		{"HeaderSource", sourceReq("", hdr, "", ""), "user_hdr", "header:X-Clerk-Token", "", "", string(core.ReasonSessionTokenMissing)},
		{"HeaderSourceBearerScheme", sourceReq("", "Bearer "+hdr, "", ""), "user_hdr", "header:X-Clerk-Token", "", "", string(core.ReasonSessionTokenMissing)},
		{"QuerySource", sourceReq("", "", qry, ""), "user_qry", "query:token", "", "", string(core.ReasonSessionTokenMissing)},
		{"AuthorizationWinsOverSources", sourceReq("Bearer "+auth, hdr, qry, ck), "user_auth", "header", "", "user_auth", ""},
		{"HeaderSourceWinsOverQueryAndCookie", sourceReq("", hdr, qry, ck), "user_hdr", "header:X-Clerk-Token", "", "user_cookie", ""},
		{"QueryWinsOverCookie", sourceReq("", "", qry, ck), "user_qry", "query:token", "", "user_cookie", ""},
		{"EmptyBearerInSourceFallsThrough", sourceReq("", "Bearer", qry, ck), "user_qry", "query:token", "", "user_cookie", ""},
		{"OtherSchemeInSourceFallsThrough", sourceReq("", "Basic dXNlcg==", "", ck), "user_cookie", "cookie", "", "user_cookie", ""},
		{"WhitespaceQueryFallsThrough", sourceReq("", "", "  ", ck), "user_cookie", "cookie", "", "user_cookie", ""},
		{"InvalidSourceTokenStillWins", sourceReq("", bad, qry, ck), "", "header:X-Clerk-Token", core.ReasonTokenInvalidSignature, "user_cookie", ""},
		{"NothingAnywhere", sourceReq("", "", "", ""), "", "", core.ReasonSessionTokenMissing, "", string(core.ReasonSessionTokenMissing)},
		{"QueryNeedsQueryRequest", fakeRequest{}, "", "", core.ReasonSessionTokenMissing, "", string(core.ReasonSessionTokenMissing)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := routeResult(a.AuthenticateRoute(t.Context(), tc.r, queryRoute))
			c, err := res.Claims, res.Err
			if tc.wantReason != "" {
				if !errors.Is(err, &core.Error{Reason: tc.wantReason}) || c != nil {
					t.Fatalf("behaviour.md §1.5: %v, want %s", err, tc.wantReason)
				}
			} else if err != nil || c.UserID() != tc.wantUser {
				t.Fatalf("behaviour.md §1.5: user %q err %v, want %s", c.UserID(), err, tc.wantUser)
			}
			if last.Source != tc.wantSource {
				t.Fatalf("behaviour.md §1.5: Outcome.Source %q, want %q", last.Source, tc.wantSource)
			}
			// Without WithTokenSources and route sources, only the header and
			// the cookie count.
			pc, perr := plain.Authenticate(t.Context(), tc.r)
			if pc.UserID() != tc.plainUser || string(core.ReasonOf(perr)) != tc.plainReason {
				t.Fatalf("behaviour.md §1.5: sources are opt-in: without them got %q/%v, want %q/%q", pc.UserID(), perr, tc.plainUser, tc.plainReason)
			}
		})
	}
}

// behaviour.md §1.2/§1.5: machine tokens may come from a header source, never
// from a query parameter (fresh or cached, JWT or opaque).
func TestRule1_5_MachineTokensPerSource(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithAcceptsToken(core.SessionToken, core.M2MToken),
		core.WithTokenSources(core.HeaderSource("X-Clerk-Token")))
	fromQuery := func(tok string) error {
		return routeResult(a.AuthenticateRoute(t.Context(), sourceReq("", "", tok, ""), queryRoute)).Err
	}
	m2m := e.iss.MintM2M(clerktest.Machine{Subject: "mch_src"})
	if err := fromQuery(m2m); !errors.Is(err, core.ErrTokenTypeMismatch) {
		t.Fatalf("behaviour.md §1.5: an M2M JWT from a query parameter: %v, want token-type-mismatch", err)
	}
	if c, err := a.Authenticate(t.Context(), sourceReq("", m2m, "", "")); err != nil || c.Subject != "mch_src" {
		t.Fatalf("behaviour.md §1.5: an M2M JWT from a header source: %v, want signed in", err)
	}
	// Now cached: still refused from the query.
	if err := fromQuery(m2m); !errors.Is(err, core.ErrTokenTypeMismatch) {
		t.Fatalf("behaviour.md §1.5: a cached M2M JWT from a query parameter: %v, want token-type-mismatch", err)
	}
	// Opaque: refused before any Backend API call (none is configured).
	if err := fromQuery("mt_0123456789abcdef0123456789abcdef"); !errors.Is(err, core.ErrTokenTypeMismatch) {
		t.Fatalf("behaviour.md §1.5: an opaque M2M token from a query parameter: %v, want token-type-mismatch", err)
	}
	for _, s := range []struct {
		src  core.TokenSource
		want bool
	}{{core.HeaderSource("X-A"), true}, {core.QuerySource("a"), false}} {
		if s.src.AcceptsMachineTokens() != s.want {
			t.Fatalf("%s: AcceptsMachineTokens = %v, want %v", s.src.Name(), !s.want, s.want)
		}
	}
}

func TestWithTokenSourcesValidation(t *testing.T) {
	e := newRuleEnv(t)
	for _, bad := range []core.TokenSource{{}, core.HeaderSource(""), core.HeaderSource("authorization"),
		core.HeaderSource("Cookie"), core.HeaderSource("X Token"), core.HeaderSource("X:Token"), core.QuerySource(" "),
		core.QuerySource("token")} {
		if _, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithTokenSources(bad)); !errors.Is(err, core.ErrConfig) {
			t.Fatalf("WithTokenSources(%q): %v, want ErrConfig", bad.Name(), err)
		}
	}
	if _, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithTokenSources(core.HeaderSource("X-Token_1"))); err != nil {
		t.Fatalf("valid sources refused: %v", err)
	}
}

// behaviour.md §1.6: a query parameter is read only on the routes that opt
// in to it (AuthenticateRoute with a QuerySource, which every adapter's
// WithQueryToken passes): never Authorizer-wide, so a planted link
// /settings?token=… neither signs a victim in as someone else nor, with
// ?token=garbage, signs them out on any other route.
func TestRule1_6_QuerySourceOnlyWhereRouteOptsIn(t *testing.T) {
	e := newRuleEnv(t)
	_, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithTokenSources(core.QuerySource("token")))
	if !errors.Is(err, core.ErrConfig) {
		t.Fatalf("behaviour.md §1.6: WithTokenSources(QuerySource) must be a configuration error (query sources are per route): %v", err)
	}
	a := e.authorizer(t)
	victim := e.iss.Mint(clerktest.Session{UserID: "user_victim"})
	attacker := e.iss.Mint(clerktest.Session{UserID: "user_attacker"})
	for _, tc := range []struct {
		name  string
		query string
		route []core.TokenSource
		want  string
		why   core.Reason
	}{
		{"OtherRouteIgnoresAttackerToken", attacker, nil, "user_victim", ""},
		{"OtherRouteIgnoresGarbage", "garbage", nil, "user_victim", ""},
		{"OtherRouteNoCookieIsSignedOut", attacker, nil, "", core.ReasonSessionTokenMissing},
		{"OptedInRouteReadsIt", attacker, queryRoute, "user_attacker", ""},
		{"OptedInRouteOtherParam", attacker, []core.TokenSource{core.QuerySource("access_token")}, "", core.ReasonSessionTokenMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ck := victim
			if tc.name == "OtherRouteNoCookieIsSignedOut" || tc.route != nil {
				ck = ""
			}
			r := sourceReq("", "", tc.query, ck)
			res := routeResult(a.AuthenticateRoute(t.Context(), r, tc.route))
			if tc.why != "" {
				if core.ReasonOf(res.Err) != tc.why {
					t.Fatalf("behaviour.md §1.6: %v, want %s", res.Err, tc.why)
				}
				return
			}
			if res.Err != nil || res.Claims.UserID() != tc.want {
				t.Fatalf("behaviour.md §1.6: signed in as %q (%v), want %q", res.Claims.UserID(), res.Err, tc.want)
			}
			if tc.route == nil {
				if c, err := a.Authenticate(t.Context(), r); err != nil || c.UserID() != tc.want {
					t.Fatalf("behaviour.md §1.6: Authenticate reads no query parameter: %q (%v), want %q", c.UserID(), err, tc.want)
				}
			}
		})
	}
}

// navReq is a GET /events?token=query with the victim's cookie, carrying
// the given request headers (name, value pairs).
func navReq(query, cookie string, hdrs ...string) core.Request {
	u := "/events?token=" + url.QueryEscape(query)
	hr := httptest.NewRequest(http.MethodGet, u, nil)
	if cookie != "" {
		hr.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: cookie})
		hr.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"}) // behaviour.md §10.1
	}
	for i := 0; i+1 < len(hdrs); i += 2 {
		hr.Header.Set(hdrs[i], hdrs[i+1])
	}
	return core.HTTPRequest(hr)
}

// behaviour.md §1.7: even on a route that opts in, a query token never
// overrides a session cookie on a document navigation (Sec-Fetch-Mode:
// navigate; without fetch metadata, an Accept that asks for text/html): the
// cookie is used and the query parameter is not read. WebSocket upgrades and
// EventSource requests, which are no navigations, keep the query token
// before the cookie; a navigation without a cookie may use it.
func TestRule1_7_QueryNeverOverridesCookieOnNavigation(t *testing.T) {
	e := newRuleEnv(t)
	var last core.Outcome
	a := e.authorizer(t, core.WithObserver(func(o core.Outcome) { last = o }))
	noCookies := e.authorizer(t, core.WithCookieAuth(false))
	victim := e.iss.Mint(clerktest.Session{UserID: "user_victim"})
	attacker := e.iss.Mint(clerktest.Session{UserID: "user_attacker"})
	cases := []struct {
		name   string
		query  string
		cookie string
		hdrs   []string
		want   string // user signed in, "" for signed out
		source string
	}{
		{"NavigateKeepsCookie", attacker, victim, []string{"Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document"}, "user_victim", "cookie"},
		{"NavigateCaseInsensitive", attacker, victim, []string{"Sec-Fetch-Mode", "Navigate"}, "user_victim", "cookie"},
		{"NavigateGarbageKeepsCookie", "garbage", victim, []string{"Sec-Fetch-Mode", "navigate"}, "user_victim", "cookie"},
		{"IframeNavigateKeepsCookie", attacker, victim, []string{"Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "iframe"}, "user_victim", "cookie"},
		{"LegacyHTMLAcceptKeepsCookie", attacker, victim, []string{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}, "user_victim", "cookie"},
		{"NavigateWithoutCookieUsesQuery", attacker, "", []string{"Sec-Fetch-Mode", "navigate"}, "user_attacker", "query:token"},
		{"WebSocketUsesQuery", attacker, victim, []string{"Sec-Fetch-Mode", "websocket", "Upgrade", "websocket", "Connection", "Upgrade"}, "user_attacker", "query:token"},
		{"EventSourceUsesQuery", attacker, victim, []string{"Sec-Fetch-Mode", "cors", "Accept", "text/event-stream"}, "user_attacker", "query:token"},
		{"FetchMetadataWinsOverAccept", attacker, victim, []string{"Sec-Fetch-Mode", "cors", "Accept", "text/html"}, "user_attacker", "query:token"},
		{"NoHintsUsesQuery", attacker, victim, nil, "user_attacker", "query:token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := routeResult(a.AuthenticateRoute(t.Context(), navReq(tc.query, tc.cookie, tc.hdrs...), queryRoute))
			if res.Err != nil || res.Claims.UserID() != tc.want || last.Source != tc.source {
				t.Fatalf("behaviour.md §1.7: signed in as %q from %q (%v), want %q from %q", res.Claims.UserID(), last.Source, res.Err, tc.want, tc.source)
			}
		})
	}
	t.Run("CookieAuthOffUsesQuery", func(t *testing.T) {
		// With cookie authentication off there is no session cookie to
		// protect: the route's query token is read on a navigation too.
		res := routeResult(noCookies.AuthenticateRoute(t.Context(), navReq(attacker, victim, "Sec-Fetch-Mode", "navigate"), queryRoute))
		if res.Err != nil || res.Claims.UserID() != "user_attacker" {
			t.Fatalf("behaviour.md §1.7: %q (%v), want user_attacker", res.Claims.UserID(), res.Err)
		}
	})
	t.Run("HeaderStillWins", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodGet, "/events?token="+url.QueryEscape(attacker), nil)
		r.Header.Set("Authorization", "Bearer "+victim)
		res := routeResult(a.AuthenticateRoute(t.Context(), core.HTTPRequest(r), queryRoute))
		if res.Err != nil || res.Claims.UserID() != "user_victim" || last.Source != core.SourceHeader {
			t.Fatalf("behaviour.md §1.1/§1.6: the Authorization header comes before a route's query: %q (%v)", res.Claims.UserID(), res.Err)
		}
	})
}

// behaviour.md §1.6: the adapters' WithQueryToken is QueryTokenOption: a
// middleware option adding a QuerySource to the route's sources; a name
// that cannot be a query parameter panics when the middleware is built.
func TestQueryTokenOption(t *testing.T) {
	type h func()
	cfg := adapter.NewMiddlewareConfig([]adapter.MiddlewareOption[h, *http.Request]{
		adapter.QueryTokenOption[h, *http.Request](" token "), adapter.QueryTokenOption[h, *http.Request]("access_token")})
	if len(cfg.Sources) != 2 || cfg.Sources[0].Name() != "query:token" || cfg.Sources[1].Name() != "query:access_token" || cfg.Sources[0].AcceptsMachineTokens() {
		t.Fatalf("QueryTokenOption: sources %v", cfg.Sources)
	}
	if none := adapter.NewMiddlewareConfig[h, *http.Request](nil); none.Sources != nil {
		t.Fatalf("without WithQueryToken a route has no sources: %v", none.Sources)
	}
	for _, bad := range []string{"", "  ", "a&b", "a=b", "to ken", "a#b", "a%20"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatalf("QueryTokenOption(%q) must panic", bad)
				}
			}()
			adapter.QueryTokenOption[h, *http.Request](bad)
		}()
	}
}

// BenchmarkAuthenticateRouteQuery is a cache hit through a route's query
// source (behaviour.md §1.6, §1.7) next to the same token in the
// Authorization header.
//
//	go test -run '^$' -bench 'AuthenticateRouteQuery' -benchmem ./core
func BenchmarkAuthenticateRouteQuery(b *testing.B) {
	e := newRuleEnv(b)
	a := e.authorizer(b, core.WithLogger(quietLogger()))
	tok := e.iss.Mint(clerktest.Session{UserID: "user_bench", TTL: 1 << 40})
	hdr := httptest.NewRequest(http.MethodGet, "/events", nil)
	hdr.Header.Set("Authorization", "Bearer "+tok)
	qry := httptest.NewRequest(http.MethodGet, "/events?token="+tok, nil)
	qry.Header.Set("Sec-Fetch-Mode", "websocket")
	qry.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: tok})
	qry.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"}) // behaviour.md §10.1
	for _, bc := range []struct {
		name  string
		r     core.Request
		route []core.TokenSource
	}{{"Header", core.HTTPRequest(hdr), nil}, {"RouteQuery", core.HTTPRequest(qry), queryRoute}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := a.AuthenticateRoute(b.Context(), bc.r, bc.route); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// routeResult is AuthenticateRoute's outcome as a Result.
func routeResult(c *core.Claims, err error) *core.Result { return &core.Result{Claims: c, Err: err} }
