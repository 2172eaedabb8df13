package conformance

import (
	"fmt"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// grantCase checks one token against guards of one kind: every arg in allow
// must answer 200 (signed in), every arg in deny 403 with the guard's reason.
func grantCase(name, rule string, kind tokencases.GuardKind, token func(*suite) string, allow, deny []string) tcase {
	return tcase{Name: name, Run: func(t *testing.T, s *suite) {
		var routes []Route
		args := append(append([]string{}, allow...), deny...)
		for i, a := range args {
			routes = append(routes, Route{Path: fmt.Sprintf("/grant/%d", i), Guard: guard(kind.Guard(a))})
		}
		routes = append(routes, Route{Path: pathAuth, Guard: guard(core.RequireAuth())})
		e := s.newEnv(t, envConfig{routes: routes})
		tok := token(s)
		user := s.subjectOf(tok)
		e.expectSignedIn(e.do(pathAuth, bearer(tok)), rule+" (the token itself is valid)", user)
		for i, a := range args {
			res := e.do(fmt.Sprintf("/grant/%d", i), bearer(tok))
			if i < len(allow) {
				e.expectSignedIn(res, fmt.Sprintf("%s: %q must be granted", rule, a), user)
			} else {
				e.expectProblem(res, fmt.Sprintf("%s: %q must be refused", rule, a), kind.Reason())
			}
		}
	}}
}

// claimsCases cover behaviour.md §4 and 5 end to end through the guards.
func claimsCases() []tcase {
	// The grant rows are tokencases.GrantCases, shared with the RPC suite.
	var cases []tcase
	for _, g := range tokencases.GrantCases() {
		cases = append(cases, grantCase(g.Name, g.Rule, g.Kind, func(s *suite) string { return g.Token(s.fx) }, g.Allow, g.Deny))
	}
	return append(cases, []tcase{
		{Name: "ImpersonatedSignedIn", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.mint(clerktest.Session{UserID: "user_target", Actor: &core.Actor{Subject: "user_admin", Type: "impersonation"}})
			e.expectSignedIn(e.do(pathAuth, bearer(tok)), "behaviour.md §4.1: impersonated sessions are fully signed in", "user_target")
		}},
		{Name: "CustomClaimsReachable", Run: func(t *testing.T, s *suite) {
			gold := func(c *core.Claims) bool {
				var x struct {
					Tier string `json:"tier"`
				}
				return c.Decode(&x) == nil && x.Tier == "gold"
			}
			e := s.newEnv(t, envConfig{routes: []Route{{Path: pathCustom, Guard: guard(core.Require(gold))}}})
			e.expectSignedIn(e.do(pathCustom, bearer(s.withClaims(map[string]any{"tier": "gold"}))), "behaviour.md §3.11: custom claims reachable as raw JSON", defaultUser)
			e.expectProblem(e.do(pathCustom, bearer(s.withClaims(map[string]any{"tier": "tin"}))), "behaviour.md §3.11/7.2", core.ReasonForbidden)
		}},
	}...)
}
