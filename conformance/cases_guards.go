package conformance

import (
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// guardKindCase checks one guard kind on its standard route: 401 signed out,
// 403 (or 401 token-type-mismatch) signed in without, 200 with.
func guardKindCase(name, path string, deny core.Reason, allowed, refused func(*suite) string) tcase {
	return tcase{name, func(t *testing.T, s *suite) {
		e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAcceptsToken(core.SessionToken, core.M2MToken)}})
		e.expectProblem(e.do(path), "SPEC 7.2: "+name+" answers 401 when signed out", core.ReasonSessionTokenMissing)
		if refused != nil {
			e.expectProblem(e.do(path, bearer(refused(s))), "SPEC 7.2: "+name+" refuses a signed-in request without the grant", deny)
		}
		tok := allowed(s)
		e.expectSignedIn(e.do(path, bearer(tok)), "SPEC 7.2: "+name+" lets an allowed request through", s.subjectOf(tok))
	}}
}

// guardCases cover SPEC 7.2: every guard kind, and guards without middleware.
func guardCases() []tcase {
	everything := func(s *suite) string { return s.mint(signedInEverything()) }
	plain := func(s *suite) string { return s.user("user_plain") }
	m2mScoped := func(s *suite) string {
		return s.iss.MintM2M(clerktest.Machine{Subject: "mch_scoped", Scopes: []string{scope, "other:scope"}})
	}
	m2mUnscoped := func(s *suite) string {
		return s.iss.MintM2M(clerktest.Machine{Subject: "mch_unscoped", Scopes: []string{"other:scope"}})
	}
	return []tcase{
		guardKindCase("RequireAuth", pathAuth, "", everything, nil),
		guardKindCase("RequirePermission", pathPermission, core.ReasonMissingPermission, everything, plain),
		guardKindCase("RequireRole", pathRole, core.ReasonMissingRole, everything, plain),
		guardKindCase("RequireFeature", pathFeature, core.ReasonMissingFeature, everything, plain),
		guardKindCase("RequirePlan", pathPlan, core.ReasonMissingPlan, everything, plain),
		guardKindCase("RequireCustom", pathCustom, core.ReasonForbidden, everything, plain),
		guardKindCase("RequireScope", pathScope, core.ReasonMissingScope, m2mScoped, m2mUnscoped),
		guardKindCase("AcceptsToken", pathM2M, core.ReasonTokenTypeMismatch, m2mScoped, everything),
		{"RequireScopeRefusesSessionToken", func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAcceptsToken(core.SessionToken, core.M2MToken)}})
			e.expectProblem(e.do(pathScope, bearer(everything(s))), "SPEC 6.3: RequireScope serves machine tokens only", core.ReasonTokenTypeMismatch)
		}},
		{"MachineTokenOnSessionGuards", func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAcceptsToken(core.SessionToken, core.M2MToken)}})
			tok := m2mScoped(s)
			for _, p := range []string{pathAuth, pathPermission, pathRole, pathFeature, pathPlan, pathCustom} {
				e.expectProblem(e.do(p, bearer(tok)), "SPEC 6.3: session guards refuse machine tokens", core.ReasonTokenTypeMismatch)
			}
		}},
		{"SignedOutReasonPropagates", func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			expired := s.mint(clerktest.Session{UserID: defaultUser, TTL: -time.Hour})
			for _, p := range []string{pathAuth, pathPermission, pathRole, pathFeature, pathPlan, pathCustom} {
				e.expectProblem(e.do(p, bearer(expired)), "SPEC 7.2/7.3: a guard answers 401 with the reason the request is signed out", core.ReasonTokenExpired)
			}
		}},
		{"MiddlewareMissing", func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := everything(s)
			for _, p := range []string{pathNoMWAuth, pathNoMWPerm} {
				e.expectProblem(e.do(p), "SPEC 7.2: a guard without the middleware is a wiring error: 500", core.ReasonMiddlewareMissing)
				e.expectProblem(e.do(p, bearer(tok)), "SPEC 7.2: a guard without the middleware never lets a request through, even with a valid token", core.ReasonMiddlewareMissing)
			}
		}},
	}
}
