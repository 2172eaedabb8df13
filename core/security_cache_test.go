package core_test

import (
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// This file tests that the verified-token cache never outlives the key that
// verified a token, nor the key-set TTL (behaviour.md §2.7).

const testJWKSTTL = 10 * time.Minute

// keyBoundEnv is an issuer and an Authorizer on its JWKS URL with a 10 minute
// key-set TTL, sharing an injected clock, plus the observer's outcomes.
func keyBoundEnv(t *testing.T, opts ...core.Option) (*clerktest.Issuer, *clerktest.Clock, *core.Authorizer, *outcomes) {
	t.Helper()
	iss, clk := jwksEnv(t)
	obs := &outcomes{}
	a := jwksAuthorizer(t, iss, clk, append([]core.Option{core.WithObserver(obs.add),
		core.WithJWKSRefresh(core.JWKSRefresh{TTL: testJWKSTTL})}, opts...)...)
	return iss, clk, a, obs
}

// verifyTwice verifies tok twice and checks that the second use was a cache
// hit.
func verifyTwice(t *testing.T, a *core.Authorizer, obs *outcomes, tok string) {
	t.Helper()
	for i := range 2 {
		if _, err := a.VerifyToken(t.Context(), tok); err != nil {
			t.Fatalf("use %d of a valid token: %v", i, err)
		}
	}
	if !obs.last().CacheHit {
		t.Fatal("the second use of a valid token must be a cache hit")
	}
}

// untilRejected presents tok until it is rejected (the refresh that drops
// its key runs in the background), at most for two seconds of real time, and
// returns the number of requests it took and the error.
func untilRejected(t *testing.T, a *core.Authorizer, tok string) (int, error) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for n := 1; ; n++ {
		_, err := a.VerifyToken(t.Context(), tok)
		if err != nil || time.Now().After(deadline) {
			return n, err
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// behaviour.md §2.7: after the issuer's key is rotated out and the key set
// refreshed, a token that key signed is rejected even though it was cached
// and its exp is years away; a token of the new key passes.
func TestCachedTokenRejectedOnceItsKeyLeavesTheJWKS(t *testing.T) {
	for name, ttl := range map[string]time.Duration{"OneDayToken": 24 * time.Hour, "TenYearToken": 10 * 365 * 24 * time.Hour} {
		t.Run(name+"/AfterTTL", func(t *testing.T) {
			iss, clk, a, obs := keyBoundEnv(t)
			old := iss.Mint(clerktest.Session{TTL: ttl})
			verifyTwice(t, a, obs, old)
			if err := iss.Rotate(false); err != nil {
				t.Fatal(err)
			}
			clk.Advance(testJWKSTTL + time.Second)
			n, err := untilRejected(t, a, old)
			if core.ReasonOf(err) != core.ReasonJWKKidMismatch {
				t.Fatalf("a cached token whose key left the JWKS must be rejected jwk-kid-mismatch once the key set is refreshed after its TTL (behaviour.md §2.7); after %d requests: %v", n, err)
			}
			t.Logf("rejected at request %d after the TTL", n)
			for i := range 3 {
				if _, err := a.VerifyToken(t.Context(), old); core.ReasonOf(err) != core.ReasonJWKKidMismatch {
					t.Fatalf("use %d after rejection: a token of a removed key must stay rejected: %v", i, err)
				}
			}
			if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{TTL: ttl})); err != nil {
				t.Fatalf("a token of the new key must pass: %v", err)
			}
			if n := iss.JWKSRequests(); n > 4 {
				t.Fatalf("%d JWKS fetches; rotating one key must cost a handful at most", n)
			}
		})
		t.Run(name+"/RefreshByNewKid", func(t *testing.T) {
			// The refetch caused by the new kid is the refresh that shows the
			// old key gone: no need to wait for the TTL.
			iss, _, a, obs := keyBoundEnv(t)
			old := iss.Mint(clerktest.Session{TTL: ttl})
			verifyTwice(t, a, obs, old)
			if err := iss.Rotate(false); err != nil {
				t.Fatal(err)
			}
			if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{TTL: ttl})); err != nil {
				t.Fatalf("a token of the new key must pass: %v", err)
			}
			if _, err := a.VerifyToken(t.Context(), old); core.ReasonOf(err) != core.ReasonJWKKidMismatch {
				t.Fatalf("a cached token whose key left the JWKS must be rejected jwk-kid-mismatch at its next use after the refresh (behaviour.md §2.7): %v", err)
			}
		})
	}
	t.Run("KeptDuringRotation", func(t *testing.T) {
		// A rotation that keeps the old key published drops nothing.
		iss, _, a, obs := keyBoundEnv(t)
		old := iss.Mint(clerktest.Session{TTL: 24 * time.Hour})
		verifyTwice(t, a, obs, old)
		if err := iss.Rotate(true); err != nil {
			t.Fatal(err)
		}
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatal(err)
		}
		if _, err := a.VerifyToken(t.Context(), old); err != nil || !obs.last().CacheHit {
			t.Fatalf("a token whose key is still published stays cached after a refresh: err=%v hit=%v", err, obs.last().CacheHit)
		}
	})
}

// behaviour.md §2.7: an entry is never served longer than the key-set TTL
// after it was verified; it is then verified again against the keys. A
// networkless PEM key has no key set to refresh: entries live until exp.
func TestCachedTokenReverifiedAfterKeySetTTL(t *testing.T) {
	t.Run("RemoteKeys", func(t *testing.T) {
		iss, clk, a, obs := keyBoundEnv(t)
		tok := iss.Mint(clerktest.Session{TTL: 24 * time.Hour})
		verifyTwice(t, a, obs, tok)
		clk.Advance(testJWKSTTL - time.Second)
		if _, err := a.VerifyToken(t.Context(), tok); err != nil || !obs.last().CacheHit {
			t.Fatalf("within the key-set TTL the entry is served: err=%v hit=%v", err, obs.last().CacheHit)
		}
		clk.Advance(time.Second)
		if _, err := a.VerifyToken(t.Context(), tok); err != nil || obs.last().CacheHit {
			t.Fatalf("at the key-set TTL after verification the entry must not be served; the token is verified again (behaviour.md §2.7): err=%v hit=%v", err, obs.last().CacheHit)
		}
		if _, err := a.VerifyToken(t.Context(), tok); err != nil || !obs.last().CacheHit {
			t.Fatalf("verified again, the token is cached again: err=%v hit=%v", err, obs.last().CacheHit)
		}
	})
	t.Run("PEMKey", func(t *testing.T) {
		e := newRuleEnv(t)
		obs := &outcomes{}
		clk := clerktest.NewClock(e.clock.Now())
		a := e.authorizer(t, core.WithObserver(obs.add), core.WithClock(clk.Now))
		tok := e.iss.Mint(clerktest.Session{TTL: 1000 * time.Hour})
		verifyTwice(t, a, obs, tok)
		clk.Advance(500 * time.Hour)
		if _, err := a.VerifyToken(t.Context(), tok); err != nil || !obs.last().CacheHit {
			t.Fatalf("with a networkless PEM key an entry lives until exp, as before: err=%v hit=%v", err, obs.last().CacheHit)
		}
	})
}
