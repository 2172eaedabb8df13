package conformance

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

const (
	pathSkipPublic  = "/skip/public"
	pathSkipGuarded = "/skip/guarded"
	pathSkipNot     = "/skip/not"
	pathMWHook      = "/mwhook/inherit"
	pathMWHookOwn   = "/mwhook/own"
	pathMWHookNoMW  = "/mwhook/nomw"
)

func optionRoutes() []Route {
	return []Route{
		{Path: pathSkipPublic, Skipped: true},
		{Path: pathSkipGuarded, Skipped: true, Guard: guard(core.RequireAuth())},
		{Path: pathSkipNot, Guard: guard(core.RequireAuth())},
		{Path: pathMWHook, MiddlewareHook: HookCustom, Guard: guard(core.RequirePermission(permission))},
		{Path: pathMWHookOwn, MiddlewareHook: HookCustom, Hook: HookSilent, Guard: guard(core.RequireAuth())},
		{Path: pathMWHookNoMW, NoMiddleware: true, MiddlewareHook: HookCustom, Guard: guard(core.RequireAuth())},
	}
}

// optionCases cover the middleware's options, through the adapter's own:
// WithSkipper (behaviour.md §7.1: a skipped request is signed out, never
// authenticated, never a 500 and never a pass) and WithErrorHandler on the
// middleware, the default of the guards after it (behaviour.md §7.4).
func optionCases() []tcase {
	return []tcase{
		{Name: "SkipperSignsOut", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: optionRoutes()})
			tok := bearer(s.user("user_skip"))
			e.expectSignedOut(e.do(pathSkipPublic, tok), "WithSkipper: a skipped request reaches its handler signed out, even with a valid token (it is never authenticated)", core.ReasonSessionTokenMissing)
			e.expectProblem(e.do(pathSkipGuarded, tok), "WithSkipper: a guard on a skipped request answers 401 session-token-missing, exactly as without a token: never 500 (the middleware is installed), never a pass", core.ReasonSessionTokenMissing)
			e.expectSignedIn(e.do(pathSkipNot, tok), "WithSkipper: a request the skipper does not skip is authenticated", "user_skip")
		}},
		{Name: "SkipperNeverReadsToken", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: optionRoutes()})
			before := e.logs.String()
			e.expectSignedOut(e.do(pathSkipPublic, bearer("not-a-token")), "WithSkipper: a skipped request's token is never read", core.ReasonSessionTokenMissing)
			if line := strings.TrimPrefix(e.logs.String(), before); strings.Contains(line, string(core.ReasonTokenInvalid)) {
				t.Errorf("WithSkipper on %s: a skipped request was authenticated (its malformed token was logged as %s): %q", s.h.Name, core.ReasonTokenInvalid, line)
			}
		}},
		{Name: "MiddlewareHookIsGuardDefault", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: optionRoutes()})
			for _, c := range []struct {
				opts   []reqOpt
				reason core.Reason
			}{
				{nil, core.ReasonSessionTokenMissing},
				{[]reqOpt{bearer(s.user("user_plain"))}, core.ReasonMissingPermission},
			} {
				r := e.do(pathMWHook, c.opts...)
				if want := "custom:" + string(c.reason); r.status != http.StatusTeapot || string(r.body) != want || len(r.obs) > 0 {
					t.Errorf("behaviour.md §7.4: GET %s on %s: status %d body %.200q (handler ran: %v), want the middleware's hook as the guard's default: 418 %q", pathMWHook, s.h.Name, r.status, r.body, len(r.obs) > 0, want)
				}
			}
			e.expectSignedIn(e.do(pathMWHook, bearer(s.mint(signedInEverything()))), "behaviour.md §7.4: the middleware's hook does not change allowed requests", defaultUser)
		}},
		{Name: "GuardHookWins", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: optionRoutes()})
			r := e.do(pathMWHookOwn)
			if r.status == http.StatusTeapot || strings.HasPrefix(string(r.body), "custom:") || len(r.obs) > 0 {
				t.Errorf("behaviour.md §7.4: GET %s on %s: status %d body %.200q: a guard's own hook (silent) wins over the middleware's, and still stops the request", pathMWHookOwn, s.h.Name, r.status, r.body)
			}
		}},
		{Name: "GuardWithoutMiddlewareUsesDefault", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: optionRoutes()})
			e.expectProblem(e.do(pathMWHookNoMW), "behaviour.md §7.2, §7.4: a guard without the middleware in front has no middleware hook: it answers the default 500", core.ReasonMiddlewareMissing)
		}},
		{Name: "NilAuthorizerPanics", Run: func(t *testing.T, s *suite) {
			if s.h.NilAuthorizer == nil {
				t.Fatalf("harness %q: Harness.NilAuthorizer is nil: set it to call the adapter's Middleware with a nil *core.Authorizer, or list Wiring/NilAuthorizerPanics in Unsupported", s.h.Name)
			}
			defer func() {
				if recover() == nil {
					t.Errorf("%s: the middleware built with a nil *core.Authorizer must panic at once (a programming error caught at startup)", s.h.Name)
				}
			}()
			s.h.NilAuthorizer()
		}},
	}
}
