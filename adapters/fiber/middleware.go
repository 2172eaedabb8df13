package clerkfiber

import (
	"github.com/gofiber/fiber/v2"

	"github.com/clerkguard/clerkguard/core"
)

// skipped is the Result stored for requests skipped by WithSkipper.
var skipped = &core.Result{Err: core.ErrSessionTokenMissing}

// Middleware authenticates each request with a (behaviour.md §1, 3) and stores the
// outcome in c.Locals and on c.UserContext(). It never rejects (behaviour.md §7.1):
// guards do. Options: WithSkipper, and WithErrorHandler as the default of the
// guards after it. Middleware panics if a is nil.
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) fiber.Handler {
	if a == nil {
		panic("clerkfiber: Middleware needs a non-nil *core.Authorizer")
	}
	cfg := core.NewMiddlewareConfig(opts)
	if cfg.Handshake {
		core.MustBrowserSessions("clerkfiber", a)
	}
	return func(c *fiber.Ctx) error {
		var res *core.Result
		switch {
		case cfg.Skipper != nil && cfg.Skipper(c):
			res = skipped
		case cfg.Handshake:
			res = new(core.Result)
			ans := a.AuthenticateBrowser(c.UserContext(), request{c}, res)
			ans.Each(c.Response().Header.Add)
			if ans.Stops() {
				c.Status(ans.Status) // behaviour.md §7.1: the handshake answers
				return nil
			}
		default:
			res = a.AuthenticateResult(c.UserContext(), request{c})
		}
		c.Locals(resultKey, res)
		if cfg.ErrorHandler != nil {
			c.Locals(handlerKey, cfg.ErrorHandler)
		}
		c.SetUserContext(core.ContextWithResult(c.UserContext(), res))
		return c.Next()
	}
}
