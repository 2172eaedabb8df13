package core

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultLogSampling is how often, at most, a rejection of one reason is
// logged by default (behaviour.md §7.6).
const DefaultLogSampling = 10 * time.Second

// maxLogSlots bounds the reasons a sampler keeps apart (behaviour.md §7.7).
// clerkguard has about thirty reason codes; any reason past the bound shares
// one slot, so memory stays fixed whatever reasons an application makes up.
const maxLogSlots = 64

// WithLogSampling sets how often, at most, a rejection log line of one
// reason is written (behaviour.md §7.6): the first "request signed out" or
// "request forbidden" line of each reason is logged, the following ones of
// that reason within interval are counted instead, and the next line of that
// reason written after interval carries the count as the attribute
// "suppressed". Each reason is sampled on its own, so a flood of forged
// tokens (token-invalid-signature) never hides a line of another reason, and
// 503 reasons (keys or the Backend API unavailable) keep their own line, at
// error level, at least once per interval. The default is
// DefaultLogSampling (10 s); zero keeps it; a negative interval is a
// configuration error. A very short interval (time.Nanosecond) logs nearly
// every rejection, for debugging. The clock is the one set by WithClock.
func WithLogSampling(interval time.Duration) Option {
	return func(c *config) error {
		if interval < 0 {
			return configError("log sampling interval must not be negative, got %v", interval)
		}
		if interval > 0 {
			c.logSampling = interval
		}
		return nil
	}
}

// logSampler decides which rejection log lines are written (behaviour.md
// §7.6, §7.7). It is safe for concurrent use and allocates nothing once a
// reason has its slot.
type logSampler struct {
	every time.Duration
	now   func() time.Time
	slots sync.Map // Reason -> *logSlot
	n     atomic.Int32
	other logSlot // shared by reasons past maxLogSlots
}

// logSlot is the sampling state of one reason.
type logSlot struct {
	next    atomic.Int64 // Unix nanoseconds before which lines are counted
	dropped atomic.Int64 // lines counted since the last one written
}

func newLogSampler(every time.Duration, now func() time.Time) *logSampler {
	if every <= 0 {
		every = DefaultLogSampling
	}
	return &logSampler{every: every, now: now}
}

// admit reports whether a line of reason r may be written now and, if so,
// how many lines of r were counted instead since the last one written.
func (s *logSampler) admit(r Reason) (ok bool, suppressed int64) {
	sl := s.slot(r)
	now := s.now().UnixNano()
	next := sl.next.Load()
	// A clock set back by more than an interval (now before the last line
	// written, next-every, by over every) must not silence a reason until it
	// catches up: the slot then opens at once.
	if now < next && next-now <= 2*int64(s.every) {
		sl.dropped.Add(1)
		return false, 0
	}
	if !sl.next.CompareAndSwap(next, now+int64(s.every)) {
		// Another request took this interval's line.
		sl.dropped.Add(1)
		return false, 0
	}
	return true, sl.dropped.Swap(0)
}

// slot returns r's slot, creating it while fewer than maxLogSlots exist.
func (s *logSampler) slot(r Reason) *logSlot {
	if v, ok := s.slots.Load(r); ok {
		return v.(*logSlot)
	}
	if s.n.Add(1) > maxLogSlots {
		s.n.Add(-1)
		return &s.other
	}
	v, loaded := s.slots.LoadOrStore(r, new(logSlot))
	if loaded {
		s.n.Add(-1)
	}
	return v.(*logSlot)
}

// appendSuppressed adds the count of lines of the same reason left out since
// the last one written (behaviour.md §7.6), when there were any.
func appendSuppressed(attrs []slog.Attr, n int64) []slog.Attr {
	if n > 0 {
		attrs = append(attrs, slog.Int64("suppressed", n))
	}
	return attrs
}

// Rejection log messages, sampled per reason (behaviour.md §7.6).
const (
	msgSignedOut = "clerkguard: request signed out"
	msgForbidden = "clerkguard: request forbidden"
)

// sampledHandler is the handler of the logger Authorizer.Logger returns: a
// rejection line (msgSignedOut, msgForbidden) written through it, by an
// adapter's guard for instance, is sampled by its "reason" attribute with
// the Authorizer's sampler, exactly like the Authorizer's own lines; other
// records pass through.
type sampledHandler struct {
	slog.Handler
	s *logSampler
}

// Handle implements slog.Handler.
func (h sampledHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == msgSignedOut || r.Message == msgForbidden {
		var reason string
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "reason" {
				reason = a.Value.String()
				return false
			}
			return true
		})
		ok, suppressed := h.s.admit(Reason(reason))
		if !ok {
			return nil
		}
		if suppressed > 0 {
			r = r.Clone()
			r.AddAttrs(slog.Int64("suppressed", suppressed))
		}
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h sampledHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return sampledHandler{Handler: h.Handler.WithAttrs(attrs), s: h.s}
}

// WithGroup implements slog.Handler.
func (h sampledHandler) WithGroup(name string) slog.Handler {
	return sampledHandler{Handler: h.Handler.WithGroup(name), s: h.s}
}
