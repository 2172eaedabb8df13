package conformance

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// The extra token sources the Sources cases configure (behaviour.md §1.5).
const (
	sourceHeader = "X-Clerk-Token"
	sourceQuery  = "token"
)

// xToken sends tok in the sourceHeader header.
func xToken(tok string) reqOpt {
	return func(r *http.Request) { r.Header.Set(sourceHeader, tok) }
}

// queryToken sends tok in the sourceQuery URL query parameter.
func queryToken(tok string) reqOpt {
	return func(r *http.Request) {
		q := r.URL.Query()
		q.Set(sourceQuery, tok)
		r.URL.RawQuery = q.Encode()
		r.RequestURI = r.URL.RequestURI()
	}
}

// presentedSourceToken is the token r carries in a Sources case's extra
// sources, for the "never in a response or log" checks.
func presentedSourceToken(r *http.Request) string {
	if v := r.Header.Get(sourceHeader); v != "" {
		return v
	}
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil {
		return q.Get(sourceQuery)
	}
	return ""
}

// Routes that opt in to a query token (behaviour.md §1.6).
const (
	pathEvents    = "/events"
	pathEventsM2M = "/events/m2m"
)

// sourceRoutes are standardRoutes plus two routes whose middleware reads
// the sourceQuery parameter (the adapter's WithQueryToken).
func sourceRoutes() []Route {
	return append(standardRoutes(),
		Route{Path: pathEvents, Guard: guard(core.RequireAuth()), QueryToken: sourceQuery},
		Route{Path: pathEventsM2M, Guard: guard(core.AcceptsToken(core.M2MToken)), QueryToken: sourceQuery})
}

// navigation makes the request a browser's document navigation (a link
// followed), websocket a browser's WebSocket upgrade.
func navigation() reqOpt {
	return func(r *http.Request) {
		r.Header.Set("Sec-Fetch-Mode", "navigate")
		r.Header.Set("Sec-Fetch-Dest", "document")
		r.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	}
}

func websocket() reqOpt {
	return func(r *http.Request) {
		r.Header.Set("Sec-Fetch-Mode", "websocket")
		r.Header.Set("Upgrade", "websocket")
	}
}

// sourcesCases cover behaviour.md §1.5–§1.7 through every adapter's request
// view: header sources after the Authorization header and before the
// cookie; query tokens only on the routes whose middleware opts in
// (WithQueryToken), never over a session cookie on a document navigation,
// and never machine tokens.
func sourcesCases() []tcase {
	withSources := func(s *suite, more ...core.Option) envConfig {
		return envConfig{routes: sourceRoutes(), opts: append([]core.Option{core.WithTokenSources(core.HeaderSource(sourceHeader))}, more...)}
	}
	return []tcase{
		{Name: "HeaderAndQuery", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, withSources(s))
			e.expectSignedIn(e.do(pathAuth, xToken(s.user("user_x"))), "behaviour.md §1.5: a token in the configured header", "user_x")
			e.expectSignedIn(e.do(pathEvents, queryToken(s.user("user_q"))), "behaviour.md §1.6: a token in the query parameter of a route that opts in (WithQueryToken)", "user_q")
			e.expectProblem(e.do(pathEvents), "behaviour.md §1.4/§1.5: no token in any source is session-token-missing", core.ReasonSessionTokenMissing)
		}},
		{Name: "Order", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, withSources(s))
			e.expectSignedIn(e.do(pathEvents, bearer(s.user("user_auth")), xToken(s.user("user_x")), queryToken(s.user("user_q"))), "behaviour.md §1.5: the Authorization header comes first", "user_auth")
			e.expectSignedIn(e.do(pathEvents, xToken(s.user("user_x")), queryToken(s.user("user_q")), cookie(s.user("user_cookie"))), "behaviour.md §1.5/§1.6: the Authorizer's header sources before the route's query", "user_x")
			e.expectSignedIn(e.do(pathEvents, queryToken(s.user("user_q")), cookie(s.user("user_cookie"))), "behaviour.md §1.6: outside a navigation, the route's query comes before the cookie", "user_q")
			bad := s.mint(clerktest.Session{UserID: "user_x"}, clerktest.TamperedSignature())
			e.expectProblem(e.do(pathAuth, xToken(bad), cookie(s.user("user_cookie"))), "behaviour.md §1.3/§1.5: a source that yields a token wins, even if it fails", core.ReasonTokenInvalidSignature)
		}},
		{Name: "OptIn", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectProblem(e.do(pathAuth, xToken(s.user("user_x")), queryToken(s.user("user_q"))), "behaviour.md §1.5/§1.6: without WithTokenSources and WithQueryToken neither header nor query is read", core.ReasonSessionTokenMissing)
		}},
		{Name: "QueryOnlyWhereRouteOptsIn", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, withSources(s))
			victim, attacker := s.user("user_victim"), s.user("user_attacker")
			e.expectSignedIn(e.do(pathAuth, queryToken(attacker), cookie(victim)), "behaviour.md §1.6: a planted ?token= on a route that did not opt in never signs the visitor in as someone else", "user_victim")
			e.expectSignedIn(e.do(pathAuth, queryToken("garbage"), cookie(victim)), "behaviour.md §1.6: a planted ?token=garbage on a route that did not opt in never signs the visitor out", "user_victim")
			e.expectProblem(e.do(pathAuth, queryToken(attacker)), "behaviour.md §1.6: a route that did not opt in reads no query parameter", core.ReasonSessionTokenMissing)
			e.expectSignedIn(e.do(pathEvents, queryToken(attacker)), "behaviour.md §1.6: the route that opts in reads it", "user_attacker")
		}},
		{Name: "QueryNeverOverridesCookieOnNavigation", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, withSources(s))
			victim, attacker := s.user("user_victim"), s.user("user_attacker")
			e.expectSignedIn(e.do(pathEvents, queryToken(attacker), cookie(victim), navigation()), "behaviour.md §1.7: a document navigation keeps the session cookie, whatever ?token= says", "user_victim")
			e.expectSignedIn(e.do(pathEvents, queryToken("garbage"), cookie(victim), navigation()), "behaviour.md §1.7: ?token=garbage on a navigation never signs the visitor out", "user_victim")
			e.expectSignedIn(e.do(pathEvents, queryToken(attacker), cookie(victim), header("Accept", "text/html")), "behaviour.md §1.7: without fetch metadata, a request for text/html is a navigation", "user_victim")
			e.expectSignedIn(e.do(pathEvents, queryToken(s.user("user_ws")), cookie(victim), websocket()), "behaviour.md §1.7: a WebSocket upgrade is no navigation: the query token comes before the cookie", "user_ws")
			e.expectSignedIn(e.do(pathEvents, queryToken(s.user("user_sse")), cookie(victim), header("Sec-Fetch-Mode", "cors"), header("Accept", "text/event-stream")), "behaviour.md §1.7: an EventSource request is no navigation", "user_sse")
			e.expectSignedIn(e.do(pathEvents, queryToken(s.user("user_q")), navigation()), "behaviour.md §1.7: a navigation without a session cookie may use the query token", "user_q")
		}},
		{Name: "MachineTokens", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, withSources(s, core.WithAcceptsToken(core.SessionToken, core.M2MToken)))
			m2m := s.iss.MintM2M(clerktest.Machine{Subject: "mch_src", Scopes: []string{scope}})
			e.expectProblem(e.do(pathEventsM2M, queryToken(m2m)), "behaviour.md §1.5: machine tokens are never read from a query parameter", core.ReasonTokenTypeMismatch)
			e.expectSignedIn(e.do(pathEventsM2M, xToken(m2m)), "behaviour.md §1.5: machine tokens may come from a header source", "mch_src")
			e.expectProblem(e.do(pathEventsM2M, queryToken(m2m)), "behaviour.md §1.5: a cached machine token is still refused from a query parameter", core.ReasonTokenTypeMismatch)
		}},
	}
}
