package core_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// These tests enforce behaviour.md §6.5: verifying opaque machine tokens
// through the Backend API is bounded, so that an unauthenticated client
// cannot spend the instance's Backend API quota.

// forged returns a well-formed opaque token of type prefix that the Backend
// API does not know.
func forged(prefix string, i int) string { return fmt.Sprintf("%sforged_token_%06d", prefix, i) }

func TestMachineFormatCheck_MalformedTokenInvalidWithoutCall(t *testing.T) {
	body := func(n int) string { return strings.Repeat("a", n) }
	cases := []struct {
		name   string
		token  string
		wellOK bool
	}{
		{"BodyEmpty", "mt_", false},
		{"Body1", "mt_" + body(1), true},
		{"Body256", "mt_" + body(256), true},
		{"Body257", "mt_" + body(257), false},
		{"Body10KiB", "mt_" + body(10<<10), false},
		{"LegacyM2MBody0", "m2m_", false},
		{"LegacyM2MBody1", "m2m_" + body(1), true},
		{"OAuthBody0", "oat_", false},
		{"OAuthBody1", "oat_" + body(1), true},
		{"OAuthBody256", "oat_" + body(256), true},
		{"OAuthBody257", "oat_" + body(257), false},
		{"APIKeyBody0", "ak_", false},
		{"APIKeyBody1", "ak_" + body(1), true},
		{"APIKeyBody257", "ak_" + body(257), false},
		{"AllTokenCharacters", "ak_AZaz09_-" + body(8), true},
		{"ClerkSecretShape", "mt_secret_0123456789abcdef", true},
		{"ClerkReferenceVectorShortSecret", "mt_secret_xxxxx", true},
		{"ClerkReferenceVectorShortID", "mt_xxxxx", true},
		// behaviour.md §6.9: an RFC 6750 b64token after the prefix.
		{"Dot", "mt_" + body(15) + ".", true},
		{"JWTAfterPrefix", "mt_eyJhbGciOiJSUzI1NiJ9.e30.c2ln", true},
		{"Plus", "mt_" + body(15) + "+", true},
		{"Slash", "mt_" + body(15) + "/", true},
		{"Tilde", "mt_" + body(15) + "~", true},
		{"TrailingEquals", "mt_" + body(15) + "=", true},
		{"TrailingEqualsTwice", "mt_" + body(14) + "==", true},
		{"ClerkFixtureAPIKey", "ak_LCWGdaM8mv8K4PC/57IICZQXAeWfCgF30DZaFXHoGn9=", true},
		{"StandardBase64", "oat_" + "Zm9vYmFyYmF6+/09" + "==", true},
		{"Body256WithPadding", "mt_" + body(254) + "==", true},
		{"Body257WithPadding", "mt_" + body(255) + "==", false},
		{"PaddingOnly", "mt_=", false},
		{"PaddingOnlyTwice", "ak_==", false},
		{"InnerEquals", "mt_" + body(8) + "=" + body(8), false},
		{"LeadingEquals", "mt_=" + body(15), false},
		{"Comma", "mt_" + body(15) + ",", false},
		{"Colon", "mt_" + body(15) + ":", false},
		{"Backslash", "mt_" + body(15) + `\`, false},
		{"Semicolon", "mt_" + body(15) + ";", false},
		{"InnerSpace", "mt_" + body(8) + " " + body(8), false},
		{"Tab", "mt_" + body(8) + "\t" + body(8), false},
		{"NUL", "mt_" + body(8) + "\x00" + body(8), false},
		{"DEL", "mt_" + body(8) + "\x7f" + body(8), false},
		{"NonASCII", "mt_" + body(14) + "é", false},
		{"PercentEncoded", "mt_" + body(13) + "%2F", false},
		{"Quote", "mt_" + body(15) + `"`, false},
	}
	e := newMachineEnv(t)
	b := newScriptedBackend(t, okAnswer("mch_format"))
	a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := b.calls()
			c, err := a.VerifyToken(t.Context(), tc.token)
			calls := b.calls() - before
			if tc.wellOK {
				if err != nil || c == nil {
					t.Fatalf("a well-formed opaque token must be verified by the Backend API (behaviour.md §6.5): %v", err)
				}
				if calls != 1 {
					t.Fatalf("a well-formed new token must cost exactly one Backend API call, got %d", calls)
				}
				return
			}
			if core.ReasonOf(err) != core.ReasonTokenInvalid {
				t.Fatalf("a malformed opaque token must be token-invalid (behaviour.md §6.5), got %q", core.ReasonOf(err))
			}
			if calls != 0 {
				t.Fatalf("a malformed opaque token must be refused before any Backend API call (behaviour.md §6.5), got %d calls", calls)
			}
		})
	}
}

func TestMachineNotFound_ForgedTokenRepeatedMakesOneCall(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()))
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.Authenticate(context.Background(), bearer(forged("mt_", 1)))
			if core.ReasonOf(err) != core.ReasonTokenInvalid {
				t.Errorf("a forged token must be token-invalid, got %v", err)
			}
		}()
	}
	wg.Wait()
	for i := 0; i < 20; i++ {
		_, err := a.Authenticate(t.Context(), bearer(forged("mt_", 1)))
		wantReason(t, err, core.ReasonTokenInvalid)
	}
	if n := e.iss.BackendCalls(); n != 1 {
		t.Fatalf("one forged token sent 40 times must cost at most one Backend API call (behaviour.md §6.5: 404 answers are remembered), got %d", n)
	}
	if n := core.MachineNotFoundEntries(a); n != 1 {
		t.Fatalf("the 404 cache holds %d entries, want 1", n)
	}
	valid := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_valid"})
	if c, err := a.Authenticate(t.Context(), bearer(valid)); err != nil || c.Subject != "mch_valid" {
		t.Fatalf("a valid token must still verify after forged ones: %+v, %v", c, err)
	}
}

// The remembered 404 is observed as a cache hit: no Backend API call.
func TestMachineNotFound_ReportedAsCacheHit(t *testing.T) {
	e := newMachineEnv(t)
	var hits []bool
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()),
		core.WithObserver(func(o core.Outcome) { hits = append(hits, o.CacheHit) }))
	for i := 0; i < 2; i++ {
		_, err := a.Authenticate(t.Context(), bearer(forged("ak_", 2)))
		wantReason(t, err, core.ReasonTokenInvalid)
	}
	if len(hits) != 2 || hits[0] || !hits[1] {
		t.Fatalf("CacheHit = %v, want [false true]: the second answer comes from the 404 cache", hits)
	}
}

func TestMachineRateLimit_PastBurstUnexpectedErrorWithoutCall(t *testing.T) {
	type step struct {
		advance  time.Duration
		requests int
		allowed  int // of requests, how many reach the Backend API
	}
	cases := []struct {
		name  string
		mv    core.MachineVerification
		steps []step
	}{
		{"DefaultBurst50Refill20PerSecond", core.MachineVerification{}, []step{
			{0, 60, 50}, {999 * time.Millisecond, 20, 19}, {time.Millisecond, 2, 1}, {time.Hour, 60, 50}}},
		{"Burst3Refill1PerSecond", core.MachineVerification{RateBurst: 3, RatePerSecond: 1}, []step{
			{0, 4, 3}, {999 * time.Millisecond, 1, 0}, {time.Millisecond, 2, 1}, {10 * time.Second, 5, 3}}},
		{"FractionalRate", core.MachineVerification{RateBurst: 1, RatePerSecond: 0.5}, []step{
			{0, 2, 1}, {1999 * time.Millisecond, 1, 0}, {time.Millisecond, 1, 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newMachineEnv(t)
			a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()), core.WithMachineVerification(tc.mv))
			n := 0
			for i, s := range tc.steps {
				e.clock.Advance(s.advance)
				before := e.iss.BackendCalls()
				limited := 0
				for r := 0; r < s.requests; r++ {
					n++
					_, err := a.Authenticate(t.Context(), bearer(forged("oat_", n)))
					switch core.ReasonOf(err) {
					case core.ReasonTokenInvalid:
					case core.ReasonUnexpectedError:
						limited++
						if p := core.ProblemFor(err); p.Status != http.StatusServiceUnavailable {
							t.Fatalf("step %d: a rate-limited request must be 503, got %d", i, p.Status)
						}
					default:
						t.Fatalf("step %d: reason %q, want token-invalid or unexpected-error", i, core.ReasonOf(err))
					}
				}
				calls := int(e.iss.BackendCalls() - before)
				if calls != s.allowed || limited != s.requests-s.allowed {
					t.Fatalf("step %d: %d Backend API calls and %d rate-limited requests, want %d and %d (behaviour.md §6.5: past the token bucket, unexpected-error with no call)",
						i, calls, limited, s.allowed, s.requests-s.allowed)
				}
			}
		})
	}
}

// Tokens answered from a cache, and requests joining a call in flight, are
// not upstream verifications: the rate limit does not count or refuse them.
func TestMachineRateLimit_CachesAndSharedCallsNotLimited(t *testing.T) {
	e := newMachineEnv(t)
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()),
		core.WithMachineVerification(core.MachineVerification{RateBurst: 2, RatePerSecond: 1}))
	valid := e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_cached"})
	if _, err := a.Authenticate(t.Context(), bearer(valid)); err != nil {
		t.Fatal(err)
	}
	_, err := a.Authenticate(t.Context(), bearer(forged("ak_", 1)))
	wantReason(t, err, core.ReasonTokenInvalid)
	_, err = a.Authenticate(t.Context(), bearer(forged("ak_", 2)))
	wantReason(t, err, core.ReasonUnexpectedError) // the bucket is empty
	for i := 0; i < 10; i++ {
		if _, err := a.Authenticate(t.Context(), bearer(valid)); err != nil {
			t.Fatalf("a cached valid token must pass however empty the bucket: %v", err)
		}
		_, err := a.Authenticate(t.Context(), bearer(forged("ak_", 1)))
		wantReason(t, err, core.ReasonTokenInvalid) // remembered, not rate-limited
	}
	if n := e.iss.BackendCalls(); n != 2 {
		t.Fatalf("%d Backend API calls, want 2", n)
	}

	// 50 requests sharing one call take one token from the bucket.
	release := make(chan struct{})
	b := blockingBackend(t, release, "mch_shared")
	shared := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken(),
		core.WithMachineVerification(core.MachineVerification{RateBurst: 1, RatePerSecond: 1}))
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := shared.Authenticate(context.Background(), bearer("mt_shared_call_0123456789"))
			errs <- err
		}()
	}
	waitFor(t, func() bool { return core.MachineWaiters(shared, "mt_shared_call_0123456789") == 50 })
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("requests joining a call in flight must not be rate-limited: %v", err)
		}
	}
	if n := b.calls(); n != 1 {
		t.Fatalf("%d Backend API calls, want 1", n)
	}
}

// countingBackend blocks every call until release is closed or the call's
// context ends, and counts calls in flight, their maximum, and calls whose
// context was cancelled.
type countingBackend struct {
	*scriptedBackend
	inflight, maxInflight, cancelled atomic.Int64
}

func newCountingBackend(t *testing.T, release <-chan struct{}) *countingBackend {
	cb := &countingBackend{}
	cb.scriptedBackend = newScriptedBackend(t, func(w http.ResponseWriter, r *http.Request) {
		n := cb.inflight.Add(1)
		defer cb.inflight.Add(-1)
		for {
			m := cb.maxInflight.Load()
			if n <= m || cb.maxInflight.CompareAndSwap(m, n) {
				break
			}
		}
		select {
		case <-release:
			answer(http.StatusNotFound, `{}`)(w, r)
		case <-r.Context().Done():
			cb.cancelled.Add(1)
		}
	})
	return cb
}

func TestMachineInFlight_AtMostMaxInFlightCalls(t *testing.T) {
	cases := []struct {
		name string
		mv   core.MachineVerification
		want int64
	}{
		{"Default16", core.MachineVerification{}, 16},
		{"Custom2", core.MachineVerification{MaxInFlight: 2}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newMachineEnv(t)
			release := make(chan struct{})
			b := newCountingBackend(t, release)
			a := scriptedAuthorizer(t, e.iss, b.scriptedBackend, core.AcceptAnyToken(), core.WithMachineVerification(tc.mv))
			const n = 40
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := a.Authenticate(context.Background(), bearer(forged("mt_", i)))
					if core.ReasonOf(err) != core.ReasonTokenInvalid {
						t.Errorf("reason %q, want token-invalid", core.ReasonOf(err))
					}
				}()
			}
			waitFor(t, func() bool { return b.inflight.Load() == tc.want })
			for i := 0; i < n; i++ {
				waitFor(t, func() bool { return core.MachineWaiters(a, forged("mt_", i)) == 1 })
			}
			// Every request now waits: tc.want at the Backend API, the others
			// for a slot.
			if got := b.inflight.Load(); got != tc.want {
				t.Fatalf("%d calls in flight, want %d", got, tc.want)
			}
			close(release)
			wg.Wait()
			if got := b.maxInflight.Load(); got != tc.want {
				t.Fatalf("at most %d Backend API calls may run at once (behaviour.md §6.5), saw %d", tc.want, got)
			}
			if got := b.calls(); got != n {
				t.Fatalf("%d Backend API calls, want %d: queued requests are verified once a slot frees", got, n)
			}
		})
	}
}

// The Timeout side of this rule is TestMachineInFlight_SlotWaitBoundedByTimeout
// (internal: it holds every slot without a call that would itself time out).
func TestMachineInFlight_WaitForSlotBoundedByContext(t *testing.T) {
	e := newMachineEnv(t)
	release := make(chan struct{})
	b := newCountingBackend(t, release)
	a := scriptedAuthorizer(t, e.iss, b.scriptedBackend, core.AcceptAnyToken(),
		core.WithMachineVerification(core.MachineVerification{MaxInFlight: 1, Timeout: time.Minute}))
	holder := make(chan error, 1)
	go func() { _, err := a.Authenticate(context.Background(), bearer(forged("mt_", 0))); holder <- err }()
	waitFor(t, func() bool { return b.inflight.Load() == 1 })

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { _, err := a.Authenticate(ctx, bearer(forged("mt_", 1))); done <- err }()
	waitFor(t, func() bool { return core.MachineWaiters(a, forged("mt_", 1)) == 1 })
	cancel()
	if err := <-done; core.ReasonOf(err) != core.ReasonUnexpectedError {
		t.Fatalf("a request whose context ends while waiting for a slot must end with unexpected-error, got %v", err)
	}
	close(release) // the slot frees only now, after the waiter has gone
	if err := <-holder; core.ReasonOf(err) != core.ReasonTokenInvalid {
		t.Fatalf("the call holding the slot: %v, want token-invalid", err)
	}
	waitFor(t, func() bool { return core.MachineWaiters(a, forged("mt_", 1)) == 0 })
	if got := b.calls(); got != 1 {
		t.Fatalf("%d Backend API calls, want 1: a request that gave up waiting for a slot must make no call, even once the slot frees", got)
	}
}

// settleGoroutines waits until the goroutine count is back to at most base.
func settleGoroutines(t *testing.T, base int, closeIdle func()) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		closeIdle()
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, baseline %d: a goroutine outlives the calls (behaviour.md §6.5)\n%s", n, base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestMachineAbandonedCall_CancelledNoGoroutineLeft(t *testing.T) {
	e := newMachineEnv(t)
	release := make(chan struct{}) // never closed: only cancellation ends a call
	b := newCountingBackend(t, release)
	transport := &http.Transport{}
	client := &http.Client{Transport: transport}
	a := scriptedAuthorizer(t, e.iss, b.scriptedBackend, core.AcceptAnyToken(), core.WithHTTPClient(client),
		core.WithMachineVerification(core.MachineVerification{Timeout: time.Minute, RateBurst: 1000}))
	base := runtime.NumGoroutine()

	// 300 clients: 200 with distinct tokens, 100 sharing one token.
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for i := 0; i < 300; i++ {
		tok := forged("ak_", i)
		if i >= 200 {
			tok = forged("ak_", 999)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.Authenticate(ctx, bearer(tok))
			if core.ReasonOf(err) != core.ReasonUnexpectedError {
				t.Errorf("a client that leaves gets unexpected-error, got %v", err)
			}
		}()
	}
	waitFor(t, func() bool { return b.inflight.Load() == 16 && core.MachineWaiters(a, forged("ak_", 999)) == 100 })
	cancel() // every client leaves
	wg.Wait()
	waitFor(t, func() bool { return b.inflight.Load() == 0 })
	if got, started := b.cancelled.Load(), int64(b.calls()); got != started {
		t.Fatalf("%d of %d Backend API calls saw their context cancelled: a call nobody waits for must be cancelled (behaviour.md §6.5)", got, started)
	}
	settleGoroutines(t, base, transport.CloseIdleConnections)
	for i := 0; i < 300; i++ {
		if n := core.MachineWaiters(a, forged("ak_", i)); n != 0 {
			t.Fatalf("token %d still has %d waiters listed", i, n)
		}
	}

	// The Authorizer still works: a token whose call was abandoned is
	// verified afresh.
	okb := newScriptedBackend(t, okAnswer("mch_after"))
	after := scriptedAuthorizer(t, e.iss, okb, core.AcceptAnyToken())
	if _, err := after.Authenticate(t.Context(), bearer(forged("ak_", 999))); err != nil {
		t.Fatal(err)
	}
}

// The attack measured before behaviour.md §6.5 existed: 1 000 clients with
// distinct forged tokens, all gone while their calls are pending (then: 900
// calls left open and 3 600 goroutines). With the default bounds 950 are
// refused by the rate limit, 16 calls run at a time, and every call is
// cancelled.
func TestMachineAbandonedCall_ThousandClientsLeaveNothingBehind(t *testing.T) {
	e := newMachineEnv(t)
	b := newCountingBackend(t, make(chan struct{})) // only cancellation ends a call
	transport := &http.Transport{}
	a := scriptedAuthorizer(t, e.iss, b.scriptedBackend, core.AcceptAnyToken(),
		core.WithHTTPClient(&http.Client{Transport: transport}))
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	var limited atomic.Int64
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.Authenticate(ctx, bearer(forged("mt_", i)))
			if core.ReasonOf(err) != core.ReasonUnexpectedError {
				t.Errorf("reason %q, want unexpected-error (rate-limited or gone)", core.ReasonOf(err))
			}
			if ctx.Err() == nil {
				limited.Add(1)
			}
		}()
	}
	waitFor(t, func() bool { return b.inflight.Load() == 16 && limited.Load() == 950 })
	cancel()
	wg.Wait()
	waitFor(t, func() bool { return b.inflight.Load() == 0 })
	// A queued call may take a freed slot in the instant before its client's
	// departure is noticed; it is then cancelled like the others.
	if calls, cancelled := b.calls(), b.cancelled.Load(); calls > 50 || int64(calls) != cancelled {
		t.Fatalf("%d calls made, %d cancelled; want at most 50 (the burst), all cancelled: past the rate limit no call is made, and a call nobody waits for is cancelled (behaviour.md §6.5)", calls, cancelled)
	}
	settleGoroutines(t, base, transport.CloseIdleConnections)
}

// A call is cancelled only when its last waiter leaves, and a request that
// arrives after that starts a fresh call rather than joining a dying one.
func TestMachineAbandonedCall_OnlyWhenLastWaiterLeaves(t *testing.T) {
	e := newMachineEnv(t)
	release := make(chan struct{})
	b := newCountingBackend(t, release)
	a := scriptedAuthorizer(t, e.iss, b.scriptedBackend, core.AcceptAnyToken())
	tok := forged("oat_", 7)
	ctx1, cancel1 := context.WithCancel(t.Context())
	ctx2, cancel2 := context.WithCancel(t.Context())
	errs := make(chan error, 2)
	go func() { _, err := a.Authenticate(ctx1, bearer(tok)); errs <- err }()
	go func() { _, err := a.Authenticate(ctx2, bearer(tok)); errs <- err }()
	waitFor(t, func() bool { return core.MachineWaiters(a, tok) == 2 && b.inflight.Load() == 1 })
	cancel1()
	<-errs
	waitFor(t, func() bool { return core.MachineWaiters(a, tok) == 1 })
	if b.cancelled.Load() != 0 {
		t.Fatal("a call was cancelled while a request still waits for it")
	}
	cancel2()
	<-errs
	waitFor(t, func() bool { return b.cancelled.Load() == 1 })
	close(release)
	if _, err := a.Authenticate(t.Context(), bearer(tok)); core.ReasonOf(err) != core.ReasonTokenInvalid {
		t.Fatalf("a new request after the abandoned call must get a fresh verdict (404 → token-invalid), got %v", err)
	}
	if n := b.calls(); n != 2 {
		t.Fatalf("%d Backend API calls, want 2", n)
	}
}

func TestMachineBounds_300DistinctForgedTokensAtOnce(t *testing.T) {
	e := newMachineEnv(t)
	e.iss.SetBackendDelay(20 * time.Millisecond)
	a := e.authorizer(t, core.AcceptAnyToken(), core.WithLogger(quietLogger()))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	reasons := make(chan core.Reason, 300)
	for i := 0; i < 300; i++ {
		go func() {
			_, err := a.Authenticate(context.Background(), bearer(forged("mt_", i)))
			reasons <- core.ReasonOf(err)
		}()
	}
	count := map[core.Reason]int{}
	for i := 0; i < 300; i++ {
		select {
		case r := <-reasons:
			count[r]++
		case <-ctx.Done():
			t.Fatalf("only %d of 300 requests answered within 10s (behaviour.md §6.5: every request is bounded)", i)
		}
	}
	calls := e.iss.BackendCalls()
	if calls > 100 {
		t.Fatalf("300 distinct forged tokens made %d Backend API calls, want at most 100 (behaviour.md §6.5: rate limit)", calls)
	}
	if count[core.ReasonTokenInvalid] != int(calls) || count[core.ReasonUnexpectedError] != 300-int(calls) {
		t.Fatalf("reasons %v with %d calls: each call is token-invalid, each refused request unexpected-error", count, calls)
	}
	e.clock.Advance(time.Second)
	valid := e.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_after"})
	if c, err := a.Authenticate(t.Context(), bearer(valid)); err != nil || c.Subject != "user_after" {
		t.Fatalf("a valid token must verify once the bucket refills: %+v, %v", c, err)
	}
}
