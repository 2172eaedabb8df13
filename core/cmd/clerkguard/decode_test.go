package main

import (
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// TestDecodeMatchesCore proves that the display decoding (core's exported
// decoders applied to the claims this package picks out of the JSON) shows
// what verification sees: every token is verified by core and decoded by
// this package, and the results must agree.
func TestDecodeMatchesCore(t *testing.T) {
	iss := clerktest.Start(t)
	a, err := core.New(append(iss.AuthorizerOptions(), core.AcceptAnyToken(),
		core.WithSecretKey(iss.SecretKey()), core.WithAPIURL(iss.APIURL()),
		core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	v2 := func(fea, per, fpm string) string {
		o := map[string]any{"id": "org_1", "slg": "acme", "rol": "admin"}
		if per != "-" {
			o["per"] = per
		}
		if fpm != "-" {
			o["fpm"] = fpm
		}
		claims := map[string]any{"o": o}
		if fea != "-" {
			claims["fea"] = fea
		} else {
			claims["fea"] = nil
		}
		return iss.Mint(clerktest.Session{OrgID: "org_1", Claims: claims})
	}
	cases := map[string]struct {
		tok  string
		want []string // permissions, when checked
	}{
		// behaviour.md §4.5 worked examples.
		"ClerkDocs": {v2("o:dashboard,o:teams", "manage,read", "3,2"),
			[]string{"org:dashboard:manage", "org:dashboard:read", "org:teams:read"}},
		"FiveNames": {v2("o:repositories,o:projects", "read,create,update,delete,revoke", "7,21"),
			[]string{"org:repositories:read", "org:repositories:create", "org:repositories:update",
				"org:projects:read", "org:projects:update", "org:projects:revoke"}},
		"BigMask":          {v2("o:f", "p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11,p12,p13,p14,p15,p16,p17,p18,p19,p20,p21,p22,p23,p24,p25,p26,p27,p28,p29,p30,p31,p32,p33,p34,p35,p36,p37,p38,p39,p40,p41,p42,p43,p44,p45,p46,p47,p48,p49,p50,p51,p52,p53", "9007199254740993"), []string{"org:f:p0", "org:f:p53"}},
		"HugeMask":         {v2("o:f", "a,b", "340282366920938463463374607431768211457"), []string{"org:f:a"}},
		"InvalidMasks":     {v2("o:a,o:b,o:c,o:d,o:e", "x,y", "-1,1.5,1x, ,3"), []string{"org:e:x", "org:e:y"}},
		"UserFeatureFirst": {v2("u:beta,o:teams", "read", "0,1"), []string{"org:teams:read"}},
		"BothScopes":       {v2("ou:a,uo:b,x:c", "r", "1,1,1"), []string{"org:a:r", "org:b:r"}},
		"MalformedFea":     {v2("o:a,broken", "r", "1,1"), []string{}},
		"NoPer":            {v2("o:a", "-", "1"), []string{}},
		"NoFpm":            {v2("o:a", "r", "-"), []string{}},
		"NoFea":            {v2("-", "r", "1"), []string{}},
		"FewerMasks":       {v2("o:a,o:b", "r", "1"), []string{"org:a:r"}},
		"BitsBeyondPer":    {v2("o:a", "r", "255"), []string{"org:a:r"}},
		"Trimmed":          {v2(" o:a , o:b ", " r , w ", " 3 , 2 "), []string{"org:a:r", "org:a:w", "org:b:w"}},
		"Minted":           {iss.Mint(adminSession()), []string{"org:invoices:create", "org:invoices:read", "org:reports:read"}},
		"PrefixedRole": {iss.Mint(clerktest.Session{OrgID: "org_1", Claims: map[string]any{
			"o": map[string]any{"id": "org_1", "rol": "org:admin"}}}), []string{}},
		"NoOrgID": {iss.Mint(clerktest.Session{Claims: map[string]any{
			"o": map[string]any{"slg": "acme", "rol": "admin", "per": "r", "fpm": "1"}, "fea": "o:a"}}), nil},
		"V1":           {iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "basic_member", OrgPermissions: []string{"org:a:r"}}), []string{"org:a:r"}},
		"V1NoPerms":    {iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "admin", Claims: map[string]any{"org_permissions": nil}}), []string{}},
		"VString":      {iss.Mint(clerktest.Session{OrgID: "org_1", Claims: map[string]any{"v": "2"}}), nil},
		"V2Float":      {iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin", Claims: map[string]any{"v": 2.0}}), []string{}},
		"FeaturesOnly": {iss.Mint(clerktest.Session{OrgFeatures: []string{"sso"}, UserFeatures: []string{"beta"}, OrgPlans: []string{"pro"}, UserPlans: []string{"free", "x"}}), nil},
		"MalformedPla": {iss.Mint(clerktest.Session{Claims: map[string]any{"pla": "o:pro,free", "fea": "ou:both"}}), nil},
		"V1Features":   {iss.Mint(clerktest.Session{Version: 1, OrgFeatures: []string{"sso"}, UserPlans: []string{"free"}}), nil},
		"M2MJWT":       {iss.MintM2M(clerktest.Machine{}), nil},
		"M2MBySub":     {iss.MintClaims(map[string]any{"sub": "mch_1", "exp": iss.Now().Unix() + 60}), nil},
		"OAuthJWT":     {iss.MintOAuth(clerktest.Machine{}), nil},
		"OAuthAppTyp":  {iss.MintOAuth(clerktest.Machine{}, clerktest.WithHeader("typ", "application/at+jwt")), nil},
		"OpaqueM2M":    {iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"}), nil},
		"OpaqueOAuth":  {iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_1"}), nil},
		"OpaqueAPIKey": {iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"}), nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := a.VerifyToken(t.Context(), tc.tok)
			if err != nil {
				t.Fatalf("core rejected the test token: %v", err)
			}
			d, err := decodeToken(tc.tok)
			if err != nil {
				t.Fatalf("decodeToken: %v", err)
			}
			if d.tokenType != c.TokenType {
				t.Errorf("token type = %s, core says %s", d.tokenType, c.TokenType)
			}
			if d.opaque || c.TokenType != core.SessionToken {
				return
			}
			if d.version != c.Version {
				t.Errorf("version = %d, core says %d", d.version, c.Version)
			}
			var org orgInfo
			if d.org != nil {
				org = *d.org
			}
			if org != (orgInfo{ID: c.OrgID, Slug: c.OrgSlug, Role: c.OrgRole}) {
				t.Errorf("org = %+v, core says %q %q %q", org, c.OrgID, c.OrgSlug, c.OrgRole)
			}
			if !slices.Equal(d.permissions, c.OrgPermissions) || (d.permissions == nil) != (c.OrgPermissions == nil) {
				t.Errorf("permissions = %#v, core says %#v", d.permissions, c.OrgPermissions)
			}
			if tc.want != nil && !slices.Equal(d.permissions, tc.want) {
				t.Errorf("permissions = %q, behaviour.md §4.5 says %q", d.permissions, tc.want)
			}
			var feaOrg, feaUser, plaOrg, plaUser []string
			if d.features != nil {
				feaOrg, feaUser = d.features.Org, d.features.User
			}
			if d.plans != nil {
				plaOrg, plaUser = d.plans.Org, d.plans.User
			}
			for _, p := range []struct {
				name      string
				got, core []string
			}{{"org features", feaOrg, c.OrgFeatures}, {"user features", feaUser, c.UserFeatures},
				{"org plans", plaOrg, c.OrgPlans}, {"user plans", plaUser, c.UserPlans}} {
				if !slices.Equal(p.got, p.core) {
					t.Errorf("%s = %q, core says %q", p.name, p.got, p.core)
				}
			}
			if !d.timeOf("exp").t.Equal(c.Expiry) || d.azp != c.AuthorizedParty || d.iss != c.Issuer || d.sub != c.Subject {
				t.Errorf("exp/azp/iss/sub differ from core")
			}
		})
	}
}

func TestRelativeTime(t *testing.T) {
	now := clerktest.NewClock(time.Time{}).Now()
	for _, tc := range []struct {
		name string
		d    time.Duration
		want string
	}{
		{"exp", 48 * time.Second, "expires in 48s"},
		{"exp", -192 * time.Second, "expired 3m12s ago"},
		{"exp", 0, "expired 0s ago"},
		{"iat", -2*time.Hour - 5*time.Minute, "2h5m ago"},
		{"nbf", 76 * time.Hour, "in 3d4h"},
		{"exp", 250 * 365 * 24 * time.Hour, "expires in about 249 years"},
		{"exp", -250 * 365 * 24 * time.Hour, "expired about 250 years ago"},
		{"iat", -250 * 365 * 24 * time.Hour, "about 250 years ago"},
	} {
		if got := relativeTime(tc.name, now.Add(tc.d), now); got != tc.want {
			t.Errorf("relativeTime(%s, %s) = %q, want %q", tc.name, tc.d, got, tc.want)
		}
	}
}
