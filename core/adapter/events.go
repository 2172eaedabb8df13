package adapter

import (
	"context"

	"github.com/clerkguard/clerkguard/core"
)

// observeGuard reports g's decision err on s's request to the Guard
// function of the Authorizer that authenticated it (core.WithEvents,
// behaviour.md §13.1); nothing when it has none or s holds a Result built by
// hand.
func (s *State) observeGuard(ctx context.Context, g core.Guard, err error) {
	if s.guard == nil {
		return
	}
	e := core.GuardEvent{Guard: g.Name(), Allowed: err == nil, Reason: core.ReasonOf(err)}
	if s.res.Claims != nil {
		e.TokenType = s.res.Claims.TokenType
	}
	s.guard(ctx, e)
}
