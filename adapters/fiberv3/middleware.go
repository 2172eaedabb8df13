package clerkfiberv3

import (
	"github.com/gofiber/fiber/v3"

	"github.com/clerkguard/clerkguard/core"
)

// skipped is the Result stored for requests skipped by WithSkipper.
var skipped = &core.Result{Err: core.ErrSessionTokenMissing}

// authState is what Middleware allocates per request, in one object: the
// Result it stores and the core.Request view Authenticate reads. fiber.Ctx
// is an interface (two words), so request{c} would need an allocation of its
// own to become a core.Request; a pointer into authState does not.
type authState struct {
	res core.Result
	req request
}

// Middleware authenticates each request with a (behaviour.md §1, §3) and
// stores the outcome in c.Locals and on c.Context(). It never rejects
// (behaviour.md §7.1): guards do. Options: WithSkipper, WithQueryToken (behaviour.md §1.6), and WithErrorHandler
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
			st := &authState{req: request{c}}
			a.AuthenticateRouteInto(c.Context(), &st.req, cfg.Sources, &st.res)
			res = &st.res
		}
		// c.Locals(k, v) is fasthttp's SetUserValue behind a variadic
		// interface method, whose []any argument escapes: one allocation per
		// request saved by calling SetUserValue itself. fiber.Locals reads it.
		uv := c.RequestCtx()
		uv.SetUserValue(resultKey, res)
		if cfg.ErrorHandler != nil {
			uv.SetUserValue(handlerKey, cfg.ErrorHandler)
		}
		c.SetContext(core.ContextWithResult(c.Context(), res))
		return c.Next()
	}
}
