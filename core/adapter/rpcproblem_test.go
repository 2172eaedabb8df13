package adapter_test

import (
	"encoding/json"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// behaviour.md §7.3: a reverification refusal over RPC carries, in its
// ErrorInfo metadata, the same clerk_error hint the HTTP body carries; no
// other refusal carries one.
func TestRPCProblemReverificationHint(t *testing.T) {
	stale := &core.Result{Claims: &core.Claims{Subject: "user_1", FactorVerificationAge: &[2]int{90, 90}}}
	for _, tc := range []struct {
		name string
		g    core.Guard
		want string
	}{
		{"Strict", core.RequireReverification(core.ReverificationStrict), `"strict"`},
		{"Custom", core.RequireReverification(core.Reverification{Level: core.SecondFactor, AfterMinutes: 30}), `{"level":"second_factor","afterMinutes":30}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.g.Evaluate(stale)
			p := adapter.RPCProblemFor(err, tc.g)
			if p.Code != adapter.RPCPermissionDenied || p.Reason != core.ReasonReverificationError {
				t.Fatalf("RPCProblemFor = %v %s, want PermissionDenied reverification-error", p.Code, p.Reason)
			}
			var body struct {
				ClerkError json.RawMessage `json:"clerk_error"`
			}
			if json.Unmarshal(core.ProblemFor(err).Body, &body) != nil || len(body.ClerkError) == 0 {
				t.Fatalf("the HTTP body carries no clerk_error: %s", core.ProblemFor(err).Body)
			}
			got := p.Metadata[adapter.RPCMetadataClerkError]
			if got != string(body.ClerkError) {
				t.Fatalf("metadata %s = %q, want the HTTP clerk_error %s byte for byte", adapter.RPCMetadataClerkError, got, body.ClerkError)
			}
			var hint struct {
				Type     string `json:"type"`
				Reason   string `json:"reason"`
				Metadata struct {
					Reverification json.RawMessage `json:"reverification"`
				} `json:"metadata"`
			}
			if err := json.Unmarshal([]byte(got), &hint); err != nil || hint.Type != "forbidden" || hint.Reason != "reverification-error" || string(hint.Metadata.Reverification) != tc.want {
				t.Fatalf("hint %s: want type forbidden, reason reverification-error, reverification %s (%v)", got, tc.want, err)
			}
			if p.Metadata[adapter.RPCMetadataGuard] != tc.g.Name() {
				t.Fatalf("the guard is still named: %v", p.Metadata)
			}
		})
	}
	t.Run("OtherRefusalsHaveNone", func(t *testing.T) {
		g := core.RequirePermission("org:x:y")
		p := adapter.RPCProblemFor(g.Evaluate(stale), g)
		if _, ok := p.Metadata[adapter.RPCMetadataClerkError]; ok || p.Reason != core.ReasonMissingPermission {
			t.Fatalf("a missing-permission refusal carries no reverification hint: %v", p.Metadata)
		}
	})
}
