package clerkchi

import (
	"context"
	"net/http"

	"github.com/clerkguard/clerkguard/core"
)

// skipped is the Result stored for requests skipped by WithSkipper.
var skipped = &core.Result{Err: core.ErrSessionTokenMissing}

// Middleware authenticates each request with a (behaviour.md §1, 3) and stores the
// outcome on the request context with core.ContextWithResult: the claims when
// signed in, else the error saying why the request is signed out. It never
// rejects a request (behaviour.md §7.1): guards do. The verification is bounded by the
// request's context.
//
// Options: WithSkipper, WithQueryToken (behaviour.md §1.6), and WithErrorHandler as the default of the guards
// below. Middleware panics if a is nil (a programming error caught at
// startup).
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) func(http.Handler) http.Handler {
	if a == nil {
		panic("clerkchi: Middleware needs a non-nil *core.Authorizer")
	}
	cfg := core.NewMiddlewareConfig(opts)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			var res *core.Result
			if cfg.Skipper != nil && cfg.Skipper(r) {
				res = skipped
			} else {
				res = a.AuthenticateRoute(ctx, core.HTTPRequest(r), cfg.Sources)
			}
			ctx = core.ContextWithResult(ctx, res)
			if cfg.ErrorHandler != nil {
				ctx = context.WithValue(ctx, errorHandlerKey{}, cfg.ErrorHandler)
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
