package clerkfiberv3

import (
	"github.com/gofiber/fiber/v3"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Middleware authenticates each request with a (behaviour.md §1, §3) and
// stores the outcome in c.Locals and on c.Context(). It never rejects
// (behaviour.md §7.1): guards do. Options: WithSkipper, WithQueryToken (behaviour.md §1.6), and WithErrorHandler
// as the default of the guards after it. Middleware panics if a is nil.
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) fiber.Handler {
	cfg := adapter.MustMiddlewareConfig("clerkfiberv3", a, opts)
	return func(c fiber.Ctx) error {
		st := cfg.NewState(c.Context(), a, c, viewOf(c))
		// c.Locals(k, v) is fasthttp's SetUserValue behind a variadic
		// interface method, whose []any argument escapes: one allocation per
		// request saved by calling SetUserValue itself. fiber.Locals reads it.
		c.RequestCtx().SetUserValue(stateKey, st)
		c.SetContext(st)
		if ans := st.Answer(); adapter.AddAnswer(&c.Response().Header, ans) {
			c.Status(ans.Status) // behaviour.md §7.1: the handshake answers
			return nil
		}
		return c.Next()
	}
}
