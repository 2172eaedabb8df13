package bench

import (
	"context"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

func TestHasV2Permission(t *testing.T) {
	many := make([]string, 54)
	for i := range many {
		many[i] = "p" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	cases := []struct {
		fea, per, fpm, perm string
		want                bool
	}{
		// behaviour.md §4.5 worked examples.
		{"o:dashboard,o:teams", "manage,read", "3,2", "org:dashboard:manage", true},
		{"o:dashboard,o:teams", "manage,read", "3,2", "org:dashboard:read", true},
		{"o:dashboard,o:teams", "manage,read", "3,2", "org:teams:read", true},
		{"o:dashboard,o:teams", "manage,read", "3,2", "org:teams:manage", false},
		{"o:repositories,o:projects", "read,create,update,delete,revoke", "7,21", "org:repositories:update", true},
		{"o:repositories,o:projects", "read,create,update,delete,revoke", "7,21", "org:repositories:delete", false},
		{"o:repositories,o:projects", "read,create,update,delete,revoke", "7,21", "org:projects:revoke", true},
		{"o:repositories,o:projects", "read,create,update,delete,revoke", "7,21", "org:projects:create", false},
		// Normalisation, spaces, scopes and positions.
		{"o:teams", "read", "1", "teams:read", true},
		{" o:teams ", " read ", " 1 ", "org:teams:read", true},
		{"u:beta,o:teams", "read", "0,1", "org:teams:read", true},
		{"u:teams", "read", "1", "org:teams:read", false},
		{"ou:teams", "read", "1", "org:teams:read", true},
		{"o:teams", "read", "1", "org:teams", false},
		// Malformed claims grant nothing.
		{"o:teams", "read", "-1", "org:teams:read", false},
		{"o:teams", "read", "1x", "org:teams:read", false},
		{"o:teams", "read", "", "org:teams:read", false},
		{"teams,o:other", "read", "1,1", "org:other:read", false},
		{"o:teams,o:other", "read", "1", "org:other:read", false},
		// Masks beyond 64 bits are decoded exactly: 2^53+1 sets bits 0 and 53.
		{"o:big", strings.Join(many, ","), "9007199254740993", "org:big:" + many[53], true},
		{"o:big", strings.Join(many, ","), "9007199254740993", "org:big:" + many[52], false},
		{"o:big", strings.Join(many, ","), "18446744073709551617", "org:big:" + many[0], true},
	}
	for _, tc := range cases {
		if got := hasV2Permission(tc.fea, tc.per, tc.fpm, tc.perm); got != tc.want {
			t.Errorf("fea=%q per=%q fpm=%q %s: %v, want %v", tc.fea, tc.per, tc.fpm, tc.perm, got, tc.want)
		}
	}
}

// TestClerkClaimsAgreeWithClerktest: the decoder reads what clerktest
// encodes, for every permission of a token and a few it lacks.
func TestClerkClaimsAgreeWithClerktest(t *testing.T) {
	perms := []string{"org:invoices:create", "org:invoices:read", "org:reports:read", "org:teams:manage"}
	fea, per, fpm := clerktest.EncodePermissions(perms, []string{"analytics"}, []string{"beta"})
	c := &ClerkClaims{AuthorizedParty: Party, Version: 2, Features: fea,
		Org: &ClerkOrg{ID: "org_1", Role: "admin", Permissions: per, Masks: fpm}}
	for _, p := range perms {
		if !c.HasPermission(p) {
			t.Errorf("%s not granted (fea=%q per=%q fpm=%q)", p, fea, per, fpm)
		}
	}
	for _, p := range []string{"org:reports:create", "org:teams:read", "org:analytics:read", "org:beta:read"} {
		if c.HasPermission(p) {
			t.Errorf("%s granted", p)
		}
	}
	if err := c.Validate(context.Background()); err != nil {
		t.Errorf("Validate: %v", err)
	}
	v1 := *c
	v1.Version = 1
	noOrg := *c
	noOrg.Org = nil
	var none *ClerkClaims
	for name, cc := range map[string]*ClerkClaims{"v1": &v1, "no org": &noOrg, "nil": none} {
		if cc.HasPermission(perms[0]) {
			t.Errorf("%s: permission granted", name)
		}
	}
	if err := (&ClerkClaims{AuthorizedParty: "https://evil.example"}).Validate(context.Background()); err == nil {
		t.Error("foreign azp validated")
	}
}
