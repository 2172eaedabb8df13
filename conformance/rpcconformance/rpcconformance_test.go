package rpcconformance_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/rpcconformance"
	"github.com/clerkguard/clerkguard/core"
)

// The token cases are the HTTP suite's: every verify and grant row runs
// under the same name, and no name repeats.
func TestCaseNamesShareTheHTTPTokenTables(t *testing.T) {
	names := rpcconformance.CaseNames()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("case %s appears twice", n)
		}
		seen[n] = true
	}
	for _, want := range []string{"Verify/ExpiredAtSkewBoundary", "Verify/AlgHS256WithPublicKey", "Verify/KeyTooShort",
		"Claims/WorkedExampleDashboardTeams", "Claims/RoleV1Legacy", "Guards/FailClosedByDefault", "Machine/AcceptancePerMethod",
		"Concurrency/ConcurrentStreams"} {
		if !seen[want] {
			t.Errorf("CaseNames lacks %s", want)
		}
	}
	if n := len(names); n < 100 {
		t.Errorf("CaseNames lists %d cases, want the full tables (100+)", n)
	}
}

func TestOptionsKeepsRuleOrder(t *testing.T) {
	def := core.RequireRole("admin")
	app := &rpcconformance.App{
		Rules: []rpcconformance.Rule{
			{Pattern: "/a.B/", Guard: core.RequireAuth()},
			{Pattern: "/a.B/C", Public: true},
		},
		Default: &def,
	}
	got := rpcconformance.Options(app,
		func(p string, g core.Guard) string { return "guard " + p + " " + g.Name() },
		func(p string) string { return "public " + p },
		func(g core.Guard) string { return "default " + g.Name() })
	want := []string{"guard /a.B/ RequireAuth", "public /a.B/C", "default RequireRole(admin)"}
	if !slices.Equal(got, want) {
		t.Errorf("Options = %q, want %q", got, want)
	}
	if got := rpcconformance.Options(&rpcconformance.App{}, nil, nil, func(core.Guard) string { return "x" }); len(got) != 0 {
		t.Errorf("no rules and no default: Options = %q, want none", got)
	}
}

func TestHandleRecordsWhatTheHandlerSaw(t *testing.T) {
	app := &rpcconformance.App{}
	ctx := core.ContextWithClaims(t.Context(), &core.Claims{Subject: "user_1"})
	c, ok := core.ClaimsFromContext(ctx)
	body := string(app.Handle(ctx, c, ok))
	if !strings.Contains(body, `"adapter_user":"user_1"`) || !strings.Contains(body, `"context_user":"user_1"`) || body != string(app.Summarize(ctx, c, ok)) {
		t.Errorf("Handle body %s: want both accessors' user and the same body from Summarize", body)
	}
	if body := string(app.Handle(t.Context(), nil, false)); !strings.Contains(body, `"has_result":false`) {
		t.Errorf("Handle without a Result: %s, want has_result false", body)
	}
}
