package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// guardKindCase checks one guard kind on its standard route: 401 signed out,
// 403 (or 401 token-type-mismatch) signed in without, 200 with.
func guardKindCase(name, path string, deny core.Reason, allowed, refused func(*suite) string) tcase {
	return tcase{Name: name, Run: func(t *testing.T, s *suite) {
		e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAcceptsToken(core.SessionToken, core.M2MToken)}})
		e.expectProblem(e.do(path), "behaviour.md §7.2: "+name+" answers 401 when signed out", core.ReasonSessionTokenMissing)
		if refused != nil {
			e.expectProblem(e.do(path, bearer(refused(s))), "behaviour.md §7.2: "+name+" refuses a signed-in request without the grant", deny)
		}
		tok := allowed(s)
		e.expectSignedIn(e.do(path, bearer(tok)), "behaviour.md §7.2: "+name+" lets an allowed request through", s.subjectOf(tok))
	}}
}

// guardCases cover behaviour.md §7.2: every guard kind, and guards without middleware.
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
		{Name: "RequireScopeRefusesSessionToken", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAcceptsToken(core.SessionToken, core.M2MToken)}})
			e.expectProblem(e.do(pathScope, bearer(everything(s))), "behaviour.md §6.3: RequireScope serves machine tokens only", core.ReasonTokenTypeMismatch)
		}},
		{Name: "MachineTokenOnSessionGuards", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAcceptsToken(core.SessionToken, core.M2MToken)}})
			tok := m2mScoped(s)
			for _, p := range []string{pathAuth, pathPermission, pathRole, pathFeature, pathPlan, pathCustom} {
				e.expectProblem(e.do(p, bearer(tok)), "behaviour.md §6.3: session guards refuse machine tokens", core.ReasonTokenTypeMismatch)
			}
		}},
		{Name: "SignedOutReasonPropagates", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			expired := s.mint(clerktest.Session{UserID: defaultUser, TTL: -time.Hour})
			for _, p := range []string{pathAuth, pathPermission, pathRole, pathFeature, pathPlan, pathCustom} {
				e.expectProblem(e.do(p, bearer(expired)), "behaviour.md §7.2/7.3: a guard answers 401 with the reason the request is signed out", core.ReasonTokenExpired)
			}
		}},
		{Name: "EmptyArgumentRefused", Run: func(t *testing.T, s *suite) {
			// behaviour.md §5.5: an empty check is false, even for a user who has
			// every grant.
			routes := []Route{
				{Path: "/empty/permission", Guard: guard(core.RequirePermission(""))},
				{Path: "/empty/role", Guard: guard(core.RequireRole(""))},
				{Path: "/empty/feature", Guard: guard(core.RequireFeature(""))},
				{Path: "/empty/plan", Guard: guard(core.RequirePlan(""))},
				{Path: "/empty/custom", Guard: guard(core.Require(nil))},
			}
			e := s.newEnv(t, envConfig{routes: routes})
			tok := everything(s)
			for i, want := range []core.Reason{core.ReasonMissingPermission, core.ReasonMissingRole, core.ReasonMissingFeature, core.ReasonMissingPlan, core.ReasonForbidden} {
				e.expectProblem(e.do(routes[i].Path, bearer(tok)), "behaviour.md §5.5/7.2: an empty check is false: 403", want)
				e.expectProblem(e.do(routes[i].Path), "behaviour.md §5.1/7.2: 401 when signed out", core.ReasonSessionTokenMissing)
			}
		}},
		{Name: "GuardsOnV1Token", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			v1 := s.mint(clerktest.Session{UserID: "user_v1", Version: 1, OrgID: "org_v1", OrgSlug: customSlug, OrgRole: "org:" + role, OrgPermissions: []string{permission}})
			for _, p := range []string{pathAuth, pathPermission, pathRole, pathCustom} {
				e.expectSignedIn(e.do(p, bearer(v1)), "behaviour.md §4.3/7.2: guards on a v1 token", "user_v1")
			}
			plain := s.mint(clerktest.Session{UserID: "user_v1", Version: 1, OrgID: "org_v1", OrgRole: "org:member", OrgPermissions: []string{"org:invoices:read"}})
			for p, want := range map[string]core.Reason{pathPermission: core.ReasonMissingPermission, pathRole: core.ReasonMissingRole,
				pathFeature: core.ReasonMissingFeature, pathPlan: core.ReasonMissingPlan, pathCustom: core.ReasonForbidden} {
				e.expectProblem(e.do(p, bearer(plain)), "behaviour.md §4.3/7.2: guards refuse a v1 token without the grant", want)
			}
		}},
		{Name: "PendingOnEveryGuard", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			sess := signedInEverything()
			sess.Status = "pending"
			tok := s.mint(sess)
			for _, p := range []string{pathAuth, pathPermission, pathRole, pathFeature, pathPlan, pathCustom} {
				e.expectProblem(e.do(p, bearer(tok)), "behaviour.md §3.10/7.2: a pending session is signed out by default, whatever it grants", core.ReasonSessionPending)
			}
		}},
		{Name: "PendingAcceptedOnEveryGuard", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithPendingSessions(true)}})
			sess := signedInEverything()
			sess.Status = "pending"
			tok := s.mint(sess)
			for _, p := range []string{pathAuth, pathPermission, pathRole, pathFeature, pathPlan, pathCustom} {
				sum := e.expectSignedIn(e.do(p, bearer(tok)), "behaviour.md §3.10/7.2: accepted pending sessions pass the guards they satisfy", defaultUser)
				if sum.Adapter.OK && sum.Adapter.SessionStatus != "pending" {
					t.Errorf("behaviour.md §3.10: GET %s on %s: an accepted pending session must say pending in the claims, got %q", p, s.h.Name, sum.Adapter.SessionStatus)
				}
			}
			e.expectProblem(e.do(pathPermission, bearer(s.mint(clerktest.Session{UserID: defaultUser, Status: "pending"}))),
				"behaviour.md §3.10/7.2: an accepted pending session without the grant is refused: 403", core.ReasonMissingPermission)
		}},
		{Name: "MiddlewareMissingEveryGuard", Run: func(t *testing.T, s *suite) {
			kinds := []struct {
				name string
				r    Route
			}{
				{"RequireAuth", Route{Guard: guard(core.RequireAuth())}},
				{"RequirePermission", Route{Guard: guard(core.RequirePermission(permission))}},
				{"RequireRole", Route{Guard: guard(core.RequireRole(role))}},
				{"RequireFeature", Route{Guard: guard(core.RequireFeature(feature))}},
				{"RequirePlan", Route{Guard: guard(core.RequirePlan(plan))}},
				{"Require", Route{Guard: guard(core.Require(func(*core.Claims) bool { return true }))}},
			}
			var routes []Route
			for _, k := range kinds {
				r := k.r
				r.Path, r.NoMiddleware = "/nomw/"+k.name, true
				routes = append(routes, r)
			}
			e := s.newEnv(t, envConfig{routes: routes})
			logs := tokencases.CaptureDefaultLog(t)
			tok := everything(s)
			for _, r := range routes {
				before := logs.String()
				e.expectProblem(e.do(r.Path, bearer(tok)), "behaviour.md §7.2: a guard without the middleware answers 500 and never lets a request through", core.ReasonMiddlewareMissing)
				line := strings.TrimPrefix(logs.String(), before)
				if !strings.Contains(strings.ToLower(line+e.logs.String()), "middleware") {
					t.Errorf("behaviour.md §7.2: GET %s on %s: a guard without the middleware must log a clear line (mentioning the middleware), logged %q", r.Path, s.h.Name, line)
				}
				if strings.Contains(logs.String(), tok) {
					t.Errorf("behaviour.md §7.3: GET %s on %s: the token appears in a log line", r.Path, s.h.Name)
				}
			}
		}},
		{Name: "MiddlewareMissing", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := everything(s)
			for _, p := range []string{pathNoMWAuth, pathNoMWPerm} {
				e.expectProblem(e.do(p), "behaviour.md §7.2: a guard without the middleware is a wiring error: 500", core.ReasonMiddlewareMissing)
				e.expectProblem(e.do(p, bearer(tok)), "behaviour.md §7.2: a guard without the middleware never lets a request through, even with a valid token", core.ReasonMiddlewareMissing)
			}
		}},
	}
}
