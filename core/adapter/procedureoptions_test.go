package adapter_test

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// The options set the same rules as the ProcedureRules methods, in order
// (a later rule for a pattern replaces an earlier one), and a nil option is
// skipped.
func TestNewProcedureRules(t *testing.T) {
	r := adapter.NewProcedureRules([]adapter.ProcedureOption{
		adapter.MethodGuardOption("/shop.v1.Invoices/", core.RequirePermission("org:invoices:read")),
		adapter.PublicMethodOption("/grpc.health.v1.Health/"),
		nil,
		adapter.DefaultGuardOption(core.RequireRole("admin")),
		adapter.MethodGuardOption("/shop.v1.Invoices/Create", core.RequireRole("billing")),
		adapter.PublicMethodOption("/shop.v1.Invoices/Create"), // replaces the guard above
	})
	for _, tc := range []struct {
		procedure, guard string
		public           bool
	}{
		{"/shop.v1.Invoices/List", core.RequirePermission("org:invoices:read").Name(), false},
		{"/shop.v1.Invoices/Create", "", true},
		{"/grpc.health.v1.Health/Check", "", true},
		{"/shop.v1.Users/Get", core.RequireRole("admin").Name(), false},
	} {
		t.Run(tc.procedure, func(t *testing.T) {
			g, public := r.Match(tc.procedure)
			if public != tc.public || (!public && g.Name() != tc.guard) {
				t.Errorf("Match: guard %q, public %v; want %q, %v", g.Name(), public, tc.guard, tc.public)
			}
		})
	}
	if g, public := adapter.NewProcedureRules(nil).Match("/any.v1.S/M"); public || g.Name() != core.RequireAuth().Name() {
		t.Errorf("no options: guard %q, public %v; want RequireAuth (fail closed)", g.Name(), public)
	}
}
