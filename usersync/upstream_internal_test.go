package usersync

import (
	"testing"
	"time"
)

// Retry-After is delay-seconds or an HTTP date; anything longer than
// MaxRetryAfter, malformed or absurdly long means "give up".
func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	giveUp := MaxRetryAfter + time.Second
	for _, tc := range []struct {
		h       string
		attempt int
		want    time.Duration
	}{
		{"", 0, 250 * time.Millisecond},
		{"", 1, 500 * time.Millisecond},
		{"", 9, 4 * time.Second},
		{"0", 0, 0},
		{"1", 0, time.Second},
		{" 5 ", 0, 5 * time.Second},
		{"6", 0, giveUp},
		{"9999999", 0, giveUp},
		{"-1", 0, giveUp},
		{"1.5", 0, giveUp},
		{"Thu, 01 Jan 2026 12:00:03 GMT", 0, 3 * time.Second},
		{"Thu, 01 Jan 2026 11:00:00 GMT", 0, 0},
		{"Thu, 01 Jan 2026 12:00:06 GMT", 0, giveUp},
		{"soon", 0, giveUp},
	} {
		t.Run(tc.h, func(t *testing.T) {
			if got := retryAfter(tc.h, now, tc.attempt); got != tc.want {
				t.Fatalf("retryAfter(%q, attempt %d) = %v, want %v", tc.h, tc.attempt, got, tc.want)
			}
		})
	}
}

// FuzzRetryAfter: whatever the Backend API sends, the wait is between 0 and
// MaxRetryAfter, or the give-up value.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "1", "120", "Thu, 01 Jan 2026 12:00:03 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", "-5", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, h string) {
		d := retryAfter(h, now, 0)
		if d < 0 || d > MaxRetryAfter && d != MaxRetryAfter+time.Second {
			t.Fatalf("retryAfter(%q) = %v: outside [0, MaxRetryAfter] and not the give-up value", h, d)
		}
	})
}
