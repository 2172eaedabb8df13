package clerkchi

import (
	"net/http"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Middleware authenticates each request with a (behaviour.md §1, 3) and stores the
// outcome on the request context (core.ResultFromContext, ResultFrom): the claims when
// signed in, else the error saying why the request is signed out. It never
// rejects a request (behaviour.md §7.1): guards do. The verification is bounded by the
// request's context.
//
// Options: WithSkipper, WithQueryToken (behaviour.md §1.6), and WithErrorHandler as the default of the guards
// below. Middleware panics if a is nil (a programming error caught at
// startup).
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) func(http.Handler) http.Handler {
	cfg := adapter.MustMiddlewareConfig("clerkchi", a, opts)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r, st := cfg.NewRequest(a, r, r)
			if st.WriteAnswer(w) {
				return // behaviour.md §7.1: the handshake answers
			}
			next.ServeHTTP(w, r)
		})
	}
}
