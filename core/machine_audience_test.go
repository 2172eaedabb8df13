package core_test

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §6.8: with WithAudience, an opaque OAuth access token's `aud`,
// as the Backend API reports it, must be present and hold a configured
// audience, on every use, cached or not.
func TestMachineOAuthAudience_OpaqueTokenCheckedCachedOrNot(t *testing.T) {
	const want = "https://api.example.com"
	cases := []struct {
		name     string
		aud      any // nil: no aud in the answer
		accepted bool
	}{
		{"StringMatches", want, true},
		{"ArrayHoldsIt", []string{"https://other.example.com", want}, true},
		{"SecondConfiguredAudience", "https://second.example.com", true},
		{"StringOther", "https://other.example.com", false},
		{"ArrayWithoutIt", []string{"https://other.example.com"}, false},
		{"Absent", nil, false},
		{"EmptyString", "", false},
		{"EmptyArray", []string{}, false},
		{"ArrayWithEmptyString", []string{want, ""}, false},
		{"Number", 42, false},
		{"ArrayWithNumber", []any{want, 42}, false},
		{"Object", map[string]string{"aud": want}, false},
		{"CaseDiffers", "https://API.example.com", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newMachineEnv(t)
			a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()),
				core.WithAudience(want, "https://second.example.com"))
			tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_aud", Audience: tc.aud})
			for i, use := range []string{"fresh", "cached"} {
				c, err := a.Authenticate(t.Context(), bearer(tok))
				if tc.accepted {
					if err != nil || c.Subject != "user_aud" {
						t.Fatalf("%s: %v, want accepted", use, err)
					}
				} else {
					if c != nil {
						t.Fatalf("%s: claims returned with an error", use)
					}
					wantReason(t, err, core.ReasonTokenInvalidAudience)
				}
				if n := e.iss.BackendCalls(); n != 1 {
					t.Fatalf("%s (use %d): %d Backend API calls, want 1 (the answer is cached, the check is not)", use, i+1, n)
				}
			}
		})
	}
}

// Without WithAudience no audience is checked; M2M tokens and API keys carry
// none and are never checked (as in Clerk's SDKs).
func TestMachineOAuthAudience_OnlyOAuthOnlyWhenConfigured(t *testing.T) {
	e := newMachineEnv(t)
	none := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()))
	withAud := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()), core.WithAudience("https://api.example.com"))
	cases := []struct {
		name string
		a    *core.Authorizer
		o    clerktest.Opaque
	}{
		{"NoAudienceConfiguredOAuthWithoutAud", none, clerktest.Opaque{Type: core.OAuthToken, Subject: "user_1"}},
		{"NoAudienceConfiguredOAuthOtherAud", none, clerktest.Opaque{Type: core.OAuthToken, Subject: "user_1", Audience: "https://other.example.com"}},
		{"AudienceConfiguredM2M", withAud, clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"}},
		{"AudienceConfiguredAPIKey", withAud, clerktest.Opaque{Type: core.APIKey, Subject: "user_1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.a.Authenticate(t.Context(), bearer(e.iss.IssueOpaque(tc.o))); err != nil {
				t.Fatalf("behaviour.md §6.8: %v, want accepted", err)
			}
		})
	}
}
