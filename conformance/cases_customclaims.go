package conformance

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

const pathTyped = "/typed"

// typedTier is a JWT template's custom claims, read typed.
type typedTier struct {
	Tier int `json:"tier"`
}

// typedTierAtLeast3 is the predicate of the typed-claims route, built the way
// core.RequireClaims builds it (the harness mounts Require(custom)).
func typedTierAtLeast3(c *core.Claims) bool {
	v, err := core.CustomClaims[typedTier](c)
	return err == nil && v.Tier >= 3
}

// customClaimsCases cover behaviour.md §3.11 through an adapter: custom
// claims read typed from the claims the middleware attached, on a fresh and
// on a cached token.
func customClaimsCases() []tcase {
	return []tcase{
		{Name: "TypedPredicate", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: []Route{{Path: pathTyped, Guard: guard(core.Require(typedTierAtLeast3))}}})
			tok := s.withClaims(map[string]any{"tier": 3})
			e.expectSignedIn(e.do(pathTyped, bearer(tok)), "behaviour.md §3.11/§7.2: typed custom claim tier 3 >= 3 passes", defaultUser)
			e.expectSignedIn(e.do(pathTyped, bearer(tok)), "behaviour.md §3.11/§7.2: the same token again (cached claims, decoded once) still passes", defaultUser)
			e.expectProblem(e.do(pathTyped, bearer(s.withClaims(map[string]any{"tier": 2}))), "behaviour.md §7.2: tier 2 < 3 is 403 forbidden", core.ReasonForbidden)
			e.expectProblem(e.do(pathTyped, bearer(s.withClaims(map[string]any{"tier": "gold"}))), "behaviour.md §7.2: custom claims that do not decode as the type are 403 forbidden (fail closed)", core.ReasonForbidden)
			e.expectProblem(e.do(pathTyped), "behaviour.md §7.2: signed out is 401", core.ReasonSessionTokenMissing)
		}},
	}
}
