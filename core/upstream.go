package core

import (
	"context"
	"sync"
	"time"
)

// upstream bounds the Backend API calls of browser sessions (handshake
// payloads, session refreshes; behaviour.md §10.10) exactly as machine-token
// verification is bounded (behaviour.md §6.5), with the same
// MachineVerification policy but a budget of its own: a rate limit, a limit
// of calls in flight and a timeout per call. One forged request costs at most
// one call, and a flood of them at most RateBurst plus RatePerSecond calls a
// second, however many requests arrive.
type upstream struct {
	mu      sync.Mutex
	bucket  *tokenBucket
	slots   chan struct{}
	timeout time.Duration
	now     func() time.Time
	burst   int
	rate    float64
}

func newUpstream(p MachineVerification, now func() time.Time) *upstream {
	return &upstream{bucket: newTokenBucket(p.RateBurst, p.RatePerSecond, now()),
		slots: make(chan struct{}, p.MaxInFlight), timeout: p.Timeout, now: now,
		burst: p.RateBurst, rate: p.RatePerSecond}
}

// acquire returns a context bounded by the timeout and a release function,
// or an error when the rate limit is reached or no slot frees in time.
func (u *upstream) acquire(ctx context.Context) (context.Context, func(), error) {
	u.mu.Lock()
	ok := u.bucket.allow(u.now())
	u.mu.Unlock()
	if !ok {
		return nil, nil, errorf(ReasonUnexpectedError, "Backend API rate limit for browser sessions reached (burst %d, %g/s)", u.burst, u.rate)
	}
	cctx, cancel := context.WithTimeout(ctx, u.timeout)
	select {
	case u.slots <- struct{}{}:
		return cctx, func() { <-u.slots; cancel() }, nil
	case <-cctx.Done():
		cancel()
		return nil, nil, newError(ReasonUnexpectedError, "no Backend API call slot freed in time", cctx.Err())
	}
}
