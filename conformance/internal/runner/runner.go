// Package runner is the case runner the HTTP and RPC conformance suites
// share: groups of named cases run as subtests "Group/Case" of one suite
// state S, with a harness-level Unsupported list that skips a case or a
// whole group with its reason, visibly.
package runner

import "testing"

// Case is one named check of a suite whose state is S.
type Case[S any] struct {
	Name string
	Run  func(t *testing.T, s S)
}

// Group is a named list of cases.
type Group[S any] struct {
	Name  string
	Cases []Case[S]
}

// Run runs every case of groups as t.Run(group, t.Run(case)), skipping with
// its reason a group ("Verify") or a case ("Verify/Expired") listed in
// unsupported; adapter names the adapter in the skip messages.
func Run[S any](t *testing.T, adapter string, unsupported map[string]string, groups []Group[S], s S) {
	t.Helper()
	for _, g := range groups {
		t.Run(g.Name, func(t *testing.T) {
			if reason, ok := unsupported[g.Name]; ok {
				t.Skipf("%s: unsupported by %s: %s", g.Name, adapter, reason)
			}
			for _, c := range g.Cases {
				t.Run(c.Name, func(t *testing.T) {
					if reason, ok := unsupported[g.Name+"/"+c.Name]; ok {
						t.Skipf("%s/%s: unsupported by %s: %s", g.Name, c.Name, adapter, reason)
					}
					c.Run(t, s)
				})
			}
		})
	}
}

// Names lists every case of groups as "Group/Case", in order.
func Names[S any](groups []Group[S]) []string {
	var out []string
	for _, g := range groups {
		for _, c := range g.Cases {
			out = append(out, g.Name+"/"+c.Name)
		}
	}
	return out
}
