package bench

import (
	"net/http"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

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
			r := bearer("")
			r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: e.UserToken})
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
	names := [3]string{"clerkguard-chi", "clerk-sdk-go", "auth0"}
	var hs [3]http.Handler
	for i, name := range names {
		for _, c := range contestants {
			if c.name == name {
				hs[i] = build(t, e, c, "")
			}
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i, h := range hs {
				if rec := serve(h, tc.req()); rec.Code != tc.want[i] {
					t.Errorf("%s: status %d, want %d", names[i], rec.Code, tc.want[i])
				}
			}
		})
	}
}
