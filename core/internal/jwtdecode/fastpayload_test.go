package jwtdecode_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// The payload fast path must accept the ordinary tokens clerktest mints, or
// it would speed nothing up; what it decodes must equal the general decoder.
func TestPayloadFastPathAcceptsMintedTokens(t *testing.T) {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		t.Fatal(err)
	}
	fva := [2]int{3, -1}
	actor := &core.Actor{Subject: "user_admin", SessionID: "sess_a", Issuer: "https://dashboard.clerk.com", Type: "impersonation"}
	perms := []string{"org:invoices:create", "org:invoices:read", "org:reports:read"}
	cases := map[string]string{
		"V2":        iss.Mint(clerktest.Session{}),
		"V2Pending": iss.Mint(clerktest.Session{Status: "pending"}),
		"V2Org": iss.Mint(clerktest.Session{OrgID: "org_1", OrgSlug: "acme", OrgRole: "admin",
			OrgPermissions: perms, OrgFeatures: []string{"dash"}, UserFeatures: []string{"beta"},
			OrgPlans: []string{"pro"}, UserPlans: []string{"free"}}),
		"V2OrgNoPerms": iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "member"}),
		"V2ActorFVA":   iss.Mint(clerktest.Session{Actor: actor, FVA: &fva}),
		"V1":           iss.Mint(clerktest.Session{Version: 1}),
		"V1Org": iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgSlug: "acme", OrgRole: "org:admin",
			OrgPermissions: perms, OrgFeatures: []string{"dash"}, UserPlans: []string{"free"}, Actor: actor, FVA: &fva}),
		"V1OrgNoPerms": iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "basic_member"}),
		"CustomClaims": iss.Mint(clerktest.Session{Claims: map[string]any{
			"email": "ada@example.com", "metadata": map[string]any{"plan": "pro", "seats": 3, "tags": []any{"a", 1.5, true, nil}},
		}}),
		"M2M":   iss.MintM2M(clerktest.Machine{Scopes: []string{"read", "write"}}),
		"OAuth": iss.MintOAuth(clerktest.Machine{Scopes: []string{"openid", "email"}}),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			parts := strings.Split(tok, ".")
			b, err := base64.RawURLEncoding.DecodeString(parts[1])
			if err != nil {
				t.Fatal(err)
			}
			accepted, equal := jwtdecode.PayloadFastPathAgrees(b)
			if !accepted {
				t.Fatalf("fast path declined %s", b)
			}
			if !equal {
				t.Fatalf("fast path decoded %s differently from UnmarshalExact", b)
			}
		})
	}
}
