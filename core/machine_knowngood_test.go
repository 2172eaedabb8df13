package core_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// This file proves behaviour.md §6.6 and §6.7: tokens the Backend API
// verified recently (known good) never compete with unknown ones for
// upstream capacity, and keep their last good verdict for a bounded time
// while no budget is left or the Backend API cannot answer.

// floodResult counts the outcomes of one flood run.
type floodResult struct {
	goodOK, goodTotal         int
	forgedInvalid, forgedBusy int
	calls                     int64
}

// flood sends a steady 100 forged opaque tokens per second of the injected
// clock for 5 seconds (one every 10ms, each from its own goroutine, each
// distinct so that no cache helps) and, every 50ms, one request with a
// known-good M2M token whose success-cache entry (CacheTTL 1s) expires five
// times during the flood.
func flood(t *testing.T, mv core.MachineVerification) floodResult {
	t.Helper()
	e := newMachineEnv(t)
	mv.CacheTTL = time.Second
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()), core.WithMachineVerification(mv))
	good := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_good"})
	if _, err := a.Authenticate(t.Context(), bearer(good)); err != nil {
		t.Fatalf("the good token before the flood: %v", err)
	}
	var (
		r      floodResult
		wg     sync.WaitGroup
		mu     sync.Mutex
		ticks  = 500 // 5 s at 10 ms
		period = 5   // a good request every 5 ticks: 100 of them
	)
	for tick := 0; tick < ticks; tick++ {
		e.clock.Advance(10 * time.Millisecond)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := a.Authenticate(context.Background(), bearer(forged("mt_", i)))
			mu.Lock()
			defer mu.Unlock()
			switch core.ReasonOf(err) {
			case core.ReasonTokenInvalid:
				r.forgedInvalid++
			case core.ReasonUnexpectedError:
				r.forgedBusy++
			default:
				t.Errorf("forged token %d: reason %q, want token-invalid or unexpected-error", i, core.ReasonOf(err))
			}
		}(tick)
		if tick%period == period-1 {
			wg.Wait() // this tick's forged requests have spent what they could
			r.goodTotal++
			if c, err := a.Authenticate(t.Context(), bearer(good)); err == nil && c.Subject == "mch_good" {
				r.goodOK++
			}
		}
	}
	wg.Wait()
	r.calls = e.iss.BackendCalls() - 1 // the warm-up call
	return r
}

func TestMachineKnownGood_ForgedFloodNeverStarvesKnownToken(t *testing.T) {
	mv := core.MachineVerification{} // today's bounds: burst 50, 20/s
	r := flood(t, mv)
	t.Logf("good token answered %d/%d; forged: %d called (404), %d rate-limited; %d Backend API calls", r.goodOK, r.goodTotal, r.forgedInvalid, r.forgedBusy, r.calls)
	if r.goodTotal != 100 {
		t.Fatalf("%d good requests, the flood sends 100", r.goodTotal)
	}
	if r.goodOK < 99 {
		t.Errorf("behaviour.md §6.6: a known-good token answered %d of %d times during a flood of 100 forged tokens/s, want at least 99%%",
			r.goodOK, r.goodTotal)
	}
	// Every forged token is distinct: each answered token-invalid made one
	// call, each answered unexpected-error made none (rate-limited).
	if r.forgedInvalid+r.forgedBusy != 500 {
		t.Fatalf("%d forged outcomes counted, want 500", r.forgedInvalid+r.forgedBusy)
	}
	if max := 50 + 20*5; r.forgedInvalid > max {
		t.Errorf("behaviour.md §6.5: %d forged tokens reached the Backend API in 5s, today's bound is %d", r.forgedInvalid, max)
	}
	if r.forgedBusy < 300 {
		t.Errorf("only %d forged tokens were rate-limited: the flood did not empty the shared bucket", r.forgedBusy)
	}
	// The good token's calls: its cache expired about 5 times; each expiry
	// costs one call on the reserve, never more.
	goodCalls := r.calls - int64(r.forgedInvalid)
	if goodCalls < 4 || goodCalls > 6 {
		t.Errorf("behaviour.md §6.6: the known-good token made %d Backend API calls during 5s with a 1s cache, want 4 to 6", goodCalls)
	}
}

// Without the known-good set the same flood starves the good token: the
// flood above is a real one.
func TestMachineKnownGood_DisabledFloodStarvesKnownToken(t *testing.T) {
	r := flood(t, core.MachineVerification{KnownGoodTTL: -1})
	t.Logf("without the known-good set the good token answered %d/%d", r.goodOK, r.goodTotal)
	if r.goodOK > 90 {
		t.Errorf("with KnownGoodTTL disabled a known token still answered %d of %d times: the flood does not empty the bucket", r.goodOK, r.goodTotal)
	}
}

// budgetsEmptyAfterOne is a policy whose shared bucket and reserve each
// allow one call and then, in practice, none.
var budgetsEmptyAfterOne = core.MachineVerification{RateBurst: 1, RatePerSecond: 0.0001,
	ReservedBurst: 1, ReservedPerSecond: 0.0001, CacheTTL: time.Second, KnownGoodTTL: 10 * time.Second}

func TestMachineKnownGood_RevokedAcceptedAtMostKnownGoodTTLWhenBudgetsEmpty(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()), core.WithMachineVerification(budgetsEmptyAfterOne))
	tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_stale"})
	ok := func(step string) {
		t.Helper()
		if c, err := a.Authenticate(t.Context(), bearer(tok)); err != nil || c.Subject != "user_stale" {
			t.Fatalf("%s: %v, want the token accepted", step, err)
		}
	}
	calls := func(want int64, step string) {
		t.Helper()
		if n := e.iss.BackendCalls(); n != want {
			t.Fatalf("%s: %d Backend API calls, want %d", step, n, want)
		}
	}
	ok("first verification (shared bucket)")
	calls(1, "first verification")
	_, err := a.Authenticate(t.Context(), bearer(forged("ak_", 1)))
	wantReason(t, err, core.ReasonUnexpectedError) // the shared bucket is empty for unknown tokens
	calls(1, "unknown token past the shared bucket")

	e.clock.Advance(time.Second) // the cache entry expires: re-verified on the reserve
	ok("re-verification on the reserve")
	calls(2, "re-verification on the reserve")
	last := e.clock.Now() // the last successful verification

	e.iss.RevokeOpaque(tok)
	e.clock.Advance(time.Second) // cache expired again; both budgets are empty
	ok("revoked upstream, no budget left: the last good verdict")
	calls(2, "last good verdict")
	e.clock.Set(last.Add(10*time.Second - time.Nanosecond))
	ok("last good verdict just before KnownGoodTTL")
	calls(2, "last good verdict just before KnownGoodTTL")
	e.clock.Set(last.Add(10 * time.Second))
	_, err = a.Authenticate(t.Context(), bearer(tok))
	wantReason(t, err, core.ReasonUnexpectedError) // no longer known good, and no budget left
	calls(2, "past KnownGoodTTL")
}

func TestMachineKnownGood_RevokedRefusedAtCacheExpiryWhenBudgetLeft(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()),
		core.WithMachineVerification(core.MachineVerification{CacheTTL: time.Second}))
	tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_revoked"})
	if _, err := a.Authenticate(t.Context(), bearer(tok)); err != nil {
		t.Fatal(err)
	}
	e.iss.RevokeOpaque(tok)
	e.clock.Advance(time.Second - time.Nanosecond)
	if _, err := a.Authenticate(t.Context(), bearer(tok)); err != nil {
		t.Fatalf("behaviour.md §6.4: cached for CacheTTL: %v", err)
	}
	e.clock.Advance(time.Nanosecond)
	for i := 0; i < 2; i++ { // the revocation also ends the token's known-good standing
		_, err := a.Authenticate(t.Context(), bearer(tok))
		wantReason(t, err, core.ReasonTokenInvalid)
	}
	if n := e.iss.BackendCalls(); n != 3 {
		t.Fatalf("%d Backend API calls, want 3", n)
	}
}

func TestMachineKnownGood_OutageServesLastVerdictSecretKeyFailureDoesNot(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		want, after core.Reason // want "" for accepted; after: during a later outage
	}{
		{"Status500", http.StatusInternalServerError, "", ""},
		{"Status503", http.StatusServiceUnavailable, "", ""},
		{"Status429", http.StatusTooManyRequests, "", ""},
		{"Status401SecretKey", http.StatusUnauthorized, core.ReasonSecretKeyInvalid, core.ReasonUnexpectedError},
		{"Status404Unknown", http.StatusNotFound, core.ReasonTokenInvalid, core.ReasonTokenInvalid}, // remembered
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newMachineEnv(t)
			a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()),
				core.WithMachineVerification(core.MachineVerification{CacheTTL: time.Second, KnownGoodTTL: 5 * time.Second}))
			tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_outage"})
			if _, err := a.Authenticate(t.Context(), bearer(tok)); err != nil {
				t.Fatal(err)
			}
			e.iss.SetBackendStatus(tc.status)
			e.clock.Advance(2 * time.Second)
			c, err := a.Authenticate(t.Context(), bearer(tok))
			if tc.want == "" {
				if err != nil || c.Subject != "mch_outage" {
					t.Fatalf("behaviour.md §6.7: HTTP %d is an outage, the known-good token keeps its verdict: %v", tc.status, err)
				}
				e.clock.Advance(3 * time.Second) // 5s after the last success
				_, err = a.Authenticate(t.Context(), bearer(tok))
				wantReason(t, err, core.ReasonUnexpectedError)
				return
			}
			wantReason(t, err, tc.want)
			e.iss.SetBackendStatus(http.StatusInternalServerError)
			_, err = a.Authenticate(t.Context(), bearer(tok))
			wantReason(t, err, tc.after) // the last good verdict is gone for good
		})
	}
}

func TestMachineKnownGood_NeverPastTokenExpiry(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()), core.WithMachineVerification(budgetsEmptyAfterOne))
	exp := e.clock.Now().Add(3 * time.Second)
	tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_exp", Expiration: exp})
	for _, d := range []time.Duration{0, 1500 * time.Millisecond, 1499 * time.Millisecond} {
		e.clock.Advance(d) // fresh, then on the reserve, then the last verdict
		if _, err := a.Authenticate(t.Context(), bearer(tok)); err != nil {
			t.Fatalf("at +%s: %v", d, err)
		}
	}
	e.clock.Set(exp)
	if c, err := a.Authenticate(t.Context(), bearer(tok)); err == nil {
		t.Fatalf("behaviour.md §6.7: a last good verdict served at the token's expiry (%+v)", c)
	}
	if n := e.iss.BackendCalls(); n != 2 {
		t.Fatalf("%d Backend API calls, want 2", n)
	}
}

func TestMachineKnownGood_UnknownTokensNeverUseReserve(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()),
		core.WithMachineVerification(core.MachineVerification{RateBurst: 2, RatePerSecond: 1, ReservedBurst: 50, ReservedPerSecond: 50}))
	limited := 0
	for i := 0; i < 10; i++ {
		_, err := a.Authenticate(t.Context(), bearer(forged("oat_", i)))
		if core.ReasonOf(err) == core.ReasonUnexpectedError {
			limited++
		}
	}
	if n := e.iss.BackendCalls(); n != 2 || limited != 8 {
		t.Fatalf("%d calls and %d rate-limited for 10 unknown tokens, want 2 and 8: the reserve is for known-good tokens only", n, limited)
	}
}

// A known-good token re-verifies on a call slot of its own while unknown
// tokens' calls hold every shared slot.
func TestMachineKnownGood_ReservedSlotWhileSharedSlotsHeld(t *testing.T) {
	release := make(chan struct{})
	var forgedCalls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body)
		if body["token"] != "mt_known_good_0123456" {
			forgedCalls.Add(1)
			select {
			case <-release:
			case <-r.Context().Done():
			}
			answer(http.StatusNotFound, `{"errors":[]}`)(w, r)
			return
		}
		okAnswer("mch_known")(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()), core.WithAPIURL(srv.URL),
		core.WithMachineVerification(core.MachineVerification{MaxInFlight: 2, CacheTTL: time.Second}))
	if _, err := a.Authenticate(t.Context(), bearer("mt_known_good_0123456")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := 0; i < 4; i++ { // two hold the shared slots, two wait for one
		go func() { _, _ = a.Authenticate(ctx, bearer(forged("mt_", i))) }()
	}
	waitFor(t, func() bool { return forgedCalls.Load() == 2 })
	e.clock.Advance(time.Second)
	done := make(chan error, 1)
	go func() { _, err := a.Authenticate(t.Context(), bearer("mt_known_good_0123456")); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the known-good token: %v", err)
		}
	case <-time.After(4 * time.Second): // well under the 5s Timeout, which would serve the last verdict
		t.Fatal("behaviour.md §6.6: a known-good token waited for a shared call slot")
	}
	if n := forgedCalls.Load(); n != 2 {
		t.Fatalf("%d unknown-token calls in flight, MaxInFlight is 2", n)
	}
}

func TestMachineKnownGood_BoundedByCacheSize(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()),
		core.WithMachineVerification(core.MachineVerification{CacheSize: 3}))
	for i := 0; i < 10; i++ {
		if _, err := a.Authenticate(t.Context(), bearer(e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_n"}))); err != nil {
			t.Fatal(err)
		}
		if n := core.MachineKnownGoodEntries(a); n != min(i+1, 3) {
			t.Fatalf("after %d tokens %d known-good entries, want %d (bounded by CacheSize)", i+1, n, min(i+1, 3))
		}
	}
}

func TestMachineKnownGood_LastVerdictReportedAsCacheHit(t *testing.T) {
	e := newMachineEnv(t)
	var mu sync.Mutex
	var hits []bool
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()), core.WithMachineVerification(budgetsEmptyAfterOne),
		core.WithObserver(func(o core.Outcome) { mu.Lock(); hits = append(hits, o.CacheHit); mu.Unlock() }))
	tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_hit"})
	for _, d := range []time.Duration{0, time.Second, time.Second} { // fresh, reserve, last verdict
		e.clock.Advance(d)
		if _, err := a.Authenticate(t.Context(), bearer(tok)); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hits) != 3 || hits[0] || hits[1] || !hits[2] {
		t.Fatalf("CacheHit = %v, want [false false true]: the last good verdict makes no call (behaviour.md §6.7)", hits)
	}
}
