package conformance

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// contextCases cover behaviour.md §7.1 and 7.5 and the accessors: claims reachable
// through the adapter's accessor and core.ClaimsFromContext.
func contextCases() []tcase {
	return []tcase{
		{Name: "ClaimsViaAdapterAndCore", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.mint(clerktest.Session{UserID: "user_ctx", SessionID: "sess_ctx", OrgID: "org_ctx", OrgRole: "admin"})
			for _, p := range []string{pathPublic, pathAuth} {
				sum := e.expectSignedIn(e.do(p, bearer(tok)), "behaviour.md §7.1", "user_ctx")
				want := claimsView{OK: true, UserID: "user_ctx", SessionID: "sess_ctx", OrgID: "org_ctx", TokenType: string(core.SessionToken), SessionStatus: "active"}
				if sum.Adapter != want || sum.Context != want {
					t.Errorf("behaviour.md §7.1: GET %s on %s: adapter saw %+v, core.ClaimsFromContext saw %+v, want %+v", p, s.h.Name, sum.Adapter, sum.Context, want)
				}
			}
		}},
		{Name: "SignedOutPublic", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedOut(e.do(pathPublic), "behaviour.md §7.1: a signed-out request reaches a public handler with ok=false", core.ReasonSessionTokenMissing)
		}},
		{Name: "InvalidTokenPublic", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedOut(e.do(pathPublic, bearer(s.withClaims(nil, clerktest.TamperedSignature()))),
				"behaviour.md §7.1: the middleware never rejects an invalid token", core.ReasonTokenInvalidSignature)
			e.expectSignedOut(e.do(pathPublic, bearer("garbage")), "behaviour.md §7.1", core.ReasonTokenInvalid)
		}},
		{Name: "NoLeakBetweenRequests", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedIn(e.do(pathPublic, bearer(s.user("user_first"))), "behaviour.md §7.5", "user_first")
			e.expectSignedOut(e.do(pathPublic), "behaviour.md §7.5: claims of one request never leak into the next (pooled contexts)", core.ReasonSessionTokenMissing)
			e.expectSignedIn(e.do(pathPublic, bearer(s.user("user_second"))), "behaviour.md §7.5", "user_second")
			e.expectProblem(e.do(pathAuth), "behaviour.md §7.5: a guard after a signed-in request must not see its claims", core.ReasonSessionTokenMissing)
			e.expectSignedOut(e.do(pathPublic, bearer("garbage")), "behaviour.md §7.5", core.ReasonTokenInvalid)
			e.expectSignedIn(e.do(pathPublic, cookie(s.user("user_cookie"))), "behaviour.md §7.5", "user_cookie")
			e.expectSignedOut(e.do(pathPublic), "behaviour.md §7.5: a cookie session does not leak into the next request", core.ReasonSessionTokenMissing)
			e.expectSignedIn(e.do(pathPublic, bearer(s.user("user_third"))), "behaviour.md §7.5", "user_third")
			e.expectOK(e.do(pathPublicNoMW), "behaviour.md §7.5: a route without the middleware sees nothing of an earlier request", "", "")
		}},
	}
}
