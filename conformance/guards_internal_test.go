package conformance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// Guards.For mounts nothing for a route without a guard, the adapter's
// Guard for an ordinary route, the named function for a Named* route (and
// records it), and fails loudly when the harness left the function it needs
// nil.
func TestGuardsFor(t *testing.T) {
	gs := Guards[string, int]{
		Guard:       func(g core.Guard, o ...int) string { return fmt.Sprintf("Guard %s %v", g.Name(), o) },
		RequireRole: func(r string, o ...int) string { return fmt.Sprintf("RequireRole %s %v", r, o) },
	}
	if g, ok := gs.For(Route{}); ok {
		t.Fatalf("a route without a guard mounted %q", g)
	}
	if g, _ := gs.For(Route{Guard: guard(core.RequirePlan("pro"))}, 1); g != "Guard RequirePlan(pro) [1]" {
		t.Fatalf("ordinary route: %q", g)
	}
	named := Route{Guard: guard(core.RequireRole("admin")), named: &namedGuard{namedSpec: namedSpec{name: "RequireRole", arg: "admin"}}}
	if g, _ := gs.For(named, 2); g != "RequireRole admin [2]" || !named.named.mounted.Load() {
		t.Fatalf("named route: %q, mounted %v", g, named.named.mounted.Load())
	}
	for _, r := range []Route{
		{Guard: guard(core.RequireFeature("x")), named: &namedGuard{namedSpec: namedSpec{name: "RequireFeature", arg: "x"}}},
		{Guard: guard(core.RequireAuth())},
	} {
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "is nil") {
					t.Errorf("For with a nil function: recovered %v, want a panic naming the nil field", p)
				}
			}()
			var empty Guards[string, int]
			if r.named != nil {
				empty = gs
			}
			empty.For(r)
		}()
	}
}
