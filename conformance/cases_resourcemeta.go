package conformance

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

const (
	pathResourceAuth  = "/oauth/auth"
	pathResourceScope = "/oauth/scope"
	pathResourcePlain = "/oauth/plain"
	resourceMetadata  = "https://api.conformance.test/.well-known/oauth-protected-resource"
)

func resourceMetadataRoutes() []Route {
	return []Route{
		{Path: pathResourceAuth, Guard: guard(core.RequireAuth()), ResourceMetadata: resourceMetadata},
		{Path: pathResourceScope, Guard: guard(core.RequireScope(scope)), ResourceMetadata: resourceMetadata},
		{Path: pathResourcePlain, Guard: guard(core.RequireAuth())},
	}
}

// resourceMetadataCases cover behaviour.md §14.1: with WithResourceMetadata a
// guard's 401 answers point OAuth clients at the protected-resource metadata
// (RFC 9728 §5.1); its other answers, and guards without it, are unchanged.
func resourceMetadataCases() []tcase {
	refusal := func(g core.Guard, err error) error {
		return g.WithResourceMetadata(resourceMetadata).Evaluate(&core.Result{Err: err})
	}
	return []tcase{
		{Name: "NoToken", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: resourceMetadataRoutes()})
			r := e.do(pathResourceAuth)
			e.expectProblemFor(r, "behaviour.md §14.1: a 401 without a token names the metadata", refusal(core.RequireAuth(), core.ErrSessionTokenMissing))
			if got := r.header.Get("WWW-Authenticate"); got != `Bearer resource_metadata="`+resourceMetadata+`"` {
				t.Errorf("behaviour.md §14.1: %s on %s: WWW-Authenticate %q", r.request(), s.h.Name, got)
			}
		}},
		{Name: "InvalidToken", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: resourceMetadataRoutes()})
			r := e.do(pathResourceAuth, bearer("not-a-jwt"))
			e.expectProblemFor(r, "behaviour.md §14.1: a 401 for a rejected token names the metadata after error=\"invalid_token\"", refusal(core.RequireAuth(), core.ErrTokenInvalid))
			if got := r.header.Get("WWW-Authenticate"); got != `Bearer error="invalid_token", resource_metadata="`+resourceMetadata+`"` {
				t.Errorf("behaviour.md §14.1: %s on %s: WWW-Authenticate %q", r.request(), s.h.Name, got)
			}
		}},
		{Name: "TypeMismatch", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: resourceMetadataRoutes()})
			r := e.do(pathResourceScope, bearer(s.user("user_plain")))
			e.expectProblemFor(r, "behaviour.md §14.1: a session token on a scope route is a 401 that names the metadata", refusal(core.RequireScope(scope), core.ErrTokenTypeMismatch))
		}},
		{Name: "OtherGuardsUnchanged", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: resourceMetadataRoutes()})
			e.expectProblem(e.do(pathResourcePlain), "behaviour.md §14.1: a guard without WithResourceMetadata answers as before", core.ReasonSessionTokenMissing)
			e.expectSignedIn(e.do(pathResourceAuth, bearer(s.user("user_a"))), "behaviour.md §14.1: a signed-in request passes", "user_a")
		}},
	}
}
