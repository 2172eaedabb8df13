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
// With WithHandshake it runs Clerk's browser-session flow
// (core.Authorizer.AuthenticateBrowser, behaviour.md §10) and then answers
// exactly when behaviour.md §7.1 says: a 307 handshake redirect for a page
// load whose session must be refreshed, or the redirect that resolves a
// returning handshake in development; the cookies of a resolved handshake or
// a refresh are added to the response of a request that continues.
//
// Options: WithSkipper, WithHandshake, and WithErrorHandler as the default of
// the guards below. Middleware panics if a is nil, or WithHandshake is given
// an Authorizer without a publishable key (programming errors caught at
// startup).
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) func(http.Handler) http.Handler {
	if a == nil {
		panic("clerkchi: Middleware needs a non-nil *core.Authorizer")
	}
	cfg := core.NewMiddlewareConfig(opts)
	if cfg.Handshake {
		core.MustBrowserSessions("clerkchi", a)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			var res *core.Result
			switch {
			case cfg.Skipper != nil && cfg.Skipper(r):
				res = skipped
			case cfg.Handshake:
				res = new(core.Result)
				if a.AuthenticateBrowser(ctx, core.HTTPRequest(r), res).WriteTo(w) {
					return // behaviour.md §7.1: the handshake answers
				}
			default:
				res = a.AuthenticateResult(ctx, core.HTTPRequest(r))
			}
			ctx = core.ContextWithResult(ctx, res)
			if cfg.ErrorHandler != nil {
				ctx = context.WithValue(ctx, errorHandlerKey{}, cfg.ErrorHandler)
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
