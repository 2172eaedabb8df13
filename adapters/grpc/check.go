package clerkgrpc

import (
	"context"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Check applies g inside a handler, for decisions that depend on the request
// message (the organization an invoice belongs to, …): it returns nil when
// the Result the interceptor stored on ctx satisfies g, and otherwise the
// status error to return (Unauthenticated, PermissionDenied, Unavailable),
// with the reason trailers set. Without an interceptor in front it returns
// codes.Internal (auth-middleware-missing) and logs the wiring mistake: never
// a pass (behaviour.md §7.2).
func Check(ctx context.Context, g core.Guard) error {
	if err := adapter.EvaluateContext(ctx, g); err != nil {
		return reject(err, g, contextTrailer(ctx))
	}
	return nil
}
