package core_test

import (
	"slices"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// mintV2 mints a v2 token with raw fea/per/fpm claims.
func mintV2(e *ruleEnv, fea, per, fpm any) string {
	o := map[string]any{"id": "org_1", "slg": "acme", "rol": "admin"}
	if per != nil {
		o["per"] = per
	}
	if fpm != nil {
		o["fpm"] = fpm
	}
	claims := map[string]any{"o": o}
	if fea != nil {
		claims["fea"] = fea
	} else {
		claims["fea"] = nil
	}
	return e.iss.Mint(clerktest.Session{Claims: claims})
}

// behaviour.md §4.5: permissions from fea + o.per + o.fpm, positional.
func TestRule4_5_OrgPermissions(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	cases := []struct {
		name          string
		fea, per, fpm any
		want          []string
	}{
		{"WorkedExampleDocs", "o:dashboard,o:teams", "manage,read", "3,2",
			[]string{"org:dashboard:manage", "org:dashboard:read", "org:teams:read"}},
		{"WorkedExampleMore", "o:repositories,o:projects", "read,create,update,delete,revoke", "7,21",
			[]string{"org:repositories:read", "org:repositories:create", "org:repositories:update",
				"org:projects:read", "org:projects:update", "org:projects:revoke"}},
		{"Trimmed", " o:a , o:b ", " x , y ", " 1 , 2 ", []string{"org:a:x", "org:b:y"}},
		{"UserFeatureBeforeOrgIsPositional", "u:beta,o:invoices", "create,read", "0,3",
			[]string{"org:invoices:create", "org:invoices:read"}},
		{"UserFeatureMaskIgnored", "u:beta,o:invoices", "create,read", "3,1", []string{"org:invoices:create"}},
		{"OUScopeGrants", "ou:reports", "read", "1", []string{"org:reports:read"}},
		{"UOScopeGrants", "uo:reports", "read", "1", []string{"org:reports:read"}},
		{"UnknownScopeSkippedKeepsPositions", "x:foo,o:bar", "read", "1,1", []string{"org:bar:read"}},
		{"InvalidMaskNegative", "o:a,o:b", "read", "-1,1", []string{"org:b:read"}},
		{"InvalidMaskDecimal", "o:a,o:b", "read", "1.5,1", []string{"org:b:read"}},
		{"InvalidMaskSuffix", "o:a,o:b", "read", "1x,1", []string{"org:b:read"}},
		{"InvalidMaskEmpty", "o:a,o:b", "read", ",1", []string{"org:b:read"}},
		{"InvalidMaskHex", "o:a,o:b", "read", "0x1,1", []string{"org:b:read"}},
		{"BitsBeyondPerIgnored", "o:a", "read", "255", []string{"org:a:read"}},
		{"Mask2Pow53Plus1", "o:a", "p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11,p12,p13,p14,p15,p16,p17,p18,p19,p20,p21,p22,p23,p24,p25,p26,p27,p28,p29,p30,p31,p32,p33,p34,p35,p36,p37,p38,p39,p40,p41,p42,p43,p44,p45,p46,p47,p48,p49,p50,p51,p52,p53",
			"9007199254740993", []string{"org:a:p0", "org:a:p53"}},
		{"HugeMaskExact", "o:a", "p0,p1", "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
			[]string{"org:a:p0"}},
		{"FeatureWithoutMaskGetsNothing", "o:a,o:b", "read", "1", []string{"org:a:read"}},
		{"ExtraMasksIgnored", "o:a", "read", "1,1,1", []string{"org:a:read"}},
		{"ElementWithoutColonMalformed", "o:a,broken", "read", "1,1", []string{}},
		{"PerMissing", "o:a", nil, "1", []string{}},
		{"FpmMissing", "o:a", "read", nil, []string{}},
		{"FeaMissing", nil, "read", "1", []string{}},
		{"ZeroMask", "o:a", "read", "0", []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := a.VerifyToken(t.Context(), mintV2(e, tc.fea, tc.per, tc.fpm))
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if c.OrgPermissions == nil {
				t.Fatalf("behaviour.md §4.5: permissions must be non-nil when an org is active")
			}
			if !slices.Equal(c.OrgPermissions, tc.want) {
				t.Fatalf("behaviour.md §4.5: permissions = %q, want %q", c.OrgPermissions, tc.want)
			}
		})
	}
}

// behaviour.md §4.4: fea scopes; malformed fea gives no features.
func TestRule4_4_Features(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	cases := []struct {
		name, fea      string
		wantOrg, wantU []string
	}{
		{"Scopes", "o:a, u:b ,ou:c,uo:d,x:e", []string{"a", "c", "d"}, []string{"b", "c", "d"}},
		{"NameWithColon", "o:a:b", []string{"a:b"}, nil},
		{"Malformed", "o:a,nocolon", nil, nil},
		{"Empty", "", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: map[string]any{"fea": tc.fea}}))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.OrgFeatures, tc.wantOrg) || !slices.Equal(c.UserFeatures, tc.wantU) {
				t.Fatalf("behaviour.md §4.4: org %q user %q, want %q %q", c.OrgFeatures, c.UserFeatures, tc.wantOrg, tc.wantU)
			}
		})
	}
}

// behaviour.md §4.1–4.3: the claims model for v1 and v2 tokens.
func TestRule4_ClaimsModel(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	t.Run("4.1/Common", func(t *testing.T) {
		tok := e.iss.Mint(clerktest.Session{UserID: "user_1", SessionID: "sess_1", FVA: &[2]int{3, -1},
			Actor: &core.Actor{Subject: "user_admin", SessionID: "sess_a", Issuer: "https://dashboard.clerk.com", Type: "impersonation"}})
		c, err := a.VerifyToken(t.Context(), tok)
		if err != nil {
			t.Fatal(err)
		}
		if c.Subject != "user_1" || c.UserID() != "user_1" || c.SessionID != "sess_1" || c.AuthorizedParty != clerktest.DefaultAuthorizedParty ||
			c.Issuer != e.iss.IssuerURL() || c.SessionStatus != "active" || c.Version != 2 || c.TokenType != core.SessionToken {
			t.Fatalf("behaviour.md §4.1: %+v", c)
		}
		if c.FactorVerificationAge == nil || *c.FactorVerificationAge != [2]int{3, -1} {
			t.Fatalf("behaviour.md §4.1: fva = %v", c.FactorVerificationAge)
		}
		if !c.Impersonated() || c.Actor.Subject != "user_admin" || c.Actor.Type != "impersonation" || c.Actor.SessionID != "sess_a" {
			t.Fatalf("behaviour.md §4.1: act = %+v", c.Actor)
		}
		if !c.Expiry.Equal(e.clock.Now().Add(60e9).Truncate(1e9)) || c.IssuedAt.IsZero() {
			t.Fatalf("behaviour.md §4.1: times iat %v exp %v", c.IssuedAt, c.Expiry)
		}
		var custom struct {
			Jti string `json:"jti"`
		}
		if err := c.Decode(&custom); err != nil || custom.Jti == "" {
			t.Fatalf("behaviour.md §3.11: Decode raw claims: %v %+v", err, custom)
		}
	})
	t.Run("4.2/V2Org", func(t *testing.T) {
		for _, rol := range []string{"admin", "org:admin"} {
			c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: map[string]any{
				"o": map[string]any{"id": "org_1", "slg": "acme", "rol": rol}}}))
			if err != nil {
				t.Fatal(err)
			}
			if c.OrgID != "org_1" || c.OrgSlug != "acme" || c.OrgRole != "org:admin" {
				t.Fatalf("behaviour.md §4.2 (rol %q): %+v", rol, c)
			}
			if c.OrgPermissions == nil || len(c.OrgPermissions) != 0 {
				t.Fatalf("behaviour.md §4.5: o without per/fpm must give an empty, non-nil list: %#v", c.OrgPermissions)
			}
		}
	})
	t.Run("4.2/V2PlansFeatures", func(t *testing.T) {
		c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{OrgID: "org_1", OrgPlans: []string{"pro"}, UserPlans: []string{"free"},
			UserFeatures: []string{"beta"}}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.OrgPlans, []string{"pro"}) || !slices.Equal(c.UserPlans, []string{"free"}) || !slices.Equal(c.UserFeatures, []string{"beta"}) {
			t.Fatalf("behaviour.md §4.2: %+v", c)
		}
	})
	t.Run("4.3/V1Flat", func(t *testing.T) {
		c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgSlug: "acme", OrgRole: "admin",
			OrgPermissions: []string{"org:invoices:create"}}))
		if err != nil {
			t.Fatal(err)
		}
		if c.Version != 1 || c.OrgID != "org_1" || c.OrgRole != "admin" || !slices.Equal(c.OrgPermissions, []string{"org:invoices:create"}) {
			t.Fatalf("behaviour.md §4.3: %+v", c)
		}
		if !c.HasRole("org:admin") || !c.HasRole("admin") || !c.HasPermission("invoices:create") {
			t.Fatalf("behaviour.md §5.2/5.3 on a v1 legacy role")
		}
	})
	t.Run("4.3/VersionNotNumber2IsV1", func(t *testing.T) {
		for _, v := range []any{"2", 1, 3, true} {
			c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "org:member",
				Claims: map[string]any{"v": v}}))
			if err != nil {
				t.Fatal(err)
			}
			if c.Version != 1 || c.OrgID != "org_1" {
				t.Fatalf("behaviour.md §4.3: v=%v gave version %d org %q", v, c.Version, c.OrgID)
			}
		}
	})
	t.Run("3.9/WrongTypedKnownClaims", func(t *testing.T) {
		for name, claims := range map[string]map[string]any{
			"StsArray": {"sts": []string{"active"}}, "ActString": {"act": "x"},
			"SidNumber": {"sid": 5}, "IatBool": {"iat": true}, "OrgIDNumber": {"org_id": 7},
		} {
			_, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: claims}))
			if core.ReasonOf(err) != core.ReasonTokenVerificationFailed {
				t.Errorf("%s: err %v, want token-verification-failed", name, err)
			}
		}
	})
}

// behaviour.md §5: has() checks.
func TestRule5_Checks(t *testing.T) {
	c := &core.Claims{TokenType: core.SessionToken, Subject: "user_1", OrgID: "org_1", OrgRole: "org:admin",
		OrgPermissions: []string{"org:invoices:create", "org:invoices:read"},
		OrgFeatures:    []string{"analytics"}, UserFeatures: []string{"beta"},
		OrgPlans: []string{"pro"}, UserPlans: []string{"free"}}
	noOrg := &core.Claims{TokenType: core.SessionToken, Subject: "user_1", OrgPermissions: []string{"org:invoices:create"}, OrgRole: "org:admin"}
	v1Legacy := &core.Claims{Subject: "user_1", OrgID: "org_1", OrgRole: "admin"}
	signedOut := &core.Claims{OrgID: "org_1", OrgRole: "org:admin", OrgPermissions: []string{"org:invoices:create"}, OrgFeatures: []string{"analytics"}}
	var nilClaims *core.Claims
	cases := []struct {
		name string
		got  bool
		want bool
	}{
		{"5.2/Exact", c.HasPermission("org:invoices:create"), true},
		{"5.2/WithoutPrefix", c.HasPermission("invoices:create"), true},
		{"5.2/DoublePrefix", c.HasPermission("org:org:invoices:create"), true},
		{"5.2/PrefixOfPermission", c.HasPermission("org:invoices"), false},
		{"5.2/CaseSensitive", c.HasPermission("org:Invoices:create"), false},
		{"5.2/Empty", c.HasPermission(""), false},
		{"5.2/OnlyPrefix", c.HasPermission("org:"), false},
		{"5.2/NeedsActiveOrg", noOrg.HasPermission("org:invoices:create"), false},
		{"5.3/RoleBare", c.HasRole("admin"), true},
		{"5.3/RolePrefixed", c.HasRole("org:admin"), true},
		{"5.3/RoleOther", c.HasRole("member"), false},
		{"5.3/RoleNeedsOrg", noOrg.HasRole("admin"), false},
		{"5.3/V1LegacyBare", v1Legacy.HasRole("org:admin"), true},
		{"5.3/RoleEmpty", c.HasRole(""), false},
		{"5.4/FeatureNoScope", c.HasFeature("analytics"), true},
		{"5.4/FeatureNoScopeUser", c.HasFeature("beta"), true},
		{"5.4/FeatureO", c.HasFeature("o:analytics"), true},
		{"5.4/FeatureOrg", c.HasFeature("org:analytics"), true},
		{"5.4/FeatureOrganization", c.HasFeature("organization:analytics"), true},
		{"5.4/FeatureOrgScopeWrongList", c.HasFeature("org:beta"), false},
		{"5.4/FeatureU", c.HasFeature("u:beta"), true},
		{"5.4/FeatureUser", c.HasFeature("user:beta"), true},
		{"5.4/FeatureUserScopeWrongList", c.HasFeature("user:analytics"), false},
		{"5.4/FeatureUnknownScope", c.HasFeature("team:analytics"), false},
		{"5.4/FeatureMissing", c.HasFeature("nope"), false},
		{"5.4/PlanOrg", c.HasPlan("o:pro"), true},
		{"5.4/PlanUser", c.HasPlan("user:free"), true},
		{"5.4/PlanNoScope", c.HasPlan("free"), true},
		{"5.4/PlanWrongScope", c.HasPlan("u:pro"), false},
		{"5.5/AllPass", c.Has(core.Check{Permission: "invoices:read", Role: "admin", Feature: "o:analytics", Plan: "pro"}), true},
		{"5.5/OneFails", c.Has(core.Check{Permission: "invoices:read", Role: "member"}), false},
		{"5.5/EmptyCheck", c.Has(core.Check{}), false},
		{"5.1/NoSubPermission", signedOut.HasPermission("org:invoices:create"), false},
		{"5.1/NoSubRole", signedOut.HasRole("admin"), false},
		{"5.1/NoSubFeature", signedOut.HasFeature("analytics"), false},
		{"5.1/NoSubHas", signedOut.Has(core.Check{Role: "admin"}), false},
		{"5.1/NilClaims", nilClaims.HasPermission("x:y") || nilClaims.HasRole("a") || nilClaims.HasFeature("f") || nilClaims.HasPlan("p") || nilClaims.Has(core.Check{Role: "a"}), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Fatalf("behaviour.md §%s: got %v, want %v", tc.name, tc.got, tc.want)
			}
		})
	}
}
