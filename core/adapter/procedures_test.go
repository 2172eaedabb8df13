package adapter_test

import (
	"errors"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

func TestProcedureRulesMostSpecificWins(t *testing.T) {
	var r adapter.ProcedureRules
	r.SetDefault(core.RequireRole("admin"))
	r.SetGuard("/shop.v1.Invoices", core.RequirePermission("org:invoices:read"))
	r.SetGuard("/shop.v1.Invoices/Create", core.RequirePermission("org:invoices:create"))
	r.SetPublic("grpc.health.v1.Health/")
	r.SetPublic("/grpc.reflection.")
	r.SetGuard("/shop.v1.", core.RequireAuth())
	tests := []struct {
		procedure, guard string
		public           bool
	}{
		{"/shop.v1.Invoices/Create", "RequirePermission(org:invoices:create)", false},
		{"/shop.v1.Invoices/List", "RequirePermission(org:invoices:read)", false},
		{"/shop.v1.InvoicesAdmin/List", "RequireAuth", false}, // "/shop.v1.Invoices/" is not a prefix of it
		{"/shop.v1.Orders/List", "RequireAuth", false},
		{"/grpc.health.v1.Health/Check", "", true},
		{"/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "", true},
		{"/grpc.health.v2.Health/Check", "RequireRole(admin)", false},
		{"/other.Service/Call", "RequireRole(admin)", false},
	}
	for _, tt := range tests {
		g, public := r.Match(tt.procedure)
		if public != tt.public || (!public && g.Name() != tt.guard) {
			t.Errorf("Match(%q) = %s, public %v; want %s, public %v", tt.procedure, g.Name(), public, tt.guard, tt.public)
		}
	}
}

func TestProcedureRulesFailClosed(t *testing.T) {
	var r adapter.ProcedureRules
	g, public := r.Match("/grpc.health.v1.Health/Check")
	if public || g.Name() != "RequireAuth" {
		t.Errorf("zero ProcedureRules: Match = %s, public %v; want RequireAuth (fail closed)", g.Name(), public)
	}
	r.SetPublic("/grpc.health.v1.Health/Check")
	r.SetGuard("/grpc.health.v1.Health/Check", core.RequireRole("admin")) // replaces the public rule
	if g, public := r.Match("/grpc.health.v1.Health/Check"); public || g.Name() != "RequireRole(admin)" {
		t.Errorf("a later rule for the same pattern must replace the earlier one: got %s, public %v", g.Name(), public)
	}
	r.SetPublic("/")
	if _, public := r.Match("/any.Service/Call"); !public {
		t.Errorf(`SetPublic("/") must make every procedure public`)
	}
	r.SetPublic("  ")
	if g, public := r.Match("/grpc.health.v1.Health/Check"); public || g.Name() != "RequireRole(admin)" {
		t.Errorf("an empty pattern must be ignored: got %s, public %v", g.Name(), public)
	}
}

func TestRPCProblemFor(t *testing.T) {
	perm := core.RequirePermission("org:invoices:create")
	tests := []struct {
		err    error
		code   adapter.RPCCode
		reason core.Reason
		status string
		guard  bool
	}{
		{core.ErrSessionTokenMissing, adapter.RPCUnauthenticated, core.ReasonSessionTokenMissing, "signed-out", false},
		{core.ErrTokenExpired, adapter.RPCUnauthenticated, core.ReasonTokenExpired, "signed-out", false},
		{perm.Evaluate(&core.Result{Claims: &core.Claims{Subject: "user_1"}}), adapter.RPCPermissionDenied, core.ReasonMissingPermission, "signed-in", true},
		{core.ErrJWKRemoteFailedToLoad, adapter.RPCUnavailable, core.ReasonJWKRemoteFailedToLoad, "", false},
		{core.ErrSecretKeyInvalid, adapter.RPCUnavailable, core.ReasonSecretKeyInvalid, "", false},
		{errors.New("boom: secret"), adapter.RPCUnavailable, core.ReasonUnexpectedError, "", false},
		{core.ErrMiddlewareMissing, adapter.RPCInternal, core.ReasonMiddlewareMissing, "", true},
	}
	for _, tt := range tests {
		p := adapter.RPCProblemFor(tt.err, perm)
		if p.Code != tt.code || p.Reason != tt.reason || p.Message != tt.reason.Message() {
			t.Errorf("RPCProblemFor(%v) = code %d reason %s message %q; want code %d reason %s and its fixed message", tt.err, p.Code, p.Reason, p.Message, tt.code, tt.reason)
		}
		if p.Trailer[adapter.RPCTrailerAuthReason] != string(tt.reason) || p.Trailer[adapter.RPCTrailerAuthStatus] != tt.status {
			t.Errorf("RPCProblemFor(%v): trailer %v, want reason %s and status %q", tt.err, p.Trailer, tt.reason, tt.status)
		}
		if got := p.Metadata[adapter.RPCMetadataGuard]; (got == perm.Name()) != tt.guard {
			t.Errorf("RPCProblemFor(%v): metadata %v, guard named: %v", tt.err, p.Metadata, tt.guard)
		}
	}
}
