package clerkconnect

import (
	"context"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Check applies g inside a handler, for decisions that depend on the request
// message: it returns nil when the Result on ctx satisfies g, and otherwise
// the *connect.Error to return (see Error). Without the interceptor (or a
// clerkguard HTTP middleware) in front it returns CodeInternal
// (auth-middleware-missing) and logs the wiring mistake: never a pass
// (behaviour.md §7.2).
func Check(ctx context.Context, g core.Guard) error {
	if err := adapter.EvaluateContext(ctx, g); err != nil {
		return Error(err, g)
	}
	return nil
}
