package clerkechov5

import (
	"github.com/labstack/echo/v5"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Middleware authenticates each request with a (behaviour.md §1, §3) and
// stores the outcome on the request's context
// (c.SetRequest). It never rejects (behaviour.md §7.1): guards do. Options:
// WithSkipper, WithQueryToken (behaviour.md §1.6), and WithErrorHandler as the default of the guards after it.
// Middleware panics if a is nil.
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) echo.MiddlewareFunc {
	cfg := adapter.MustMiddlewareConfig("clerkechov5", a, opts)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			r, st := cfg.NewRequest(a, c, c.Request())
			c.SetRequest(r)
			if st.WriteAnswer(c.Response()) {
				return nil // behaviour.md §7.1: the handshake answers
			}
			return next(c)
		}
	}
}
