package clerkgin

import (
	"github.com/gin-gonic/gin"

	"github.com/clerkguard/clerkguard/core"
)

// skipped is the Result stored for requests skipped by WithSkipper.
var skipped = &core.Result{Err: core.ErrSessionTokenMissing}

// Middleware authenticates each request with a (behaviour.md §1, 3) and stores the
// outcome in the gin context and on c.Request's context. It never rejects
// (behaviour.md §7.1): guards do. Options: WithSkipper, WithQueryToken (behaviour.md §1.6), and WithErrorHandler as the
// default of the guards after it. Middleware panics if a is nil.
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) gin.HandlerFunc {
	if a == nil {
		panic("clerkgin: Middleware needs a non-nil *core.Authorizer")
	}
	cfg := core.NewMiddlewareConfig(opts)
	return func(c *gin.Context) {
		var res *core.Result
		if cfg.Skipper != nil && cfg.Skipper(c) {
			res = skipped
		} else {
			res = a.AuthenticateRoute(c.Request.Context(), core.HTTPRequest(c.Request), cfg.Sources)
		}
		c.Set(resultKey, res)
		if cfg.ErrorHandler != nil {
			c.Set(handlerKey, cfg.ErrorHandler)
		}
		c.Request = c.Request.WithContext(core.ContextWithResult(c.Request.Context(), res))
		c.Next()
	}
}
