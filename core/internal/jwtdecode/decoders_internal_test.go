package jwtdecode

import (
	"slices"
	"strings"
	"testing"
)

// The claim decoders VerifyToken and the clerkguard inspector use
// (behaviour.md §4.2–4.5, §6.2).

// OpaqueType recognises the prefixes only (behaviour.md §6.2).
func TestOpaqueTokenTypeInternal(t *testing.T) {
	for _, tc := range []struct {
		tok  string
		want string
		ok   bool
	}{
		{"mt_x", M2MToken, true},
		{"m2m_x", M2MToken, true},
		{"oat_x", OAuthToken, true},
		{"ak_x", APIKey, true},
		{"mt", "", false},
		{"Mt_x", "", false},
		{"xmt_x", "", false},
		{"eyJhbGciOiJSUzI1NiJ9.e30.e30", "", false},
		{"", "", false},
	} {
		t.Run(tc.tok, func(t *testing.T) {
			got, ok := OpaqueType(tc.tok)
			if got != tc.want || ok != tc.ok {
				t.Errorf("OpaqueType(%q) = %q, %v; want %q, %v", tc.tok, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// behaviour.md §4.4: DecodeScopedList.
func TestDecodeScopedListInternal(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		org, user []string
		ok        bool
	}{
		{"Empty", "", nil, nil, true},
		{"Blank", "  ", nil, nil, true},
		{"Scopes", "o:sso,u:beta,ou:both,uo:also", []string{"sso", "both", "also"}, []string{"beta", "both", "also"}, true},
		{"UnknownScopeIgnored", "x:gone,org:gone,o:kept", []string{"kept"}, nil, true},
		{"Trimmed", " o:a , u:b ", []string{"a"}, []string{"b"}, true},
		{"NameKeepsColons", "o:a:b", []string{"a:b"}, nil, true},
		{"NoColonIsMalformed", "o:a,broken,u:b", nil, nil, false},
		{"EmptyElementIsMalformed", "o:a,,u:b", nil, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, ok := DecodeScopedList(tc.in)
			org, user := l.Org, l.User
			if !slices.Equal(org, tc.org) || !slices.Equal(user, tc.user) || ok != tc.ok {
				t.Errorf("DecodeScopedList(%q) = %q, %q, %v; want %q, %q, %v", tc.in, org, user, ok, tc.org, tc.user, tc.ok)
			}
		})
	}
}

// behaviour.md §4.5: DecodeOrgPermissions, including both worked examples.
func TestDecodeOrgPermissionsInternal(t *testing.T) {
	for _, tc := range []struct {
		name          string
		fea, per, fpm string
		want          []string
	}{
		{"ClerkDocs", "o:dashboard,o:teams", "manage,read", "3,2",
			[]string{"org:dashboard:manage", "org:dashboard:read", "org:teams:read"}},
		{"FiveNames", "o:repositories,o:projects", "read,create,update,delete,revoke", "7,21",
			[]string{"org:repositories:read", "org:repositories:create", "org:repositories:update",
				"org:projects:read", "org:projects:update", "org:projects:revoke"}},
		{"MaskBeyond53Bits", "o:f", strings.Repeat("p,", 53) + "last", "9007199254740993", []string{"org:f:p", "org:f:last"}},
		{"InvalidMasksSkipOnlyTheirFeature", "o:a,o:b,o:c,o:d,o:e", "x,y", "-1,1.5,1x, ,3", []string{"org:e:x", "org:e:y"}},
		{"MaskPositionCountsUserFeatures", "u:beta,o:teams", "read", "1,1", []string{"org:teams:read"}},
		{"BothScopes", "ou:a,uo:b,x:c", "r", "1,1,1", []string{"org:a:r", "org:b:r"}},
		{"MalformedFea", "o:a,broken", "r", "1,1", []string{}},
		{"NoPer", "o:a", "", "1", []string{}},
		{"NoFpm", "o:a", "r", "", []string{}},
		{"NoFea", "", "r", "1", []string{}},
		{"FewerMasks", "o:a,o:b", "r", "1", []string{"org:a:r"}},
		{"ExtraMasks", "o:a", "r", "1,1,1", []string{"org:a:r"}},
		{"BitsBeyondPer", "o:a", "r", "255", []string{"org:a:r"}},
		{"Trimmed", " o:a , o:b ", " r , w ", " 3 , 2 ", []string{"org:a:r", "org:a:w", "org:b:w"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DecodeOrgPermissions(tc.fea, tc.per, tc.fpm)
			if got == nil {
				t.Fatal("DecodeOrgPermissions returned nil; behaviour.md §4.5 wants an empty list")
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("DecodeOrgPermissions(%q, %q, %q) = %q, behaviour.md §4.5 says %q", tc.fea, tc.per, tc.fpm, got, tc.want)
			}
		})
	}
}

// behaviour.md §4.2, 5.2, 5.3: exactly one org: prefix.
func TestNormalizeOrgNameInternal(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"admin", "org:admin"},
		{"org:admin", "org:admin"},
		{"org:org:admin", "org:admin"},
		{"invoices:create", "org:invoices:create"},
		{"org:", ""},
		{"", ""},
		{"ORG:admin", "org:ORG:admin"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := NormalizeOrgName(tc.in); got != tc.want {
				t.Errorf("NormalizeOrgName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
