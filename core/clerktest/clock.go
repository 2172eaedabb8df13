package clerktest

import (
	"sync"
	"sync/atomic"
	"time"
)

// Clock is a controllable clock, safe for concurrent use. Pass its Now method
// to core.WithClock and to the Issuer so that tokens and checks agree.
//
// Now takes no lock (an atomic load), so parallel tests and benchmarks that
// read the clock on every request do not serialise on it.
type Clock struct {
	mu sync.Mutex // serialises Advance and Set
	t  atomic.Pointer[time.Time]
}

// NewClock returns a clock set to t (or to a fixed instant when t is zero).
func NewClock(t time.Time) *Clock {
	if t.IsZero() {
		t = time.Date(2026, time.January, 2, 15, 4, 5, 0, time.UTC)
	}
	c := &Clock{}
	c.t.Store(&t)
	return c
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time { return *c.t.Load() }

// Advance moves the clock forward by d (backward when d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	t := c.t.Load().Add(d)
	c.t.Store(&t)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t.Store(&t)
	c.mu.Unlock()
}
