package clerkecho

import (
	"github.com/labstack/echo/v4"

	"github.com/clerkguard/clerkguard/core"
)

// skipped is the Result stored for requests skipped by WithSkipper.
var skipped = &core.Result{Err: core.ErrSessionTokenMissing}

// Middleware authenticates each request with a (behaviour.md §1, 3) and stores the
// outcome in the echo context and on the request's context (c.SetRequest).
// It never rejects (behaviour.md §7.1): guards do. Options: WithSkipper, WithQueryToken (behaviour.md §1.6), and
// WithErrorHandler as the default of the guards after it. Middleware panics
// if a is nil.
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) echo.MiddlewareFunc {
	if a == nil {
		panic("clerkecho: Middleware needs a non-nil *core.Authorizer")
	}
	cfg := core.NewMiddlewareConfig(opts)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			var res *core.Result
			if cfg.Skipper != nil && cfg.Skipper(c) {
				res = skipped
			} else {
				res = a.AuthenticateRoute(r.Context(), core.HTTPRequest(r), cfg.Sources)
			}
			c.Set(resultKey, res)
			if cfg.ErrorHandler != nil {
				c.Set(handlerKey, cfg.ErrorHandler)
			}
			c.SetRequest(r.WithContext(core.ContextWithResult(r.Context(), res)))
			return next(c)
		}
	}
}
