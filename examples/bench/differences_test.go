package bench

import (
	"net/http"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// peerNames are the contestants compared by the difference tests, in the
// order of their want arrays.
var peerNames = [3]string{"clerkguard-chi", "clerk-sdk-go", "auth0"}

// TestPeerDifferences pins what RESULTS.md says each contestant does and does
// not check, on requests where they disagree. The statuses are observations
// of the peers' released versions, not requirements on them.
func TestPeerDifferences(t *testing.T) {
	e := newEnv(t)
	user := clerktest.Session{UserID: "user_bench"}
	cases := []struct {
		name string
		req  func() *http.Request
		// want is the status of clerkguard-chi, clerk-sdk-go and auth0.
		want [3]int
	}{
		{"SessionCookieOnly", func() *http.Request {
			// A browser's cookies: __session with __client_uat (behaviour.md §10.1).
			r := bearer("")
			r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: e.UserToken})
			r.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"})
			return r
		}, [3]int{200, 401, 400}},
		{"LowercaseBearerScheme", func() *http.Request {
			r := bearer("")
			r.Header.Set("Authorization", "bearer "+e.UserToken)
			return r
		}, [3]int{200, 401, 200}},
		{"PendingSession", func() *http.Request {
			s := user
			s.Status = "pending"
			return bearer(e.Mint(s))
		}, [3]int{401, 200, 200}},
		{"NoAuthorizedParty", func() *http.Request {
			s := user
			s.Claims = map[string]any{"azp": nil}
			return bearer(e.Mint(s))
		}, [3]int{401, 200, 401}},
		{"AnotherClerkIssuerSameKey", func() *http.Request {
			s := user
			s.Claims = map[string]any{"iss": "https://clerk.other.example"}
			return bearer(e.Mint(s))
		}, [3]int{401, 200, 401}},
		{"MachineSubjectOnSessionRoute", func() *http.Request {
			return bearer(e.Mint(clerktest.Session{UserID: "mch_bench"}))
		}, [3]int{401, 200, 200}},
	}
	var hs [3]http.Handler
	for i, name := range peerNames {
		hs[i] = build(t, e, byName(t, name), "")
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i, h := range hs {
				if rec := serve(h, tc.req()); rec.Code != tc.want[i] {
					t.Errorf("%s: status %d, want %d", peerNames[i], rec.Code, tc.want[i])
				}
			}
		})
	}
}

// TestPeerPermissionDifferences pins where the permission checks disagree.
// auth0's column is this package's own decoder (ClerkClaims), since
// go-jwt-middleware has none.
func TestPeerPermissionDifferences(t *testing.T) {
	e := newEnv(t)
	org := func(fea, per, fpm string) string {
		return e.Mint(clerktest.Session{UserID: "user_bench", OrgID: "org_bench", Claims: map[string]any{
			"fea": fea, "o": map[string]any{"id": "org_bench", "rol": "admin", "per": per, "fpm": fpm}}})
	}
	cases := []struct {
		name, perm, token string
		// want is the status of clerkguard-chi, clerk-sdk-go and auth0.
		want [3]int
	}{
		// behaviour.md §5.2: "invoices:create" and "org:invoices:create" are the same
		// permission; clerk-sdk-go's HasPermission compares strings as given.
		{"PermissionWithoutOrgPrefix", "invoices:create", e.OrgToken, [3]int{200, 403, 200}},
		// behaviour.md §4.5: mask bits beyond o.per are ignored; clerk-sdk-go drops the
		// whole feature when its mask is wider than o.per.
		{"MaskWiderThanPer", Permission, org("o:invoices", "create", "3"), [3]int{200, 403, 200}},
		// behaviour.md §4.4: only the scopes o, ou and uo are org scopes;
		// clerk-sdk-go takes any scope containing an "o".
		{"UnknownScopeWithO", Permission, org("xo:invoices", "create", "1"), [3]int{403, 200, 403}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i, name := range peerNames {
				if rec := serve(build(t, e, byName(t, name), tc.perm), bearer(tc.token)); rec.Code != tc.want[i] {
					t.Errorf("%s: status %d, want %d", name, rec.Code, tc.want[i])
				}
			}
		})
	}
}
