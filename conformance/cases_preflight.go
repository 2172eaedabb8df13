package conformance

import (
	"net/http"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

const (
	pathPreflightClosed = "/preflight/closed"
	pathPreflightPass   = "/preflight/pass"
	pathPreflightGet    = "/preflight/get"
)

func preflightRoutes() []Route {
	return []Route{
		{Method: http.MethodOptions, Path: pathPreflightClosed, Guard: guard(core.RequireAuth())},
		{Method: http.MethodOptions, Path: pathPreflightPass, Guard: guard(core.RequirePermission(permission)), PassPreflight: true},
		{Path: pathPreflightGet, Guard: guard(core.RequireAuth()), PassPreflight: true},
	}
}

// withMethod sends the request with method m.
func withMethod(m string) reqOpt { return func(r *http.Request) { r.Method = m } }

// header sets request header k to v.
func header(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

// preflight makes the request a browser's CORS preflight.
func preflight() reqOpt {
	return func(r *http.Request) {
		r.Method = http.MethodOptions
		r.Header.Set("Origin", "https://app.conformance.test")
		r.Header.Set("Access-Control-Request-Method", http.MethodPost)
	}
}

// preflightCases cover the CORS preflight decision (README "CORS
// preflight"): guards answer preflights like any request by default (fail
// closed); with WithPassPreflight, a preflight — OPTIONS with Origin and
// Access-Control-Request-Method — passes, and nothing else does.
func preflightCases() []tcase {
	return []tcase{
		{Name: "ClosedByDefault", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: preflightRoutes()})
			e.expectProblem(e.do(pathPreflightClosed, preflight()), "CORS: by default a guard answers a preflight like any request without a token: 401", core.ReasonSessionTokenMissing)
		}},
		{Name: "PassWhenEnabled", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: preflightRoutes()})
			e.expectSignedOut(e.do(pathPreflightPass, preflight()), "CORS: with WithPassPreflight a preflight reaches the next handler, signed out", core.ReasonSessionTokenMissing)
		}},
		{Name: "OnlyRealPreflights", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: preflightRoutes()})
			e.expectProblem(e.do(pathPreflightPass, withMethod(http.MethodOptions), header("Origin", "https://app.conformance.test")),
				"CORS: OPTIONS without Access-Control-Request-Method is no preflight: the guard decides", core.ReasonSessionTokenMissing)
			e.expectProblem(e.do(pathPreflightPass, withMethod(http.MethodOptions), header("Access-Control-Request-Method", http.MethodPost)),
				"CORS: OPTIONS without Origin is no preflight: the guard decides", core.ReasonSessionTokenMissing)
			e.expectProblem(e.do(pathPreflightPass, withMethod(http.MethodOptions), bearer(s.user("user_plain"))),
				"CORS: a plain OPTIONS request is guarded as usual (403 without the permission)", core.ReasonMissingPermission)
			e.expectProblem(e.do(pathPreflightGet, header("Origin", "https://app.conformance.test"), header("Access-Control-Request-Method", http.MethodPost)),
				"CORS: a GET with preflight headers is no preflight", core.ReasonSessionTokenMissing)
		}},
	}
}
