package core_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §12.6: a token goes to the instance of its iss, and only that
// instance's key set is fetched.
func TestRule12_MultiRoutes(t *testing.T) {
	ms := newMultiIssuers(t)
	a, b := instance(t, ms.a), instance(t, ms.b)
	m, err := core.NewMulti(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Issuers(), []string{ms.a.IssuerURL(), ms.b.IssuerURL()}; !slices.Equal(got, want) {
		t.Fatalf("Issuers() = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		name string
		iss  *clerktest.Issuer
	}{{"A", ms.a}, {"B", ms.b}, {"AAgainCached", ms.a}, {"BAgainCached", ms.b}} {
		t.Run(tc.name, func(t *testing.T) {
			beforeA, beforeB := ms.a.JWKSRequests(), ms.b.JWKSRequests()
			tok := tc.iss.Mint(clerktest.Session{UserID: "user_" + tc.name})
			for range 2 { // the second use is a cache hit
				c, err := authBearer(m, tok)
				if err != nil || c.Issuer != tc.iss.IssuerURL() || c.Subject != "user_"+tc.name {
					t.Fatalf("behaviour.md §12.6: claims %+v err %v", c, err)
				}
			}
			other := ms.b
			if tc.iss == ms.b {
				other = ms.a
			}
			if n := other.JWKSRequests() - map[bool]int64{true: beforeB, false: beforeA}[tc.iss == ms.a]; n != 0 {
				t.Errorf("behaviour.md §12.6: the other instance's JWKS was fetched %d times", n)
			}
		})
	}
	// VerifyToken and the cookie take the same route.
	if c, err := m.VerifyToken(t.Context(), ms.b.Mint(clerktest.Session{UserID: "user_v"})); err != nil || c.Issuer != ms.b.IssuerURL() {
		t.Errorf("VerifyToken: claims %v err %v", c, err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: ms.b.Mint(clerktest.Session{UserID: "user_c"})})
	r.AddCookie(&http.Cookie{Name: "__client_uat", Value: fmt.Sprint(ms.clock.Now().Unix() - 60)})
	if c, err := m.AuthenticateHTTP(r); err != nil || c.Subject != "user_c" {
		t.Errorf("cookie: claims %v err %v", c, err)
	}
}

// behaviour.md §12.6: a token whose iss belongs to no instance is refused
// with token-invalid-issuer, and no key set is fetched.
func TestRule12_MultiUnknownIssuer(t *testing.T) {
	ms := newMultiIssuers(t)
	m, err := core.NewMulti(instance(t, ms.a), instance(t, ms.b))
	if err != nil {
		t.Fatal(err)
	}
	beforeA, beforeB, beforeC := ms.a.JWKSRequests(), ms.b.JWKSRequests(), ms.c.JWKSRequests()
	for _, tc := range []struct {
		name string
		tok  string
	}{
		{"Stranger", ms.c.Mint(clerktest.Session{UserID: "user_c"})},
		{"NoIss", ms.a.Mint(clerktest.Session{UserID: "user_1"}, clerktest.WithPayload(func(c map[string]any) { delete(c, "iss") }))},
		{"IssNotString", ms.a.Mint(clerktest.Session{UserID: "user_1"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = 7 }))},
		{"IssCaseDiffers", ms.a.Mint(clerktest.Session{UserID: "user_1"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = "https://CLERK.a.example" }))},
		{"IssTrailingSlash", ms.a.Mint(clerktest.Session{UserID: "user_1"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = "https://clerk.a.example/" }))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := authBearer(m, tc.tok)
			if core.ReasonOf(err) != core.ReasonTokenInvalidIssuer {
				t.Fatalf("behaviour.md §12.6: err = %v, want token-invalid-issuer", err)
			}
		})
	}
	if ms.a.JWKSRequests() != beforeA || ms.b.JWKSRequests() != beforeB || ms.c.JWKSRequests() != beforeC {
		t.Errorf("behaviour.md §12.6: unknown issuers caused JWKS requests (A %d, B %d, C %d)",
			ms.a.JWKSRequests()-beforeA, ms.b.JWKSRequests()-beforeB, ms.c.JWKSRequests()-beforeC)
	}
}

// behaviour.md §12.6: a token of instance A never verifies with B's keys,
// though both sign with the kid ins_test_1, whether or not B's token is
// already cached.
func TestRule12_MultiNoCrossInstance(t *testing.T) {
	ms := newMultiIssuers(t)
	if ms.a.KID() != ms.b.KID() {
		t.Fatalf("the instances must share a kid, got %q and %q", ms.a.KID(), ms.b.KID())
	}
	m, err := core.NewMulti(instance(t, ms.a), instance(t, ms.b))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := authBearer(m, ms.b.Mint(clerktest.Session{UserID: "user_b"})); err != nil {
		t.Fatal(err) // B's key set is loaded and B's cache is warm
	}
	for _, tc := range []struct {
		name     string
		signer   *clerktest.Issuer
		claimIss string
	}{
		{"IssASignedByB", ms.b, ms.a.IssuerURL()},
		{"IssBSignedByA", ms.a, ms.b.IssuerURL()},
		{"IssBSignedByStranger", ms.c, ms.b.IssuerURL()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := tc.signer.Mint(clerktest.Session{UserID: "user_x"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = tc.claimIss }))
			if _, err := authBearer(m, tok); core.ReasonOf(err) != core.ReasonTokenInvalidSignature {
				t.Fatalf("behaviour.md §12.6: err = %v, want token-invalid-signature", err)
			}
		})
	}
}

// behaviour.md §12.5: NewMulti validates its instances.
func TestRule12_NewMultiConfig(t *testing.T) {
	ms := newMultiIssuers(t)
	a, b := instance(t, ms.a), instance(t, ms.b)
	noIss, err := core.New(core.WithJWKSURL(ms.a.JWKSURL()), core.WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	sameAsA := instance(t, ms.b, core.WithIssuer(ms.a.IssuerURL()))
	nested, err := core.NewMulti(b)
	if err != nil {
		t.Fatal(err)
	}
	many := func(n int) []*core.Authorizer {
		out := make([]*core.Authorizer, n)
		for i := range out {
			out[i] = instance(t, ms.a, core.WithIssuer(fmt.Sprintf("https://i%d.example", i)))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		in   []*core.Authorizer
		ok   bool
	}{
		{"None", nil, false},
		{"One", []*core.Authorizer{a}, true},
		{"Nil", []*core.Authorizer{a, nil}, false},
		{"Twice", []*core.Authorizer{a, b, a}, false},
		{"NoIssuer", []*core.Authorizer{a, noIss}, false},
		{"SharedIssuer", []*core.Authorizer{a, sameAsA}, false},
		{"Nested", []*core.Authorizer{a, nested}, false},
		{"MaxInstances", many(core.MaxInstances), true},
		{"MaxInstancesPlusOne", many(core.MaxInstances + 1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := core.NewMulti(tc.in...)
			if tc.ok != (err == nil) || (err != nil && !errors.Is(err, core.ErrConfig)) || (err == nil) != (m != nil) {
				t.Fatalf("NewMulti: %v, %v; want ok=%v or ErrConfig", m, err, tc.ok)
			}
		})
	}
}

// behaviour.md §12.6: machine tokens through NewMulti: a JWT M2M token goes
// to the instance of its iss; an opaque one (no issuer) to the first
// instance's Backend API only.
func TestRule12_MultiMachineTokens(t *testing.T) {
	ms := newMultiIssuers(t)
	a := instance(t, ms.a, ms.a.AnyTokenOptions()...)
	b := instance(t, ms.b, ms.b.AnyTokenOptions()...)
	m, err := core.NewMulti(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := m.VerifyToken(t.Context(), ms.b.MintM2M(clerktest.Machine{})); err != nil || c.Issuer != ms.b.IssuerURL() {
		t.Errorf("behaviour.md §12.6: B's M2M JWT: claims %v err %v", c, err)
	}
	opaqueA := ms.a.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_a"})
	opaqueB := ms.b.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_b"})
	beforeA, beforeB := ms.a.BackendCalls(), ms.b.BackendCalls()
	if c, err := m.VerifyToken(t.Context(), opaqueA); err != nil || c.Subject != "mch_a" {
		t.Errorf("behaviour.md §12.6: the first instance's opaque token: claims %v err %v", c, err)
	}
	if _, err := m.VerifyToken(t.Context(), opaqueB); core.ReasonOf(err) != core.ReasonTokenInvalid {
		t.Errorf("behaviour.md §12.6: the second instance's opaque token asked of the first instance: err %v, want token-invalid (404)", err)
	}
	if ms.b.BackendCalls() != beforeB || ms.a.BackendCalls()-beforeA != 2 {
		t.Errorf("behaviour.md §12.6: Backend API calls A %d, B %d; want 2 and 0", ms.a.BackendCalls()-beforeA, ms.b.BackendCalls()-beforeB)
	}
}
