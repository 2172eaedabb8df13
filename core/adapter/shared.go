package adapter

import (
	"context"
	"hash/maphash"
	"sync/atomic"

	"github.com/clerkguard/clerkguard/core"
)

// sharedStates remembers, for one middleware, the State of recent signed-in
// requests whose parent context is context.Background(). Such a State holds
// nothing of its request: its Result is the cached *core.Claims the
// Authorizer returns for every request with the same token (claims are
// shared and never modified), its logger and error handler are the
// middleware's. Requests with the same claims then share one State instead
// of allocating their own.
//
// It is direct-mapped and bounded (a slot per hash of the claims pointer; a
// newer State replaces an older one), lock-free, and never a correctness
// matter: a miss allocates a fresh State. A held State keeps its claims
// alive, so a pointer seen in a slot is never reused for other claims.
type sharedStates struct {
	seed  maphash.Seed
	slots [sharedSlots]atomic.Pointer[State]
}

const sharedSlots = 256

func newSharedStates() *sharedStates { return &sharedStates{seed: maphash.MakeSeed()} }

// state returns the shared State of claims, creating it on a miss.
func (s *sharedStates) state(claims *core.Claims, a *core.Authorizer, handler any) *State {
	slot := &s.slots[maphash.Comparable(s.seed, claims)%sharedSlots]
	logger := a.Logger()
	if st := slot.Load(); st != nil && st.res.Claims == claims && st.logger == logger {
		return st
	}
	st := &State{parent: context.Background(), res: core.Result{Claims: claims}, logger: logger, guard: a.GuardObserver(),
		handler: handler}
	slot.Store(st)
	return st
}
