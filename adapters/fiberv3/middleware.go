package clerkfiberv3

import (
	"github.com/gofiber/fiber/v3"

	"github.com/clerkguard/clerkguard/core"
)

// skipped is the Result stored for requests skipped by WithSkipper.
var skipped = &core.Result{Err: core.ErrSessionTokenMissing}

// Middleware authenticates each request with a (behaviour.md §1, §3) and
// stores the outcome in c.Locals and on c.Context(). It never rejects
// (behaviour.md §7.1): guards do. Options: WithSkipper, and WithErrorHandler
// as the default of the guards after it. Middleware panics if a is nil.
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) fiber.Handler {
	if a == nil {
		panic("clerkfiberv3: Middleware needs a non-nil *core.Authorizer")
	}
	cfg := core.NewMiddlewareConfig(opts)
	return func(c fiber.Ctx) error {
		var res *core.Result
		if cfg.Skipper != nil && cfg.Skipper(c) {
			res = skipped
		} else {
			claims, err := a.Authenticate(c.Context(), request{c})
			res = &core.Result{Claims: claims, Err: err}
		}
		fiber.Locals(c, resultKey, res)
		if cfg.ErrorHandler != nil {
			fiber.Locals(c, handlerKey, cfg.ErrorHandler)
		}
		c.SetContext(core.ContextWithResult(c.Context(), res))
		return c.Next()
	}
}
