package conformance

import (
	"net/http"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// namedKind is one named guard function every adapter exports, with the
// core guard it must be equivalent to and the tokens that tell them apart.
type namedKind struct {
	spec             namedSpec
	core             core.Guard
	deny             core.Reason
	allowed, refused func(*suite) string
	// denyErr, when set, is the exact refusal to expect (a body that says
	// more than the reason, as reverification's clerk_error hint does).
	denyErr error
}

func namedKinds() []namedKind {
	everything := func(s *suite) string { return s.mint(signedInEverything()) }
	plain := func(s *suite) string { return s.user("user_plain") }
	m2mScoped := func(s *suite) string {
		return s.iss.MintM2M(clerktest.Machine{Subject: "mch_scoped", Scopes: []string{scope}})
	}
	m2mUnscoped := func(s *suite) string {
		return s.iss.MintM2M(clerktest.Machine{Subject: "mch_unscoped", Scopes: []string{"other:scope"}})
	}
	m2m := []core.TokenType{core.M2MToken}
	fva := func(first, second int) func(*suite) string {
		return func(s *suite) string {
			return s.mint(clerktest.Session{UserID: defaultUser, FVA: &[2]int{first, second}})
		}
	}
	return []namedKind{
		{namedSpec{name: "RequireAuth"}, core.RequireAuth(), core.ReasonTokenTypeMismatch, everything, m2mScoped, nil},
		{namedSpec{name: "RequirePermission", arg: permission}, core.RequirePermission(permission), core.ReasonMissingPermission, everything, plain, nil},
		{namedSpec{name: "RequireRole", arg: role}, core.RequireRole(role), core.ReasonMissingRole, everything, plain, nil},
		{namedSpec{name: "RequireFeature", arg: feature}, core.RequireFeature(feature), core.ReasonMissingFeature, everything, plain, nil},
		{namedSpec{name: "RequirePlan", arg: plan}, core.RequirePlan(plan), core.ReasonMissingPlan, everything, plain, nil},
		{namedSpec{name: "Require", fn: customAllow}, core.Require(customAllow), core.ReasonForbidden, everything, plain, nil},
		{namedSpec{name: "RequireScope", arg: scope}, core.RequireScope(scope), core.ReasonMissingScope, m2mScoped, m2mUnscoped, nil},
		{namedSpec{name: "AcceptsToken", types: m2m}, core.AcceptsToken(m2m...), core.ReasonTokenTypeMismatch, m2mScoped, everything, nil},
		{namedSpec{name: "RequireReverification", rev: core.ReverificationStrict}, core.RequireReverification(core.ReverificationStrict),
			core.ReasonReverificationError, fva(9, 9), fva(10, 10), reverificationRefusal(core.ReverificationStrict)},
	}
}

// namedRoute is a route at path whose guard is k's named function, with
// the given hook, behind the middleware unless noMW.
func (k namedKind) route(path string, hook ErrorHook, noMW bool) Route {
	return Route{Path: path, Guard: guard(k.core), Hook: hook, NoMiddleware: noMW, named: &namedGuard{namedSpec: k.spec}}
}

// namedCases prove, once for every adapter, that each named guard function
// (RequirePermission(p), …) answers exactly as the adapter's
// Guard(core.RequirePermission(p)) does, passes its options on (the custom
// hook answers) and refuses without the middleware: with Guards.For the
// other cases mount everything through Guard, so these cases are what keeps
// a named function wired to the wrong core guard from passing.
func namedCases() []tcase {
	var out []tcase
	for _, k := range namedKinds() {
		out = append(out, tcase{Name: "Named" + k.spec.name, Run: func(t *testing.T, s *suite) { k.check(t, s) }})
	}
	// AcceptsToken's options get a case of their own, so that a red run
	// names exactly which part of the wiring is wrong.
	out = append(out, tcase{Name: "NamedAcceptsTokenOptions", Run: func(t *testing.T, s *suite) {
		for _, k := range namedKinds() {
			if k.spec.name == "AcceptsToken" {
				k.checkOptions(t, s)
			}
		}
	}})
	return out
}

// env mounts k's named function at /named/<name> (behind the middleware),
// /named/<name>/hook (with the custom hook) and /named/<name>/nomw (without
// the middleware), and fails t unless the harness mounted all three through
// Guards.For.
func (k namedKind) env(t *testing.T, s *suite) (e *env, base, hooked, noMW string) {
	base, hooked, noMW = "/named/"+k.spec.name, "/named/"+k.spec.name+"/hook", "/named/"+k.spec.name+"/nomw"
	routes := []Route{k.route(base, HookDefault, false), k.route(hooked, HookCustom, false), k.route(noMW, HookDefault, true)}
	e = s.newEnv(t, envConfig{opts: []core.Option{core.WithAcceptsToken(core.SessionToken, core.M2MToken)}, routes: routes})
	for _, r := range routes {
		if !r.named.mounted.Load() {
			t.Fatalf("harness wiring: %s on %s: the route's guard was not mounted through Guards.For, so the adapter's %s is not checked; mount every guard with Guards.For", r.Path, s.h.Name, k.spec.name)
		}
	}
	return e, base, hooked, noMW
}

// check runs k's named function against its core equivalent, and checks
// that it passes its options on (AcceptsToken's: NamedAcceptsTokenOptions).
func (k namedKind) check(t *testing.T, s *suite) {
	e, base, _, noMW := k.env(t, s)
	rule := "behaviour.md §7.2: " + k.spec.name + " answers as Guard(core." + k.spec.name + "(…))"
	e.expectProblem(e.do(base), rule+": 401 when signed out", core.ReasonSessionTokenMissing)
	if k.denyErr != nil {
		e.expectProblemFor(e.do(base, bearer(k.refused(s))), rule+": refuses a request without the grant", k.denyErr)
	} else {
		e.expectProblem(e.do(base, bearer(k.refused(s))), rule+": refuses a request without the grant", k.deny)
	}
	tok := k.allowed(s)
	e.expectSignedIn(e.do(base, bearer(tok)), rule+": lets an allowed request through", s.subjectOf(tok))
	tokencases.CaptureDefaultLog(t) // the wiring error is logged there
	e.expectProblem(e.do(noMW, bearer(tok)), rule+": 500 without the middleware, never a pass", core.ReasonMiddlewareMissing)
	if k.spec.name != "AcceptsToken" {
		k.checkOptions(t, s)
	}
}

// checkOptions checks that k's named function passes WithErrorHandler on.
func (k namedKind) checkOptions(t *testing.T, s *suite) {
	e, _, hooked, _ := k.env(t, s)
	r := e.do(hooked)
	if want := "custom:" + string(core.ReasonSessionTokenMissing); r.status != http.StatusTeapot || string(r.body) != want || len(r.obs) > 0 {
		t.Errorf("behaviour.md §7.4: GET %s on %s: %s must pass its options on (WithErrorHandler): got %d %q, want 418 %q and no handler run", hooked, s.h.Name, k.spec.name, r.status, r.body, want)
	}
}
