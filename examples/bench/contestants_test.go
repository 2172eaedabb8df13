package bench

import (
	"net/http"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

// TestContestantsAuthenticate proves every benchmarked configuration works:
// a valid token passes (twice, so cached paths are covered) and every broken
// token is refused, before and after a valid token warmed the caches.
func TestContestantsAuthenticate(t *testing.T) {
	e := newEnv(t)
	other, err := clerktest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	user := clerktest.Session{UserID: "user_bench"}
	with := func(edit func(*clerktest.Session)) clerktest.Session {
		s := user
		edit(&s)
		return s
	}
	bad := []struct {
		name  string
		token string
	}{
		{"Expired", e.Mint(with(func(s *clerktest.Session) {
			s.IssuedAt = time.Now().Add(-time.Hour)
			s.TTL = time.Hour - time.Minute
		}))},
		{"TamperedSignature", e.Mint(user, clerktest.TamperedSignature())},
		{"ForeignKeySameKid", e.Mint(user, clerktest.SignedBy(other))},
		{"WrongIssuer", e.Mint(with(func(s *clerktest.Session) {
			s.Claims = map[string]any{"iss": "https://evil.example"}
		}))},
		{"WrongAuthorizedParty", e.Mint(with(func(s *clerktest.Session) {
			s.AuthorizedParty = "https://evil.example"
		}))},
		{"AlgNone", e.Mint(user, clerktest.WithAlg("none"))},
		{"NotYetValid", e.Mint(with(func(s *clerktest.Session) {
			s.IssuedAt = time.Now().Add(time.Hour)
		}))},
	}
	for _, c := range contestants {
		t.Run(c.name, func(t *testing.T) {
			h := build(t, e, c, "")
			for _, tc := range bad {
				if rec := serve(h, bearer(tc.token)); rec.Code != http.StatusUnauthorized {
					t.Errorf("%s (cold): status %d, want 401", tc.name, rec.Code)
				}
			}
			for i := range 2 {
				rec := serve(h, bearer(e.UserToken))
				if rec.Code != http.StatusOK || rec.Body.String() != "user_bench" {
					t.Fatalf("valid token, request %d: status %d body %q, want 200 user_bench", i+1, rec.Code, rec.Body)
				}
			}
			for _, tc := range bad {
				if rec := serve(h, bearer(tc.token)); rec.Code != http.StatusUnauthorized {
					t.Errorf("%s (warm): status %d, want 401", tc.name, rec.Code)
				}
			}
			if rec := serve(h, bearer("")); rec.Code != c.missing {
				t.Errorf("no token: status %d, want %d", rec.Code, c.missing)
			}
		})
	}
}

// TestContestantsPermission proves the Permission configurations decide on
// the v2 org claims: granted → 200, other permissions only → 403, no active
// organization → 403, broken token → 401.
func TestContestantsPermission(t *testing.T) {
	e := newEnv(t)
	readOnly := e.Mint(clerktest.Session{UserID: "user_bench", OrgID: "org_bench", OrgRole: "member",
		OrgPermissions: []string{"org:invoices:read", "org:reports:read"}})
	// Permission's feature after a user feature: fpm positions follow fea.
	userFeatureFirst := e.Mint(clerktest.Session{UserID: "user_bench", OrgID: "org_bench", OrgRole: "admin",
		UserFeatures: []string{"beta"}, OrgPermissions: []string{Permission}})
	for _, c := range contestants {
		t.Run(c.name, func(t *testing.T) {
			h := build(t, e, c, Permission)
			cases := []struct {
				name  string
				token string
				want  int
			}{
				{"Granted", e.OrgToken, http.StatusOK},
				{"GrantedAgain", e.OrgToken, http.StatusOK},
				{"UserFeatureFirst", userFeatureFirst, http.StatusOK},
				{"OtherPermissions", readOnly, http.StatusForbidden},
				{"NoActiveOrg", e.UserToken, http.StatusForbidden},
				{"Tampered", e.Mint(clerktest.Session{UserID: "user_bench", OrgID: "org_bench",
					OrgPermissions: []string{Permission}}, clerktest.TamperedSignature()), http.StatusUnauthorized},
			}
			for _, tc := range cases {
				if rec := serve(h, bearer(tc.token)); rec.Code != tc.want {
					t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.want)
				}
			}
		})
	}
}

// TestContestantsDoNotFetchWhenWarm: after one request has loaded the keys,
// no contestant calls the JWKS endpoint again, so the benchmarks time
// verification, not HTTP. For clerk-sdk-go this checks that its
// package-level JWK cache serves every later request.
func TestContestantsDoNotFetchWhenWarm(t *testing.T) {
	for _, c := range contestants {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			h := build(t, e, c, Permission)
			if rec := serve(h, bearer(e.OrgToken)); rec.Code != http.StatusOK {
				t.Fatalf("warm-up: status %d", rec.Code)
			}
			warm := e.Issuer.JWKSRequests()
			if warm == 0 {
				t.Fatal("the warm-up request fetched no keys from the Issuer: the contestant is not wired to it")
			}
			for range 50 {
				if rec := serve(h, bearer(e.OrgToken)); rec.Code != http.StatusOK {
					t.Fatalf("status %d", rec.Code)
				}
			}
			if n := e.Issuer.JWKSRequests() - warm; n != 0 {
				t.Fatalf("%d JWKS requests after the warm-up, want 0", n)
			}
		})
	}
}
