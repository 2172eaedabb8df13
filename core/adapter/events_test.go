package adapter_test

import (
	"context"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §13.1: every path to a State reports guard decisions to the
// Authorizer's Guard function: the middleware's own States, the shared
// States of fiber's steady state, and the RPC interceptors' Authorize; a
// skipped request reports none (no Authorizer looked at it).
func TestGuardEvents(t *testing.T) {
	e := newRuleEnv(t)
	var got []core.GuardEvent
	a := e.authorizer(t, core.WithEvents(core.Observer{Guard: func(_ context.Context, ev core.GuardEvent) { got = append(got, ev) }}))
	tok := e.iss.Mint(clerktest.Session{UserID: "user_guard"})
	bg := context.Background()
	cfg := adapter.NewMiddlewareConfig[any, int](nil)
	allowed := core.GuardEvent{Guard: "RequireAuth", Allowed: true, TokenType: core.SessionToken}
	denied := core.GuardEvent{Guard: "RequireScope(s)", Reason: core.ReasonTokenTypeMismatch, TokenType: core.SessionToken}
	var rules adapter.ProcedureRules
	rules.SetGuard("/pkg.v1.S/", core.RequireScope("s"))
	cases := []struct {
		name string
		run  func()
		want []core.GuardEvent
	}{
		{"Own", func() { _ = adapter.Evaluate(bg, core.RequireAuth(), adapter.NewState(bg, a, bearer(tok), nil), nil) }, []core.GuardEvent{allowed}},
		{"Shared", func() {
			first := cfg.NewState(bg, a, 0, bearer(tok))
			if cfg.NewState(bg, a, 0, bearer(tok)) != first {
				t.Fatal("the State is not shared")
			}
			_ = adapter.Evaluate(bg, core.RequireAuth(), cfg.NewState(bg, a, 0, bearer(tok)), nil)
		}, []core.GuardEvent{allowed}},
		{"RPC", func() { _, _, _ = rules.Authorize(bg, a, "/pkg.v1.S/M", bearer(tok)) }, []core.GuardEvent{denied}},
		{"Skipped", func() {
			skip := adapter.NewMiddlewareConfig[any, int](nil)
			skip.Skipper = func(int) bool { return true }
			_ = adapter.Evaluate(bg, core.RequireAuth(), skip.NewState(bg, a, 0, bearer(tok)), nil)
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got = nil
			tc.run()
			if len(got) != len(tc.want) || (len(got) == 1 && got[0] != tc.want[0]) {
				t.Fatalf("behaviour.md §13.1: got %+v, want %+v", got, tc.want)
			}
		})
	}
}
