package core_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// tenantClaims is a JWT template's custom claims.
type tenantClaims struct {
	Tenant string   `json:"tenant"`
	Tier   int      `json:"tier"`
	Groups []string `json:"groups"`
}

func tenantToken(e *ruleEnv, tier any) string {
	return e.iss.Mint(clerktest.Session{UserID: "user_t", Claims: map[string]any{
		"tenant": "acme", "tier": tier, "groups": []string{"ops", "billing"}}})
}

// verifiedTenant verifies a token whose custom claims carry tier.
func verifiedTenant(t *testing.T, tier any) *core.Claims {
	t.Helper()
	e := newRuleEnv(t)
	c, err := e.authorizer(t).VerifyToken(t.Context(), tenantToken(e, tier))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// behaviour.md §3.11: custom claims stay reachable, here typed, and a cached
// token is decoded once per type, not once per request.
func TestRule3_11_CustomClaimsTyped(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	tok := tenantToken(e, 3)
	c1, err := a.VerifyToken(t.Context(), tok)
	if err != nil {
		t.Fatal(err)
	}
	v, err := core.CustomClaims[tenantClaims](c1)
	if err != nil || v.Tenant != "acme" || v.Tier != 3 || len(v.Groups) != 2 || v.Groups[1] != "billing" {
		t.Fatalf("behaviour.md §3.11: CustomClaims = %+v, %v", v, err)
	}
	c2, err := a.VerifyToken(t.Context(), tok)
	if err != nil || c2 != c1 {
		t.Fatalf("the cached token must give the same *Claims (%p, %p, %v)", c1, c2, err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := core.CustomClaims[tenantClaims](c2); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("CustomClaims on a cached token allocates %.0f times per call, want 0 (decoded once, reused)", allocs)
	}
	// Another type on the same claims is decoded separately.
	type tierOnly struct {
		Tier int `json:"tier"`
	}
	if w, err := core.CustomClaims[tierOnly](c2); err != nil || w.Tier != 3 {
		t.Fatalf("second type: %+v, %v", w, err)
	}
	// Maps work too.
	if m, err := core.CustomClaims[map[string]any](c2); err != nil || m["tenant"] != "acme" {
		t.Fatalf("map type: %v, %v", m, err)
	}
}

func TestCustomClaimsErrors(t *testing.T) {
	c := verifiedTenant(t, "gold")
	_, err1 := core.CustomClaims[tenantClaims](c)
	_, err2 := core.CustomClaims[tenantClaims](c)
	if err1 == nil || err1 != err2 {
		t.Fatalf("a tier of the wrong type must fail, and the failure be remembered: %v, %v", err1, err2)
	}
	if _, err := core.CustomClaims[tenantClaims](nil); !errors.Is(err, core.ErrNoRawClaims) {
		t.Fatalf("nil claims: %v, want ErrNoRawClaims", err)
	}
	hand := &core.Claims{TokenType: core.SessionToken, Subject: "user_1"}
	if _, err := core.CustomClaims[tenantClaims](hand); !errors.Is(err, core.ErrNoRawClaims) {
		t.Fatalf("hand-built claims: %v, want ErrNoRawClaims", err)
	}
	if err := hand.Decode(&tenantClaims{}); !errors.Is(err, core.ErrNoRawClaims) {
		t.Fatalf("Decode of hand-built claims: %v, want ErrNoRawClaims", err)
	}
}

// The cache is shared: concurrent first calls on the same Claims all see the
// same decoded value (run with -race).
func TestCustomClaimsConcurrent(t *testing.T) {
	c := verifiedTenant(t, 7)
	var wg sync.WaitGroup
	results := make([]tenantClaims, 64)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := core.CustomClaims[tenantClaims](c)
			if err != nil {
				t.Error(err)
			}
			results[i] = v
		}()
	}
	wg.Wait()
	for i, v := range results {
		if v.Tier != 7 || &v.Groups[0] != &results[0].Groups[0] {
			t.Fatalf("goroutine %d saw %+v: every caller must share the one decoded value", i, v)
		}
	}
}

// behaviour.md §7.2: a guard from a typed predicate.
func TestRule7_2_RequireClaims(t *testing.T) {
	gold, bad := verifiedTenant(t, 3), verifiedTenant(t, "x")
	tierAtLeast := func(n int) core.Guard {
		return core.RequireClaims(func(c tenantClaims) bool { return c.Tier >= n })
	}
	cases := []struct {
		name   string
		g      core.Guard
		res    *core.Result
		status int
	}{
		{"PredicateTrueAtBoundary", tierAtLeast(3), &core.Result{Claims: gold}, 0},
		{"PredicateFalseJustAbove", tierAtLeast(4), &core.Result{Claims: gold}, http.StatusForbidden},
		{"UndecodableForbidden", tierAtLeast(0), &core.Result{Claims: bad}, http.StatusForbidden},
		{"NilPredicateForbidden", core.RequireClaims[tenantClaims](nil), &core.Result{Claims: gold}, http.StatusForbidden},
		{"SignedOut401", tierAtLeast(0), &core.Result{Err: core.ErrSessionTokenMissing}, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		err := tc.g.Evaluate(tc.res)
		got := 0
		if err != nil {
			got = core.ProblemFor(err).Status
		}
		if got != tc.status || (got == http.StatusForbidden && !errors.Is(err, core.ErrForbidden)) {
			t.Errorf("behaviour.md §7.2: %s: %v (status %d), want status %d (0: pass)", tc.name, err, got, tc.status)
		}
	}
	if n := tierAtLeast(1).Name(); n != "RequireClaims(core_test.tenantClaims)" {
		t.Fatalf("Name = %q", n)
	}
}

// BenchmarkCustomClaimsCached is a cache hit followed by reading the typed
// custom claims: the decode happens once, so it costs what
// BenchmarkAuthenticateCached costs plus a map lookup, with no allocation
// beyond the cache hit's.
//
//	go test -run '^$' -bench 'CustomClaims|AuthenticateCached$' -benchmem ./core
func BenchmarkCustomClaimsCached(b *testing.B) {
	benchCustomClaims(b, func(c *core.Claims) (tenantClaims, error) { return core.CustomClaims[tenantClaims](c) })
}

// BenchmarkCustomClaimsDecodeEachTime is what CustomClaims saves: the same
// cache hit, decoding the payload on every request with Claims.Decode.
func BenchmarkCustomClaimsDecodeEachTime(b *testing.B) {
	benchCustomClaims(b, func(c *core.Claims) (v tenantClaims, err error) { return v, c.Decode(&v) })
}

func benchCustomClaims(b *testing.B, read func(*core.Claims) (tenantClaims, error)) {
	e := newRuleEnv(b)
	a := e.authorizer(b, core.WithLogger(quietLogger()))
	r := req("Bearer "+tenantToken(e, 3), "")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		c, err := a.Authenticate(ctx, r)
		if err != nil {
			b.Fatal(err)
		}
		if v, err := read(c); err != nil || v.Tier != 3 {
			b.Fatal(v, err)
		}
	}
}
