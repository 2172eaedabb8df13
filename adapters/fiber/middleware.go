package clerkfiber

import (
	"github.com/gofiber/fiber/v2"

	"github.com/clerkguard/clerkguard/core"
)

// skipped is the Result stored for requests skipped by WithSkipper.
var skipped = &core.Result{Err: core.ErrSessionTokenMissing}

// Middleware authenticates each request with a (behaviour.md §1, 3) and stores the
// outcome in c.Locals and on c.UserContext(). It never rejects (behaviour.md §7.1):
// guards do. Options: WithSkipper, WithQueryToken (behaviour.md §1.6), and WithErrorHandler as the default of the
// guards after it. Middleware panics if a is nil.
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) fiber.Handler {
	if a == nil {
		panic("clerkfiber: Middleware needs a non-nil *core.Authorizer")
	}
	cfg := core.NewMiddlewareConfig(opts)
	return func(c *fiber.Ctx) error {
		var res *core.Result
		if cfg.Skipper != nil && cfg.Skipper(c) {
			res = skipped
		} else {
			res = a.AuthenticateRoute(c.UserContext(), request{c}, cfg.Sources)
		}
		c.Locals(resultKey, res)
		if cfg.ErrorHandler != nil {
			c.Locals(handlerKey, cfg.ErrorHandler)
		}
		c.SetUserContext(core.ContextWithResult(c.UserContext(), res))
		return c.Next()
	}
}
