package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// verifyCases cover behaviour.md §2 and 3: every reason code reachable over HTTP,
// boundaries on both sides. The token rows are tokencases.VerifyCases, shared
// with the RPC suite.
func verifyCases() []tcase {
	rows := tokencases.VerifyCases()
	cases := make([]tcase, 0, len(rows)+4)
	for _, row := range rows {
		cases = append(cases, tcase{Name: row.Name, Run: func(t *testing.T, s *suite) {
			cfg := envConfig{}
			if row.Env != nil {
				env := row.Env(s.fx, t)
				cfg = envConfig{base: env.Base, opts: env.Opts}
			}
			e := s.newEnv(t, cfg)
			tok := row.Token(s.fx)
			before := s.iss.BackendCalls()
			res := e.do(pathAuth, bearer(tok))
			if row.Reason == "" {
				e.expectSignedIn(res, row.Rule, s.subjectOf(tok))
				return
			}
			e.expectProblem(res, row.Rule, row.Reason)
			// behaviour.md §7.1: the same token on a public route is signed out, not rejected.
			e.expectSignedOut(e.do(pathPublic, bearer(tok)), row.Rule+" (behaviour.md §7.1: the middleware never rejects)", row.Reason)
			if row.Reason == core.ReasonTokenTypeMismatch && s.iss.BackendCalls() != before {
				t.Errorf("behaviour.md §6.3: a token of a type that is not accepted was sent to the Backend API")
			}
		}})
	}
	cases = append(cases,
		tcase{Name: "OnVerifiedPermanentFailure", Run: func(t *testing.T, s *suite) {
			gone := errors.New("the user does not exist in Clerk")
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithOnVerified(func(_ context.Context, c *core.Claims) error {
				if c.UserID() == "user_gone" {
					return core.PermanentFailure(gone)
				}
				return nil
			})}})
			tok := s.mint(clerktest.Session{UserID: "user_gone"})
			e.expectProblem(e.do(pathAuth, bearer(tok)), "behaviour.md §11.5: a permanent condition reported by WithOnVerified is 401 identity-not-found, never 503", core.ReasonIdentityNotFound)
			e.expectSignedOut(e.do(pathPublic, bearer(tok)), "behaviour.md §7.1/11.5: the same token on a public route is signed out with identity-not-found", core.ReasonIdentityNotFound)
			e.expectSignedIn(e.do(pathAuth, bearer(s.user(defaultUser))), "behaviour.md §11.5: other users are unaffected", defaultUser)
		}},
		tcase{Name: "PendingAccepted", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithPendingSessions(true)}})
			sum := e.expectSignedIn(e.do(pathAuth, bearer(s.mint(clerktest.Session{UserID: "user_pending", Status: "pending"}))),
				"behaviour.md §3.10: pending sessions accepted when configured", "user_pending")
			if sum.Adapter.OK && sum.Adapter.SessionStatus != "pending" {
				t.Errorf("behaviour.md §3.10: an accepted pending session must say pending in the claims, got status %q", sum.Adapter.SessionStatus)
			}
		}},
		tcase{Name: "JWKSDownBeforeWarmUp", Run: func(t *testing.T, s *suite) {
			down := s.downIssuer(t)
			down.SetJWKSDown(true)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(down.JWKSURL()), core.WithIssuer(s.iss.IssuerURL())}})
			tok := s.user(defaultUser)
			e.expectProblem(e.do(pathAuth, bearer(tok)), "behaviour.md §2.5: no keys at all is 503 jwk-remote-failed-to-load, never a 401", core.ReasonJWKRemoteFailedToLoad)
			e.expectProblem(e.do(pathPermission, bearer(tok)), "behaviour.md §2.5/7.3: 503 through every guard", core.ReasonJWKRemoteFailedToLoad)
			e.expectSignedOut(e.do(pathPublic, bearer(tok)), "behaviour.md §7.1: the middleware never rejects, even when keys are down", core.ReasonJWKRemoteFailedToLoad)
		}},
		tcase{Name: "JWKSDownAfterWarmUp", Run: func(t *testing.T, s *suite) {
			down := s.downIssuer(t)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(down.JWKSURL()), core.WithIssuer(s.iss.IssuerURL())}})
			e.expectSignedIn(e.do(pathAuth, bearer(s.user("user_warm"))), "behaviour.md §2.4", "user_warm")
			down.SetJWKSDown(true)
			e.expectSignedIn(e.do(pathAuth, bearer(s.user("user_after"))), "behaviour.md §2.4: keys already cached keep verifying when the JWKS endpoint goes down", "user_after")
		}},
		tcase{Name: "UnknownKidRateLimited", Run: func(t *testing.T, s *suite) {
			down := s.downIssuer(t) // a private issuer, so its JWKS request count is ours alone
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(down.JWKSURL()), core.WithIssuer(s.iss.IssuerURL())}})
			e.expectSignedIn(e.do(pathAuth, bearer(s.user("user_warm"))), "behaviour.md §2.4", "user_warm")
			before := down.JWKSRequests()
			for i := range 20 {
				tok := s.withClaims(nil, clerktest.WithKID(fmt.Sprintf("ins_forged_%d", i)))
				e.expectProblem(e.do(pathAuth, bearer(tok)), "behaviour.md §2.4/2.5: forged kids", core.ReasonJWKKidMismatch)
			}
			if n := down.JWKSRequests() - before; n > 1 {
				t.Errorf("behaviour.md §2.4: 20 forged kids cost %d JWKS fetches, want at most one per rate-limit window", n)
			}
		}},
		tcase{Name: "CSRFWarningOnceAtConstruction", Run: func(t *testing.T, s *suite) {
			count := func(e *env) int { return strings.Count(strings.ToLower(e.logs.String()), "csrf") }
			e := s.newEnv(t, envConfig{})
			for range 3 {
				e.expectSignedIn(e.do(pathAuth, cookie(s.user(defaultUser))), "behaviour.md §3.7: with no authorized parties any azp passes", defaultUser)
			}
			if n := count(e); n != 1 {
				t.Errorf("behaviour.md §3.7: cookie auth without authorized parties must log the CSRF warning once, at construction; logged %d times:\n%s", n, e.logs.String())
			}
			if n := count(s.newEnv(t, envConfig{opts: []core.Option{core.WithAuthorizedParties(suiteParty)}})); n != 0 {
				t.Errorf("behaviour.md §3.7: with authorized parties configured there is no CSRF warning, logged %d", n)
			}
			if n := count(s.newEnv(t, envConfig{opts: []core.Option{core.WithCookieAuth(false)}})); n != 0 {
				t.Errorf("behaviour.md §3.7: with cookie auth off there is no CSRF warning, logged %d", n)
			}
		}},
		tcase{Name: "CachedTokenStillChecked", Run: func(t *testing.T, s *suite) {
			// behaviour.md §3.7-3.9 run on every use: a token cached by one Authorizer
			// must not bypass another check. Here: same token, issuer check on.
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAuthorizedParties(suiteParty)}})
			tok := s.withClaims(map[string]any{"azp": otherParty})
			for range 2 {
				e.expectProblem(e.do(pathAuth, bearer(tok)), "behaviour.md §3.7: checked on every use, cached or not", core.ReasonTokenInvalidAuthorizedParties)
			}
		}},
	)
	return cases
}

// downIssuer starts a second issuer with the suite's key, kid and issuer URL
// (so tokens minted by the suite issuer verify against it) whose JWKS can be
// switched off without touching the suite issuer.
func (s *suite) downIssuer(t *testing.T) *clerktest.Issuer {
	return tokencases.Twin(t, s.iss, s.clock.Now)
}

// subjectOf returns the sub claim of a token minted by the suite (decoded
// without verification, to know which user a 200 must show).
func (s *suite) subjectOf(tok string) string {
	return unverifiedClaim(tok, "sub")
}
