package conformance

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

const (
	pathReverifyStrict = "/reverify/strict"
	pathReverifyCustom = "/reverify/custom"
)

// reverifyCustom is a requirement that is not a preset: its hint is an
// object.
var reverifyCustom = core.Reverification{Level: core.FirstFactor, AfterMinutes: 5}

func reverificationRoutes() []Route {
	return []Route{
		{Path: pathPublic},
		{Path: pathReverifyStrict, Guard: guard(core.RequireReverification(core.ReverificationStrict))},
		{Path: pathReverifyCustom, Guard: guard(core.RequireReverification(reverifyCustom))},
	}
}

// reverificationCases cover behaviour.md §5.6 and §7.3 over HTTP:
// RequireReverification answers 401 signed out, 403 reverification-error
// with Clerk's clerk_error hint when the factors are stale, and lets fresh
// sessions through.
func reverificationCases() []tcase {
	fva := func(s *suite, first, second int) string {
		return s.mint(clerktest.Session{UserID: defaultUser, FVA: &[2]int{first, second}})
	}
	refusal := reverificationRefusal
	return []tcase{
		{Name: "SignedOut401", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: reverificationRoutes()})
			e.expectProblem(e.do(pathReverifyStrict), "behaviour.md §7.2: RequireReverification answers 401 when signed out", core.ReasonSessionTokenMissing)
		}},
		{Name: "StrictBoundary", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: reverificationRoutes()})
			e.expectSignedIn(e.do(pathReverifyStrict, bearer(fva(s, 500, 9))), "behaviour.md §5.6: strict (second factor, 10 min): a second factor 9 min old is fresh", defaultUser)
			res := e.do(pathReverifyStrict, bearer(fva(s, 0, 10)))
			e.expectProblemFor(res, "behaviour.md §5.6/§7.3: strict: a second factor 10 min old is stale: 403 reverification-error with the hint", refusal(core.ReverificationStrict))
			expectHint(t, s.h.Name, res, `"strict"`)
		}},
		{Name: "FallbackToFirstFactor", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: reverificationRoutes()})
			e.expectSignedIn(e.do(pathReverifyStrict, bearer(fva(s, 9, -1))), "behaviour.md §5.6: second_factor falls back to the first factor when no second factor is enrolled", defaultUser)
			e.expectProblemFor(e.do(pathReverifyStrict, bearer(fva(s, 10, -1))), "behaviour.md §5.6: the fallback first factor 10 min old is stale", refusal(core.ReverificationStrict))
		}},
		{Name: "FailClosed", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: reverificationRoutes()})
			e.expectProblemFor(e.do(pathReverifyStrict, bearer(s.user(defaultUser))), "behaviour.md §5.6: no fva claim fails closed", refusal(core.ReverificationStrict))
			e.expectProblemFor(e.do(pathReverifyStrict, bearer(fva(s, -1, -1))), "behaviour.md §5.6: no factor enrolled fails closed", refusal(core.ReverificationStrict))
		}},
		{Name: "CustomRequirementHint", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{routes: reverificationRoutes()})
			e.expectSignedIn(e.do(pathReverifyCustom, bearer(fva(s, 4, -1))), "behaviour.md §5.6: first_factor 5 min: a first factor 4 min old is fresh", defaultUser)
			res := e.do(pathReverifyCustom, bearer(fva(s, 5, 0)))
			e.expectProblemFor(res, "behaviour.md §5.6/§7.3: first_factor 5 min: a first factor 5 min old is stale", refusal(reverifyCustom))
			expectHint(t, s.h.Name, res, `{"level":"first_factor","afterMinutes":5}`)
		}},
	}
}

// expectHint checks the literal rule of behaviour.md §7.3, independently of
// core's renderer: the body carries error/reason/message and
// clerk_error {type forbidden, reason reverification-error,
// metadata.reverification = metadata}.
func expectHint(t *testing.T, name string, r response, metadata string) {
	t.Helper()
	var body struct {
		Error      string `json:"error"`
		Reason     string `json:"reason"`
		Message    string `json:"message"`
		ClerkError struct {
			Type     string `json:"type"`
			Reason   string `json:"reason"`
			Metadata struct {
				Reverification json.RawMessage `json:"reverification"`
			} `json:"metadata"`
		} `json:"clerk_error"`
	}
	err := json.Unmarshal(r.body, &body)
	got := fmt.Sprintf("%s/%s/%t/%s/%s/%s", body.Error, body.Reason, body.Message != "", body.ClerkError.Type, body.ClerkError.Reason, body.ClerkError.Metadata.Reverification)
	want := fmt.Sprintf("forbidden/reverification-error/true/forbidden/reverification-error/%s", metadata)
	if err != nil || got != want {
		t.Errorf("behaviour.md §7.3: GET %s on %s: body %s, want a reverification-error body whose clerk_error.metadata.reverification is %s", r.path, name, r.body, metadata)
	}
}

// reverificationRefusal is the refusal core renders for requirement r (403
// reverification-error with r's clerk_error hint).
func reverificationRefusal(r core.Reverification) error {
	return core.RequireReverification(r).Evaluate(&core.Result{Claims: &core.Claims{
		TokenType: core.SessionToken, Subject: defaultUser, FactorVerificationAge: &[2]int{-1, -1}}})
}
