package core_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func fvaClaims(fva *[2]int) *core.Claims {
	return &core.Claims{TokenType: core.SessionToken, Subject: "user_1", FactorVerificationAge: fva,
		OrgID: "org_1", OrgRole: "org:admin", OrgPermissions: []string{"org:sys_memberships:read"}}
}

func ages(first, second int) *[2]int { return &[2]int{first, second} }

// behaviour.md §5.6: every case of Clerk's reference tests
// (@clerk/shared authorization and clerk-js Session.checkAuthorization), in
// our own words, plus the exact freshness boundary on both sides.
func TestRule5_6_Reverification(t *testing.T) {
	mfa10 := core.Reverification{Level: core.MultiFactor, AfterMinutes: 10}
	first10 := core.Reverification{Level: core.FirstFactor, AfterMinutes: 10}
	second10 := core.Reverification{Level: core.SecondFactor, AfterMinutes: 10}
	cases := []struct {
		name string
		fva  *[2]int
		r    core.Reverification
		want bool
	}{
		// multi_factor with both factors enrolled: both must be fresh.
		{"Multi/BothFresh", ages(0, 0), mfa10, true},
		{"Multi/SecondStale", ages(0, 11), mfa10, false},
		{"Multi/SecondAtBoundary", ages(0, 10), mfa10, false},
		{"Multi/SecondJustFresh", ages(0, 9), mfa10, true},
		{"Multi/FirstAtBoundary", ages(10, 0), mfa10, false},
		{"Multi/FirstJustFresh", ages(9, 0), mfa10, true},
		{"Multi/BothStale", ages(10, 10), mfa10, false},
		// multi_factor without a second factor falls back to the first.
		{"Multi/NoSecondFirstFresh", ages(0, -1), mfa10, true},
		{"Multi/NoSecondFirstStale", ages(11, -1), mfa10, false},
		{"Multi/PresetNoSecondFirstFresh", ages(0, -1), core.ReverificationStrictMFA, true},
		// multi_factor with only the second factor enrolled cannot pass.
		{"Multi/NoFirst", ages(-1, 0), mfa10, false},
		// first_factor.
		{"First/Fresh", ages(9, 500), first10, true},
		{"First/AtBoundary", ages(10, 0), first10, false},
		{"First/NotEnrolled", ages(-1, 0), first10, false},
		// second_factor, with the fallback to whichever factor is enrolled.
		{"Second/Fresh", ages(500, 9), second10, true},
		{"Second/AtBoundary", ages(0, 10), second10, false},
		{"Second/NoSecondFirstFresh", ages(9, -1), second10, true},
		{"Second/NoSecondFirstStale", ages(11, -1), core.ReverificationStrict, false},
		{"Second/NoFirstSecondFresh", ages(-1, 0), core.ReverificationStrict, true},
		{"Second/NoFirstSecondStale", ages(-1, 10), core.ReverificationStrict, false},
		// Presets.
		{"Preset/ModerateJustFresh", ages(0, 59), core.ReverificationModerate, true},
		{"Preset/ModerateAtBoundary", ages(0, 60), core.ReverificationModerate, false},
		{"Preset/LaxJustFresh", ages(0, 1439), core.ReverificationLax, true},
		{"Preset/LaxAtBoundary", ages(0, 1440), core.ReverificationLax, false},
		// Fail closed: fva absent, nothing enrolled, malformed ages.
		{"FVA/Absent", nil, mfa10, false},
		{"FVA/AbsentFirst", nil, first10, false},
		{"FVA/AbsentStrict", nil, core.ReverificationStrict, false},
		{"FVA/NothingEnrolled", ages(-1, -1), core.ReverificationStrict, false},
		{"FVA/NothingEnrolledLax", ages(-1, -1), core.ReverificationLax, false},
		{"FVA/FirstBelowMinusOne", ages(-2, 0), core.ReverificationStrict, false},
		{"FVA/SecondBelowMinusOne", ages(0, -2), first10, false},
		// Invalid requirements never pass.
		{"Invalid/UnknownLevel", ages(0, 0), core.Reverification{Level: "any level", AfterMinutes: 10}, false},
		{"Invalid/CamelCaseLevel", ages(0, 0), core.Reverification{Level: "multiFactor", AfterMinutes: 10}, false},
		{"Invalid/EmptyLevel", ages(0, 0), core.Reverification{AfterMinutes: 10}, false},
		{"Invalid/ZeroMinutes", ages(0, 0), core.Reverification{Level: core.MultiFactor}, false},
		{"Invalid/NegativeMinutes", ages(0, 0), core.Reverification{Level: core.MultiFactor, AfterMinutes: -1}, false},
		{"Valid/OneMinuteJustVerified", ages(0, 0), core.Reverification{Level: core.FirstFactor, AfterMinutes: 1}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fvaClaims(tc.fva)
			if got := c.HasReverification(tc.r); got != tc.want {
				t.Fatalf("behaviour.md §5.6: fva %v, requirement %v: HasReverification = %v, want %v", tc.fva, tc.r, got, tc.want)
			}
			r := tc.r
			if got := c.Has(core.Check{Reverification: &r}); got != tc.want {
				t.Fatalf("behaviour.md §5.5/§5.6: Has(Check{Reverification}) = %v, want %v", got, tc.want)
			}
		})
	}
}

// behaviour.md §5.1/§5.5/§5.6: reverification combines with the other checks
// by AND, and signed-out or machine claims never pass.
func TestRule5_6_ReverificationCombined(t *testing.T) {
	strict := core.ReverificationStrict
	fresh := fvaClaims(ages(0, 0))
	noOrg := fvaClaims(ages(0, 0))
	noOrg.OrgID, noOrg.OrgRole, noOrg.OrgPermissions = "", "", nil
	cases := []struct {
		name string
		c    *core.Claims
		chk  core.Check
		want bool
	}{
		{"PermissionAndFresh", fresh, core.Check{Permission: "org:sys_memberships:read", Reverification: &strict}, true},
		{"PermissionMissingFresh", fresh, core.Check{Permission: "org:sys_profile:delete", Reverification: &strict}, false},
		{"PermissionNoOrg", noOrg, core.Check{Permission: "org:sys_profile:delete", Reverification: &strict}, false},
		{"RoleNoOrg", noOrg, core.Check{Role: "org:admin", Reverification: &strict}, false},
		{"FeatureMissingFresh", fresh, core.Check{Feature: "org:premium", Reverification: &strict}, false},
		{"PermissionAndNothingEnrolled", fvaClaims(ages(-1, -1)), core.Check{Permission: "org:sys_memberships:read", Reverification: &strict}, false},
		{"PermissionAndAbsentFVA", fvaClaims(nil), core.Check{Permission: "org:sys_memberships:read", Reverification: &strict}, false},
		{"StrictMFADowngrade", fvaClaims(ages(0, -1)), core.Check{Permission: "org:sys_memberships:read", Reverification: &core.ReverificationStrictMFA}, true},
		{"InvalidRequirement", fresh, core.Check{Permission: "org:sys_memberships:read", Reverification: &core.Reverification{Level: "x", AfterMinutes: 10}}, false},
		{"NilClaims", nil, core.Check{Reverification: &strict}, false},
		{"NoSubject", &core.Claims{TokenType: core.SessionToken, FactorVerificationAge: ages(0, 0)}, core.Check{Reverification: &strict}, false},
		{"MachineToken", &core.Claims{TokenType: core.M2MToken, Subject: "mch_1", FactorVerificationAge: ages(0, 0)}, core.Check{Reverification: &strict}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Has(tc.chk); got != tc.want {
				t.Fatalf("behaviour.md §5.5/§5.6: Has = %v, want %v", got, tc.want)
			}
		})
	}
}

// behaviour.md §7.2/§7.3: RequireReverification answers 401 signed out, 403
// reverification-error with Clerk's hint, and lets fresh sessions through.
func TestRule7_3_ReverificationGuard(t *testing.T) {
	stale := &core.Result{Claims: fvaClaims(ages(0, 10))}
	fresh := &core.Result{Claims: fvaClaims(ages(0, 9))}
	custom := core.Reverification{Level: core.FirstFactor, AfterMinutes: 5}
	cases := []struct {
		name     string
		r        core.Reverification
		metadata string
	}{
		{"StrictMFA", core.ReverificationStrictMFA, `"strict_mfa"`},
		{"Strict", core.ReverificationStrict, `"strict"`},
		{"Moderate", core.ReverificationModerate, `"moderate"`},
		{"Lax", core.ReverificationLax, `"lax"`},
		{"Custom", custom, `{"level":"first_factor","afterMinutes":5}`},
		{"CustomNearPreset", core.Reverification{Level: core.SecondFactor, AfterMinutes: 11}, `{"level":"second_factor","afterMinutes":11}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := core.RequireReverification(tc.r)
			res := &core.Result{Claims: fvaClaims(ages(5000, 5000))}
			err := g.Evaluate(res)
			if !errors.Is(err, core.ErrReverification) {
				t.Fatalf("behaviour.md §7.3: stale session: err %v, want reverification-error", err)
			}
			p := core.ProblemFor(err)
			want := `{"error":"forbidden","reason":"reverification-error","message":"` + core.ReasonReverificationError.Message() +
				`","clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":` + tc.metadata + `}}}`
			if p.Status != http.StatusForbidden || string(p.Body) != want {
				t.Fatalf("behaviour.md §7.3: %d %s, want 403 %s", p.Status, p.Body, want)
			}
		})
	}
	t.Run("FreshPasses", func(t *testing.T) {
		if err := core.RequireReverification(core.ReverificationStrict).Evaluate(fresh); err != nil {
			t.Fatalf("behaviour.md §5.6: second factor 9 min ago, strict (10): %v", err)
		}
		if err := core.RequireReverification(core.ReverificationStrict).Evaluate(stale); !errors.Is(err, core.ErrReverification) {
			t.Fatalf("behaviour.md §5.6: second factor 10 min ago, strict (10): %v, want reverification-error", err)
		}
	})
	t.Run("SignedOut401", func(t *testing.T) {
		err := core.RequireReverification(core.ReverificationStrict).Evaluate(&core.Result{Err: core.ErrSessionTokenMissing})
		if p := core.ProblemFor(err); p.Status != http.StatusUnauthorized || p.Reason != core.ReasonSessionTokenMissing {
			t.Fatalf("behaviour.md §7.2: signed out: %d %s, want 401 session-token-missing", p.Status, p.Reason)
		}
	})
	t.Run("MachineToken401", func(t *testing.T) {
		res := &core.Result{Claims: &core.Claims{TokenType: core.M2MToken, Subject: "mch_1"}}
		if err := core.RequireReverification(core.ReverificationStrict).Evaluate(res); !errors.Is(err, core.ErrTokenTypeMismatch) {
			t.Fatalf("behaviour.md §6.3: a machine token on a session guard: %v, want token-type-mismatch", err)
		}
	})
	t.Run("InvalidRequirementForbiddenWithoutHint", func(t *testing.T) {
		err := core.RequireReverification(core.Reverification{Level: core.MultiFactor}).Evaluate(fresh)
		p := core.ProblemFor(err)
		if !errors.Is(err, core.ErrForbidden) || p.Status != http.StatusForbidden || json.Valid(p.Body) && containsKey(p.Body, "clerk_error") {
			t.Fatalf("behaviour.md §5.6: an invalid requirement: %v %s, want 403 forbidden without a reverification hint", err, p.Body)
		}
	})
	t.Run("SentinelRendersEmptyMetadata", func(t *testing.T) {
		p := core.ProblemFor(core.ErrReverification)
		var body struct {
			ClerkError struct {
				Type     string         `json:"type"`
				Reason   string         `json:"reason"`
				Metadata map[string]any `json:"metadata"`
			} `json:"clerk_error"`
		}
		if err := json.Unmarshal(p.Body, &body); err != nil || body.ClerkError.Type != "forbidden" ||
			body.ClerkError.Reason != "reverification-error" || body.ClerkError.Metadata == nil || len(body.ClerkError.Metadata) != 0 {
			t.Fatalf("behaviour.md §7.3: unknown requirement: %s, want an empty metadata object", p.Body)
		}
	})
	t.Run("OtherReasonsHaveNoHint", func(t *testing.T) {
		for _, r := range []core.Reason{core.ReasonForbidden, core.ReasonMissingPermission, core.ReasonTokenExpired} {
			if b := core.ProblemFor(&core.Error{Reason: r}).Body; containsKey(b, "clerk_error") {
				t.Fatalf("behaviour.md §7.3: %s body %s carries a reverification hint", r, b)
			}
		}
	})
}

func containsKey(body []byte, key string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	_, ok := m[key]
	return ok
}

// behaviour.md §4.1/§5.6: end to end, a verified token's fva decides.
func TestRule5_6_ReverificationFromToken(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	for _, tc := range []struct {
		fva  *[2]int
		want bool
	}{{ages(3, 9), true}, {ages(3, 10), false}, {ages(3, -1), true}, {nil, false}} {
		tok := e.iss.Mint(clerktest.Session{UserID: "user_fva", FVA: tc.fva})
		c, err := a.VerifyToken(t.Context(), tok)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.HasReverification(core.ReverificationStrict); got != tc.want {
			t.Fatalf("behaviour.md §5.6: token fva %v: strict = %v, want %v", tc.fva, got, tc.want)
		}
	}
}
