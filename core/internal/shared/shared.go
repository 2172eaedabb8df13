// Package shared holds small helpers that core, its subpackages and the
// clerkguard token inspector (core/cmd/clerkguard) must apply identically,
// without core exporting them: how a configured list is split, and which
// hosts are valid. The token decoder they share is internal/jwtdecode.
package shared

import "strings"

// SplitList splits a comma-separated list, trims each entry and drops empty
// ones, as core.NewFromEnv reads CLERK_AUTHORIZED_PARTIES.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
