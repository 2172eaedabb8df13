package usersync

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Bounds of the Backend API calls of one Provisioner or one Backfill run.
const (
	// DefaultMaxConcurrent is how many provisioning runs, and so Backend
	// API calls, one Provisioner makes at once (WithMaxConcurrent). Clerk
	// allows 1000 requests per 10 s per production instance and 100 per
	// development instance, shared with machine-token checks: 8 calls of
	// ~100 ms each is at most ~80 per second, and a development instance's
	// 429 answers are waited out (Retry-After).
	DefaultMaxConcurrent = 8
	// MaxRetryAfter is the longest Retry-After a 429 answer is waited out
	// for; a longer one (or one past the request's deadline) fails the call
	// at once with the 429.
	MaxRetryAfter = 5 * time.Second
	// MaxBackendBody bounds one Backend API answer (a page of 500 users is
	// a few MB); a longer one fails the call.
	MaxBackendBody = 32 << 20
	// maxRateLimitRetries is how many 429 answers one call waits out.
	maxRateLimitRetries = 2
)

var errBodyTooLarge = errors.New("usersync: Backend API answer larger than MaxBackendBody")

// upstream is the Backend API transport: at most cap(slots) requests at
// once (a slot is held until the response body is closed), and a 429 answer
// retried after its Retry-After, at most maxRateLimitRetries times, never
// waiting longer than MaxRetryAfter or the request's deadline. Only bodiless
// requests (the GETs usersync makes) are retried.
type upstream struct {
	next  http.RoundTripper
	slots chan struct{}
}

func newUpstream(next http.RoundTripper, n int) *upstream {
	if next == nil {
		next = http.DefaultTransport
	}
	return &upstream{next: next, slots: make(chan struct{}, n)}
}

func (u *upstream) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		select {
		case u.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		resp, err := u.next.RoundTrip(req)
		if err != nil {
			<-u.slots
			return nil, err
		}
		if resp.StatusCode != http.StatusTooManyRequests || attempt >= maxRateLimitRetries || req.Body != nil && req.Body != http.NoBody {
			resp.Body = &slotBody{ReadCloser: resp.Body, left: MaxBackendBody, release: func() { <-u.slots }}
			return resp, nil
		}
		wait := retryAfter(resp.Header.Get("Retry-After"), time.Now(), attempt)
		if d, ok := ctx.Deadline(); wait > MaxRetryAfter || ok && time.Until(d) < wait {
			resp.Body = &slotBody{ReadCloser: resp.Body, left: MaxBackendBody, release: func() { <-u.slots }}
			return resp, nil // waiting would outlive the request: give the 429 back
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		<-u.slots
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// slotBody gives the upstream slot back when the body is closed, and fails
// a read past MaxBackendBody.
type slotBody struct {
	io.ReadCloser
	left    int64
	once    sync.Once
	release func()
}

func (b *slotBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *slotBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// retryAfter is how long to wait before retrying a 429 answer: its
// Retry-After (delay-seconds or an HTTP date, RFC 9110 §10.2.3), else an
// exponential backoff from 250 ms. The result is never negative; values
// above MaxRetryAfter come back as MaxRetryAfter+1s so the caller gives up.
func retryAfter(h string, now time.Time, attempt int) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 250 * time.Millisecond << min(attempt, 4)
	}
	giveUp := MaxRetryAfter + time.Second
	if len(h) <= 6 && strings.Trim(h, "0123456789") == "" {
		n, err := strconv.Atoi(h)
		if err != nil || time.Duration(n)*time.Second > MaxRetryAfter {
			return giveUp
		}
		return time.Duration(n) * time.Second
	}
	if len(h) > 64 {
		return giveUp
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return giveUp
	}
	d := t.Sub(now)
	switch {
	case d < 0:
		return 0
	case d > MaxRetryAfter:
		return giveUp
	}
	return d
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
