package usersync

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// The memory of permanent failures expires after its TTL (the boundary
// itself is expired) and never holds more than max entries; expired ones are
// evicted first.
func TestNegativeMemoryBounded(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	n := &negative{ttl: time.Minute, max: 3, now: func() time.Time { return now }}
	gone := errors.New("gone")
	if !n.put("a", gone) || n.put("a", gone) {
		t.Fatal("put must report a new entry once per TTL")
	}
	now = t0.Add(time.Minute - time.Nanosecond)
	if n.get("a") != gone {
		t.Fatal("an entry must hold until its TTL ends")
	}
	now = t0.Add(time.Minute)
	if n.get("a") != nil {
		t.Fatal("an entry must expire at its TTL")
	}
	if !n.put("a", gone) {
		t.Fatal("after the TTL the failure is new again (logged once per TTL)")
	}
	now = t0.Add(2 * time.Minute) // "a" expired
	n.put("b", gone)
	n.put("c", gone)
	n.put("d", gone) // full (a expired, b, c): a goes first
	if n.len() != 3 || n.get("b") != gone || n.get("c") != gone || n.get("d") != gone {
		t.Fatalf("an expired entry must be evicted first: len %d", n.len())
	}
	for i := range 100 {
		n.put(fmt.Sprint("x", i), gone)
		if n.len() > 3 {
			t.Fatalf("memory grew to %d entries, bound 3", n.len())
		}
	}
}
