package core

import (
	"fmt"
	"testing"
	"time"
)

// behaviour.md §7.7: the sampler's memory is bounded whatever reasons it
// sees: past maxLogSlots distinct reasons share one slot, which is sampled
// like any other (its first line is written, the rest are counted).
func TestRule7_7_LogSamplerMemoryBounded(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	s := newLogSampler(time.Minute, func() time.Time { return now })
	written := 0
	for i := 0; i < 10*maxLogSlots; i++ {
		if ok, _ := s.admit(Reason(fmt.Sprintf("made-up-%d", i))); ok {
			written++
		}
	}
	slots := 0
	s.slots.Range(func(any, any) bool { slots++; return true })
	if slots != maxLogSlots || int(s.n.Load()) != maxLogSlots {
		t.Fatalf("behaviour.md §7.7: %d slots (counter %d) after %d reasons, want %d", slots, s.n.Load(), 10*maxLogSlots, maxLogSlots)
	}
	if written != maxLogSlots+1 {
		t.Fatalf("behaviour.md §7.7: %d lines written, want one per slot (%d) and one for the shared slot", written, maxLogSlots+1)
	}
	// A reason that has its slot keeps it.
	if ok, _ := s.admit("made-up-0"); ok {
		t.Fatal("behaviour.md §7.6: a second line of a reason inside the interval must be counted")
	}
	now = now.Add(time.Minute)
	if ok, n := s.admit("made-up-0"); !ok || n != 1 {
		t.Fatalf("behaviour.md §7.6: after the interval: admit = %v, %d; want true, 1", ok, n)
	}
	if ok, n := s.admit("made-up-999"); !ok || n != int64(10*maxLogSlots-maxLogSlots-1) {
		t.Fatalf("behaviour.md §7.7: the shared slot must count every line it left out: admit = %v, %d", ok, n)
	}
}

// behaviour.md §7.6: a clock set back by more than an interval does not
// silence a reason until it catches up; within an interval it does not
// reopen early.
func TestRule7_6_LogSamplerClockSetBack(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	s := newLogSampler(time.Minute, func() time.Time { return now })
	if ok, _ := s.admit(ReasonTokenInvalid); !ok {
		t.Fatal("first line must be written")
	}
	now = now.Add(-time.Second)
	if ok, _ := s.admit(ReasonTokenInvalid); ok {
		t.Fatal("a clock 1 s back is still inside the interval")
	}
	now = now.Add(-time.Hour)
	if ok, n := s.admit(ReasonTokenInvalid); !ok || n != 1 {
		t.Fatalf("a clock an hour back: admit = %v, %d; want true, 1", ok, n)
	}
}

// BenchmarkLogSamplerAdmit is the cost a sampled-out rejection pays.
//
//	go test -run '^$' -bench 'LogSamplerAdmit' -benchmem -cpu 1,2 ./core
func BenchmarkLogSamplerAdmit(b *testing.B) {
	s := newLogSampler(time.Hour, time.Now)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.admit(ReasonTokenInvalidSignature)
		}
	})
}
