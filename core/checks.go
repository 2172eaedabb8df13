package core

import (
	"slices"
	"strings"

	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// This file implements Clerk's has() checks (behaviour.md §5). Every check is false
// for nil claims or claims without a subject (behaviour.md §5.1).

// Check combines several conditions for Has; every non-empty field must
// hold, and a Check with no field set is false (behaviour.md §5.5).
type Check struct {
	// Permission is an org permission ("org:invoices:create" or
	// "invoices:create").
	Permission string
	// Role is an org role ("admin" or "org:admin").
	Role string
	// Feature is a feature, optionally scoped ("o:", "org:", "organization:",
	// "u:", "user:").
	Feature string
	// Plan is a plan, with the same optional scope syntax as Feature.
	Plan string
	// Scope is a machine-token scope.
	Scope string
	// Reverification, when set, requires the session to satisfy it
	// (Claims.HasReverification, behaviour.md §5.6).
	Reverification *Reverification
}

func (c *Claims) signedIn() bool { return c != nil && c.Subject != "" }

// session reports whether c is a signed-in session (the only kind that has
// organizations, roles, permissions, features and plans).
func (c *Claims) session() bool {
	return c.signedIn() && (c.TokenType == SessionToken || c.TokenType == "")
}

// HasPermission reports whether the active organization grants permission p
// (behaviour.md §5.2). p is normalised ("invoices:create" and "org:invoices:create"
// are the same permission); the match is exact and case-sensitive, so
// "org:invoices" does not match "org:invoices:create". No active
// organization means false.
func (c *Claims) HasPermission(p string) bool {
	if !c.session() || c.OrgID == "" {
		return false
	}
	want := jwtdecode.NormalizeOrgName(p)
	return want != "" && slices.Contains(c.OrgPermissions, want)
}

// HasRole reports whether the user's role in the active organization is r
// (behaviour.md §5.3). Both sides are normalised, so "admin" and "org:admin" match a
// claim of either form. No active organization means false.
func (c *Claims) HasRole(r string) bool {
	if !c.session() || c.OrgID == "" {
		return false
	}
	want := jwtdecode.NormalizeOrgName(r)
	return want != "" && want == jwtdecode.NormalizeOrgName(c.OrgRole)
}

// scopedQuery parses a feature or plan query (behaviour.md §5.4): org and user say
// which lists to search; ok is false for an unknown scope or an empty name.
func scopedQuery(q string) (name string, org, user, ok bool) {
	scope, name, found := strings.Cut(q, ":")
	if !found {
		return q, true, true, q != ""
	}
	switch scope {
	case "o", "org", "organization":
		return name, true, false, name != ""
	case "u", "user":
		return name, false, true, name != ""
	}
	return "", false, false, false
}

func hasScoped(q string, orgList, userList []string) bool {
	name, org, user, ok := scopedQuery(q)
	if !ok {
		return false
	}
	return (org && slices.Contains(orgList, name)) || (user && slices.Contains(userList, name))
}

// HasFeature reports whether feature f is enabled (behaviour.md §5.4): "o:f",
// "org:f" and "organization:f" search the org features, "u:f" and "user:f"
// the user features, a bare "f" either; any other scope is false.
func (c *Claims) HasFeature(f string) bool {
	if !c.session() {
		return false
	}
	return hasScoped(f, c.OrgFeatures, c.UserFeatures)
}

// HasPlan reports whether plan p is active, with the same scope syntax as
// HasFeature (behaviour.md §5.4).
func (c *Claims) HasPlan(p string) bool {
	if !c.session() {
		return false
	}
	return hasScoped(p, c.OrgPlans, c.UserPlans)
}

// HasScope reports whether a machine token carries scope s (exact match).
// Session tokens carry no scopes.
func (c *Claims) HasScope(s string) bool {
	if !c.signedIn() || s == "" || !c.TokenType.IsMachine() {
		return false
	}
	return slices.Contains(c.Scopes, s)
}

// Has reports whether every condition set in chk holds (behaviour.md §5.5). An empty
// Check is false.
func (c *Claims) Has(chk Check) bool {
	if chk == (Check{}) || !c.signedIn() {
		return false
	}
	if chk.Permission != "" && !c.HasPermission(chk.Permission) {
		return false
	}
	if chk.Role != "" && !c.HasRole(chk.Role) {
		return false
	}
	if chk.Feature != "" && !c.HasFeature(chk.Feature) {
		return false
	}
	if chk.Plan != "" && !c.HasPlan(chk.Plan) {
		return false
	}
	if chk.Scope != "" && !c.HasScope(chk.Scope) {
		return false
	}
	if chk.Reverification != nil && !c.HasReverification(*chk.Reverification) {
		return false
	}
	return true
}
