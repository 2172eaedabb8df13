package conformance

import (
	"net/http"
	"testing"
)

// wiringCases check the harness itself: a harness that forgets the
// middleware, a guard or the error hook must fail loudly here rather than
// pass the other groups by accident.
func wiringCases() []tcase {
	return []tcase{
		{Name: "RoutesMounted", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.mint(signedInEverything())
			for _, r := range standardRoutes() {
				res := e.do(r.Path, bearer(tok))
				if res.status == http.StatusNotFound || res.status == http.StatusMethodNotAllowed {
					t.Errorf("harness wiring: GET %s on %s answered %d: every Route of App.Routes must be mounted", r.Path, s.h.Name, res.status)
				}
			}
		}},
		{Name: "MiddlewareInstalled", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			res := e.do(pathPublic, bearer(s.user("user_wiring")))
			if res.status == http.StatusOK && len(res.obs) == 1 && !res.obs[0].AdapterOK && !res.obs[0].ContextOK {
				t.Fatalf("harness wiring: GET %s on %s with a valid token: the handler saw no claims; the authentication middleware is not installed on routes without NoMiddleware (behaviour.md §7.1)", pathPublic, s.h.Name)
			}
			e.expectSignedIn(res, "behaviour.md §7.1", "user_wiring")
		}},
		{Name: "GuardsInstalled", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			for _, r := range standardRoutes() {
				if r.Guard == nil {
					continue
				}
				res := e.do(r.Path)
				if len(res.obs) > 0 || res.status == http.StatusOK && r.Hook != HookSilent {
					t.Errorf("harness wiring: GET %s on %s without a token reached the handler (status %d): the route's guard %s is not installed (behaviour.md §7.2)", r.Path, s.h.Name, res.status, r.Guard.Name())
				}
			}
		}},
		{Name: "NoMiddlewareHonoured", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			res := e.do(pathNoMWAuth, bearer(s.user("user_wiring")))
			if res.status == http.StatusOK {
				t.Fatalf("harness wiring: GET %s on %s: a Route with NoMiddleware must be mounted without the authentication middleware, but a valid token passed its guard", pathNoMWAuth, s.h.Name)
			}
			res = e.do(pathPublicNoMW, bearer(s.user("user_wiring")))
			e.expectOK(res, "behaviour.md §7.1", "", "")
			if len(res.obs) == 1 && res.obs[0].ResultReported && res.obs[0].Result != nil {
				t.Errorf("harness wiring: GET %s on %s: a Route with NoMiddleware saw a *core.Result: the middleware ran anyway", pathPublicNoMW, s.h.Name)
			}
		}},
		{Name: "HandlerSeesResult", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			res := e.do(pathPublic)
			e.expectSignedOut(res, "behaviour.md §7.1", "session-token-missing")
			if len(res.obs) == 1 && !res.obs[0].ResultReported {
				t.Logf("harness %s fills Observation by hand: use App.HandleContext so the suite can check that the middleware stored a *core.Result", s.h.Name)
			}
		}},
	}
}
