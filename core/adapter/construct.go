package adapter

import (
	"context"

	"github.com/clerkguard/clerkguard/core"
)

// MustAuthorizer panics with "<constructor> needs a non-nil
// *core.Authorizer" when a is nil: a programming error caught at startup.
// constructor names the adapter's function as a user reads it in a stack
// trace ("clerkgin: Middleware", "clerkconnect: NewInterceptor").
func MustAuthorizer(constructor string, a *core.Authorizer) {
	if a == nil {
		panic(constructor + " needs a non-nil *core.Authorizer")
	}
}

// MustMiddlewareConfig is how an adapter's Middleware starts: it panics when
// a is nil (MustAuthorizer, naming "<adapter>: Middleware"), applies opts
// (NewMiddlewareConfig) and panics when they ask for a handshake a cannot
// run (MustBrowserSessions). adapter is the package name ("clerkgin").
func MustMiddlewareConfig[H, R any](adapter string, a *core.Authorizer, opts []MiddlewareOption[H, R]) MiddlewareConfig[H, R] {
	MustAuthorizer(adapter+": Middleware", a)
	c := NewMiddlewareConfig(opts)
	c.MustBrowserSessions(adapter, a)
	return c
}

// EvaluateContext is Evaluate for a guard applied inside a handler (an RPC
// adapter's Check): the State is the one on ctx (StateFromContext; nil,
// hence ReasonMiddlewareMissing, when no middleware or interceptor stored
// one) and there is no request beyond ctx.
func EvaluateContext(ctx context.Context, g core.Guard) error {
	st, _ := StateFromContext(ctx)
	return Evaluate(ctx, g, st, nil)
}
