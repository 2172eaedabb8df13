package clerktest

import (
	"sync"
	"time"
)

// Clock is a controllable clock, safe for concurrent use. Pass its Now method
// to core.WithClock and to the Issuer so that tokens and checks agree.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock set to t (or to a fixed instant when t is zero).
func NewClock(t time.Time) *Clock {
	if t.IsZero() {
		t = time.Date(2026, time.January, 2, 15, 4, 5, 0, time.UTC)
	}
	return &Clock{t: t}
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d (backward when d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
