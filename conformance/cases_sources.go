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

// sourcesCases cover behaviour.md §1.5 through every adapter's request view:
// opt-in sources after the Authorization header and before the cookie, and
// machine tokens never from a query parameter.
func sourcesCases() []tcase {
	withSources := func(s *suite, more ...core.Option) envConfig {
		return envConfig{opts: append([]core.Option{core.WithTokenSources(core.HeaderSource(sourceHeader), core.QuerySource(sourceQuery))}, more...)}
	}
	return []tcase{
		{Name: "HeaderAndQuery", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, withSources(s))
			e.expectSignedIn(e.do(pathAuth, xToken(s.user("user_x"))), "behaviour.md §1.5: a token in the configured header", "user_x")
			e.expectSignedIn(e.do(pathAuth, queryToken(s.user("user_q"))), "behaviour.md §1.5: a token in the configured query parameter", "user_q")
			e.expectProblem(e.do(pathAuth), "behaviour.md §1.4/§1.5: no token in any source is session-token-missing", core.ReasonSessionTokenMissing)
		}},
		{Name: "Order", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, withSources(s))
			e.expectSignedIn(e.do(pathAuth, bearer(s.user("user_auth")), xToken(s.user("user_x")), queryToken(s.user("user_q"))), "behaviour.md §1.5: the Authorization header comes first", "user_auth")
			e.expectSignedIn(e.do(pathAuth, xToken(s.user("user_x")), queryToken(s.user("user_q")), cookie(s.user("user_cookie"))), "behaviour.md §1.5: sources in the configured order", "user_x")
			e.expectSignedIn(e.do(pathAuth, queryToken(s.user("user_q")), cookie(s.user("user_cookie"))), "behaviour.md §1.5: sources come before the cookie", "user_q")
			bad := s.mint(clerktest.Session{UserID: "user_x"}, clerktest.TamperedSignature())
			e.expectProblem(e.do(pathAuth, xToken(bad), cookie(s.user("user_cookie"))), "behaviour.md §1.3/§1.5: a source that yields a token wins, even if it fails", core.ReasonTokenInvalidSignature)
		}},
		{Name: "OptIn", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectProblem(e.do(pathAuth, xToken(s.user("user_x")), queryToken(s.user("user_q"))), "behaviour.md §1.5: without WithTokenSources neither header nor query is read", core.ReasonSessionTokenMissing)
		}},
		{Name: "MachineTokens", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, withSources(s, core.WithAcceptsToken(core.SessionToken, core.M2MToken)))
			m2m := s.iss.MintM2M(clerktest.Machine{Subject: "mch_src", Scopes: []string{scope}})
			e.expectProblem(e.do(pathM2M, queryToken(m2m)), "behaviour.md §1.5: machine tokens are never read from a query parameter", core.ReasonTokenTypeMismatch)
			e.expectSignedIn(e.do(pathM2M, xToken(m2m)), "behaviour.md §1.5: machine tokens may come from a header source", "mch_src")
			e.expectProblem(e.do(pathM2M, queryToken(m2m)), "behaviour.md §1.5: a cached machine token is still refused from a query parameter", core.ReasonTokenTypeMismatch)
		}},
	}
}
