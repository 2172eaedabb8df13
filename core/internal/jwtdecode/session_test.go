package jwtdecode

import (
	"reflect"
	"testing"
	"time"
)

// decodeSession decodes a payload with the general decoder and returns its
// session view.
func decodeSession(t *testing.T, payload string) Session {
	t.Helper()
	var p Payload
	if err := UnmarshalExact([]byte(payload), &p, PayloadSchema); err != nil {
		t.Fatalf("%s: %v", payload, err)
	}
	return p.Session()
}

// behaviour.md §4.2–4.5: the session view of v1 and v2 payloads.
func TestSessionView(t *testing.T) {
	for _, tc := range []struct {
		name, payload string
		want          Session
	}{
		{"V2NoOrg", `{"v":2,"sid":"sess_1","sts":"active","azp":"https://app.example","iss":"https://clerk.example","exp":20,"nbf":5,"iat":10}`,
			Session{SessionID: "sess_1", SessionStatus: "active", AuthorizedParty: "https://app.example", Issuer: "https://clerk.example",
				Expiry: time.Unix(20, 0), NotBefore: time.Unix(5, 0), IssuedAt: time.Unix(10, 0), Version: 2}},
		{"V2Org", `{"v":2,"fea":"o:dash,u:beta","pla":"u:free","o":{"id":"org_1","slg":"acme","rol":"admin","per":"read,write","fpm":"3,1"}}`,
			Session{Version: 2, OrgID: "org_1", OrgSlug: "acme", OrgRole: "org:admin", OrgPermissions: []string{"org:dash:read", "org:dash:write"},
				Features: Scoped{Org: []string{"dash"}, User: []string{"beta"}, Set: true}, Plans: Scoped{User: []string{"free"}, Set: true}}},
		{"V2OrgWithoutPer", `{"v":2,"fea":"o:dash","o":{"id":"org_1","rol":"org:admin","fpm":"1"}}`,
			Session{Version: 2, OrgID: "org_1", OrgRole: "org:admin", OrgPermissions: []string{}, Features: Scoped{Org: []string{"dash"}, Set: true}}},
		{"V2EmptyOrgID", `{"v":2,"o":{"id":"","rol":"admin"}}`, Session{Version: 2}},
		{"V2IgnoresV1Claims", `{"v":2,"org_id":"org_1","org_permissions":["org:a:b"]}`, Session{Version: 2}},
		{"V1Org", `{"org_id":"org_1","org_slug":"acme","org_role":"admin","org_permissions":["org:a:b"]}`,
			Session{Version: 1, OrgID: "org_1", OrgSlug: "acme", OrgRole: "admin", OrgPermissions: []string{"org:a:b"}}},
		{"V1OrgWithoutPermissions", `{"org_id":"org_1"}`, Session{Version: 1, OrgID: "org_1", OrgPermissions: []string{}}},
		{"V1IgnoresO", `{"o":{"id":"org_1"}}`, Session{Version: 1}},
		{"VersionString", `{"v":"2","o":{"id":"org_1"}}`, Session{Version: 1}},
		{"MalformedFea", `{"v":2,"fea":"o:dash,broken"}`, Session{Version: 2, Features: Scoped{Set: true, Malformed: true}}},
		{"Actor", `{"act":{"sub":"user_admin","type":"impersonation"},"fva":[1,-1]}`,
			Session{Version: 1, Actor: &Actor{Subject: "user_admin", Type: "impersonation"}, FactorVerificationAge: &[2]int{1, -1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := decodeSession(t, tc.payload); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("%s:\n got  %+v\n want %+v", tc.payload, got, tc.want)
			}
		})
	}
}

// behaviour.md §6.4: the scopes of a machine JWT, in the order of the claims
// that carry them.
func TestMachineScopes(t *testing.T) {
	for _, tc := range []struct {
		name, payload string
		want          []string
	}{
		{"ScpArray", `{"scp":["a","b"],"scopes":"c","scope":"d"}`, []string{"a", "b"}},
		{"ScpString", `{"scp":"a b"}`, []string{"a", "b"}},
		{"ScopesWhenScpEmpty", `{"scp":[],"scopes":["c"]}`, []string{"c"}},
		{"ScopeLast", `{"scp":7,"scope":" d  e "}`, []string{"d", "e"}},
		{"None", `{}`, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Payload
			if err := UnmarshalExact([]byte(tc.payload), &p, PayloadSchema); err != nil {
				t.Fatal(err)
			}
			if got := p.MachineScopes(); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("MachineScopes() = %q, want %q", got, tc.want)
			}
		})
	}
}
