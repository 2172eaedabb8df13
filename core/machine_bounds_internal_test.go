package core

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// behaviour.md §6.5: a request waiting for a call slot is bounded by the
// Timeout. Every slot is held here without a call, so the wait itself must
// end the request.
func TestMachineInFlight_SlotWaitBoundedByTimeout(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	cfg := defaultConfig()
	cfg.apiURL, cfg.secretKey = srv.URL, "sk_test_internal"
	cfg.machine = MachineVerification{Timeout: 50 * time.Millisecond, MaxInFlight: 2}
	b := newBackendAPI(cfg, srv.Client())
	b.slots <- struct{}{}
	b.slots <- struct{}{}
	done := make(chan error, 1)
	go func() { _, _, err := b.verify(t.Context(), APIKey, "ak_slot_wait_0123456789"); done <- err }()
	select {
	case err := <-done:
		if ReasonOf(err) != ReasonUnexpectedError {
			t.Fatalf("waiting for a slot past the Timeout must be unexpected-error, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a request waiting for a slot was not ended by the 50ms Timeout (behaviour.md §6.5)")
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d Backend API calls: a request that never got a slot must make none", n)
	}
}

func TestTokenBucket_RefillExactAndClockBackwards(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	type step struct {
		at    time.Duration // from t0
		allow bool
	}
	cases := []struct {
		name  string
		burst int
		rate  float64
		steps []step
	}{
		{"Burst2Rate10", 2, 10, []step{{0, true}, {0, true}, {0, false}, {99 * time.Millisecond, false}, {100 * time.Millisecond, true}, {100 * time.Millisecond, false}}},
		{"ClockBackRefillsNothing", 1, 1, []step{{0, true}, {-time.Hour, false}, {999 * time.Millisecond, false}, {time.Second, true}}},
		{"LongIdleCapsAtBurst", 3, 1, []step{{time.Hour, true}, {time.Hour, true}, {time.Hour, true}, {time.Hour, false}}},
		{"TinyRateClamped", 1, 1e-300, []step{{0, true}, {23 * time.Hour, false}, {24 * time.Hour, true}}},
		{"HugeRateClamped", 1, 1e300, []step{{0, true}, {0, false}, {time.Nanosecond, true}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newTokenBucket(tc.burst, tc.rate, t0)
			for i, s := range tc.steps {
				if got := b.allow(t0.Add(s.at)); got != s.allow {
					t.Fatalf("step %d at %s: allow = %v, want %v", i, s.at, got, s.allow)
				}
			}
		})
	}
}

func TestNotFoundCache_ExpiryAndBound(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	c := newNotFoundCache(30*time.Second, 2)
	k := func(s string) [32]byte { return tokenHash(s) }
	c.add(k("a"), t0)
	if !c.has(k("a"), t0.Add(30*time.Second-time.Nanosecond)) || c.has(k("a"), t0.Add(30*time.Second)) {
		t.Fatal("a 404 is remembered for exactly the TTL")
	}
	c.add(k("b"), t0.Add(time.Second))
	c.add(k("c"), t0.Add(2*time.Second)) // over the bound: a, the oldest, goes
	if c.has(k("a"), t0.Add(2*time.Second)) || !c.has(k("b"), t0.Add(2*time.Second)) || !c.has(k("c"), t0.Add(2*time.Second)) {
		t.Fatal("past its size the cache drops the oldest entry")
	}
	c.add(k("b"), t0.Add(40*time.Second)) // c has expired: it goes; b is renewed
	if c.len() != 1 || !c.has(k("b"), t0.Add(69*time.Second)) {
		t.Fatalf("expired entries are dropped on insert and a re-added key is renewed: len %d", c.len())
	}
	if newNotFoundCache(-1, 10) != nil || newNotFoundCache(time.Second, 0) != nil {
		t.Fatal("a non-positive TTL or size disables the cache")
	}
	var disabled *notFoundCache
	disabled.add(k("a"), t0)
	if disabled.has(k("a"), t0) || disabled.len() != 0 {
		t.Fatal("a disabled cache remembers nothing")
	}
}

// opaqueFormat is the format rule of behaviour.md §6.5 and §6.9 written as
// regular expressions, to check opaqueWellFormed against: an RFC 6750
// b64token after the prefix, of 1 to 256 characters.
var (
	opaqueFormat = regexp.MustCompile(`^(mt_|m2m_|oat_|ak_)[A-Za-z0-9._~+/-]+=*$`)
	opaqueBodyN  = regexp.MustCompile(`^(mt_|m2m_|oat_|ak_)(.{1,256})$`)
)

// FuzzOpaqueWellFormed checks the format check against the regular
// expression, and that a token it accepts is one opaqueTokenType detects.
func FuzzOpaqueWellFormed(f *testing.F) {
	for _, s := range []string{"mt_0123456789abcdef", "mt_", "mt_x", "m2m_" + strings.Repeat("a", 256),
		"oat_" + strings.Repeat("Z", 257), "ak_secret_-_-_-_-_-_-", "mt_a.b.c", "MT_0123456789abcdef", "",
		"ak_LCWGdaM8mv8K4PC/57IICZQXAeWfCgF30DZaFXHoGn9=", "mt_=", "mt_a=b", "oat_~+/==", "mt_a,b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		got := opaqueWellFormed(token)
		if want := opaqueFormat.MatchString(token) && opaqueBodyN.MatchString(token); got != want {
			t.Fatalf("opaqueWellFormed(%q) = %v, the rule of behaviour.md §6.5 says %v", token, got, want)
		}
		if _, ok := opaqueTokenType(token); got && !ok {
			t.Fatalf("opaqueWellFormed accepts %q, which has no machine prefix", token)
		}
	})
}
