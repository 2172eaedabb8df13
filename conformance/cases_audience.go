package conformance

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// audienceCases cover behaviour.md §3.12 over HTTP: a token whose `aud` does
// not contain a configured audience is signed out with
// token-invalid-audience (401), on guarded and public routes alike; a token
// without `aud` is not checked.
func audienceCases() []tcase {
	return []tcase{
		{Name: "Configured", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAudience("https://api.conformance.test")}})
			e.expectSignedIn(e.do(pathAuth, bearer(s.withClaims(map[string]any{"aud": "https://api.conformance.test"}))), "behaviour.md §3.12: aud equal to the configured audience", defaultUser)
			e.expectSignedIn(e.do(pathAuth, bearer(s.withClaims(map[string]any{"aud": []string{"x", "https://api.conformance.test"}}))), "behaviour.md §3.12: an aud array containing the configured audience", defaultUser)
			wrong := s.withClaims(map[string]any{"aud": "https://api.conformance.test/"})
			e.expectProblem(e.do(pathAuth, bearer(wrong)), "behaviour.md §3.12: aud differing by a trailing slash is another audience", core.ReasonTokenInvalidAudience)
			e.expectSignedOut(e.do(pathPublic, bearer(wrong)), "behaviour.md §3.12/§7.1", core.ReasonTokenInvalidAudience)
			e.expectProblem(e.do(pathAuth, bearer(s.withClaims(map[string]any{"aud": 42}))), "behaviour.md §3.12: an aud that is not a string or an array of strings fails closed", core.ReasonTokenInvalidAudience)
		}},
		{Name: "CheckedOnlyWhenPresent", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAudience("https://api.conformance.test")}})
			e.expectSignedIn(e.do(pathAuth, bearer(s.withClaims(map[string]any{"aud": nil}))), "behaviour.md §3.12: with an audience configured, a session token without aud is not checked (as Clerk's SDKs)", defaultUser)
			e.expectSignedIn(e.do(pathAuth, bearer(s.withClaims(map[string]any{"aud": ""}))), "behaviour.md §3.12: an empty aud is no aud", defaultUser)
			e.expectProblem(e.do(pathAuth, bearer(s.withClaims(map[string]any{"aud": []string{"", "https://other.conformance.test"}}))), "behaviour.md §3.12: an aud the token carries is checked", core.ReasonTokenInvalidAudience)
		}},
		{Name: "Unset", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			e.expectSignedIn(e.do(pathAuth, bearer(s.withClaims(map[string]any{"aud": "anything"}))), "behaviour.md §3.12: without configured audiences aud is not checked", defaultUser)
		}},
	}
}
