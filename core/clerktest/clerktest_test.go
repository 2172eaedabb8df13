package clerktest_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/rand"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func payload(t *testing.T, tok string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMintShapes(t *testing.T) {
	iss := clerktest.Start(t)
	v2 := payload(t, iss.Mint(clerktest.Session{OrgID: "org_1", OrgSlug: "acme", OrgRole: "org:admin", OrgPermissions: []string{"org:a:read"}}))
	o := v2["o"].(map[string]any)
	if v2["v"] != float64(2) || o["rol"] != "admin" || o["per"] != "read" || o["fpm"] != "1" || v2["fea"] != "o:a" {
		t.Fatalf("v2 payload %v", v2)
	}
	v1 := payload(t, iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:a:read"}}))
	if _, ok := v1["v"]; ok || v1["org_role"] != "admin" || v1["org_id"] != "org_1" {
		t.Fatalf("v1 payload %v", v1)
	}
	m2m := payload(t, iss.MintM2M(clerktest.Machine{Scopes: []string{"x"}}))
	if _, ok := m2m["nbf"]; ok || !strings.HasPrefix(m2m["sub"].(string), "mch_") {
		t.Fatalf("M2M payload %v", m2m)
	}
}

// EncodePermissions round-trips through core for random permission lists.
func TestEncodePermissionsRoundTrip(t *testing.T) {
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithJWTKey(iss.PublicKeyPEM()), core.WithTokenCache(0))...)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	feats := []string{"invoices", "teams", "reports", "billing"}
	names := []string{"read", "create", "update", "delete", "manage"}
	for i := 0; i < 100; i++ {
		var perms []string
		for _, f := range feats {
			for _, n := range names {
				if rng.Intn(3) == 0 {
					perms = append(perms, "org:"+f+":"+n)
				}
			}
		}
		c, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{OrgID: "org_1", OrgPermissions: perms, UserFeatures: []string{"beta"}}))
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(c.OrgPermissions)
		want := slices.Clone(perms)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("round trip %d: got %v, want %v", i, got, want)
		}
	}
}

func TestIssuerControls(t *testing.T) {
	iss := clerktest.Start(t)
	get := func(path string, auth string) int {
		req, _ := http.NewRequest(http.MethodGet, iss.URL()+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if get("/.well-known/jwks.json", "") != 200 || get("/v1/jwks", "") != 401 || get("/v1/jwks", "Bearer "+iss.SecretKey()) != 200 {
		t.Fatal("JWKS endpoints")
	}
	iss.SetJWKSDown(true)
	if get("/.well-known/jwks.json", "") != 503 {
		t.Fatal("SetJWKSDown")
	}
	iss.SetJWKSDown(false)
	if n := iss.JWKSRequests(); n != 4 {
		t.Fatalf("JWKSRequests = %d, want 4", n)
	}
	old := iss.KID()
	if err := iss.Rotate(true); err != nil || iss.KID() == old || !strings.Contains(string(iss.JWKS()), old) {
		t.Fatalf("Rotate(true): %v", err)
	}
	if err := iss.Rotate(false); err != nil || strings.Contains(string(iss.JWKS()), old) {
		t.Fatalf("Rotate(false): %v", err)
	}
	if got, err := core.IssuerFromPublishableKey(iss.PublishableKey()); err != nil || got != iss.IssuerURL() {
		t.Fatalf("PublishableKey derives %q, %v", got, err)
	}
	clk := clerktest.NewClock(time.Unix(100, 0))
	clk.Advance(time.Second)
	clk.Set(clk.Now().Add(time.Second))
	if clk.Now().Unix() != 102 {
		t.Fatal("Clock")
	}
}

// A negative Session.TTL mints a token expired beyond core.DefaultClockSkew,
// whatever the sub-second part of the clock: even -1ns is refused.
func TestNegativeTTLExpiredBeyondSkew(t *testing.T) {
	for _, start := range []time.Time{time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 12, 0, 0, 999_999_999, time.UTC)} {
		clock := clerktest.NewClock(start)
		iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
		a, err := core.New(iss.AuthorizerOptions()...)
		if err != nil {
			t.Fatal(err)
		}
		for _, ttl := range []time.Duration{-time.Nanosecond, -time.Second, -time.Hour} {
			if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{TTL: ttl})); !errors.Is(err, core.ErrTokenExpired) {
				t.Errorf("Session.TTL %v at %v must mint a token expired beyond the default skew (token-expired under the default 5 s skew); got %v", ttl, start, err)
			}
		}
	}
}

func TestIssuerAuthorizer(t *testing.T) {
	iss := clerktest.Start(t)
	a := iss.Authorizer(t, core.WithAcceptsToken(core.SessionToken, core.M2MToken))
	c, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{UserID: "user_1"}))
	if err != nil || c.Subject != "user_1" {
		t.Fatalf("the Authorizer must trust the issuer: %v, %v", c, err)
	}
	if _, err := a.VerifyToken(t.Context(), iss.MintM2M(clerktest.Machine{Subject: "mch_1"})); err != nil {
		t.Fatalf("the options given must apply (WithAcceptsToken): %v", err)
	}
}

func TestNewRequest(t *testing.T) {
	if r := clerktest.NewRequest("POST", "/x", "tok"); r.Method != "POST" || r.URL.Path != "/x" || r.Header.Get("Authorization") != "Bearer tok" {
		t.Fatalf("NewRequest with a token: %s %s %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
	}
	if r := clerktest.NewRequest("GET", "/", ""); len(r.Header.Values("Authorization")) != 0 {
		t.Fatal("NewRequest without a token must send no Authorization header")
	}
}
