package usersync

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// Waiters share the leader's result; when the leader's own request ends
// mid-flight, a waiter whose request is alive runs the work itself instead
// of failing with it; a waiter whose request ends stops waiting.
func TestFlights(t *testing.T) {
	var g flights
	var runs atomic.Int32
	release := make(chan struct{})
	leaderCtx, cancelLeader := context.WithCancel(t.Context())
	leaderDone := make(chan error, 1)
	go func() {
		leaderDone <- g.do(leaderCtx, "k", func() error {
			runs.Add(1)
			<-leaderCtx.Done()
			return leaderCtx.Err()
		})
	}()
	for runs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	waiterDone := make(chan error, 1)
	go func() {
		waiterDone <- g.do(t.Context(), "k", func() error { runs.Add(1); <-release; return nil })
	}()
	shortCtx, cancelShort := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancelShort()
	if err := g.do(shortCtx, "k", func() error { t.Error("a waiter ran while the leader was in flight"); return nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiter whose request ended: %v", err)
	}
	cancelLeader()
	if err := <-leaderDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader: %v", err)
	}
	close(release)
	if err := <-waiterDone; err != nil || runs.Load() != 2 {
		t.Fatalf("waiter after the leader's request ended: %v, %d runs (want it to take over: 2)", err, runs.Load())
	}
	failed := errors.New("backend down")
	if err := g.do(t.Context(), "k", func() error { return failed }); !errors.Is(err, failed) {
		t.Fatalf("result not returned: %v", err)
	}
}
