// Package clerkfiberv3 is the fiber v3 (github.com/gofiber/fiber/v3) adapter:
// it authenticates and authorizes Clerk users and machines.
//
// The package is named clerkfiberv3, not clerkfiber, so that a service
// migrating from fiber v2 can import it beside clerkfiber (the fiber v2
// adapter, github.com/clerkguard/clerkguard/adapters/fiber) without an import
// alias, exactly as fiber v3 itself lives beside fiber v2.
//
// Middleware authenticates every request with a *core.Authorizer, reading
// the Authorization header and the __session cookie straight from fasthttp
// (c.Get, c.Cookies; no conversion to net/http), and never rejects
// (behaviour.md §7.1): it stores the *core.Result (claims, or the reason the
// request is signed out) in c.Locals and on the request's standard context
// (c.SetContext, read back with c.Context()). Guards (RequireAuth,
// RequirePermission, RequireRole, RequireFeature, RequirePlan, Require,
// RequireScope, AcceptsToken, Guard) decide with core.Guard.Evaluate, reject
// with the exact responses of every clerkguard adapter (core.ProblemFor: 401,
// 403, 503, and 500 when a guard runs without Middleware, behaviour.md
// §7.2–7.3) and never call c.Next() after a rejection, whatever the error
// handler does (behaviour.md §7.4).
//
//	app := fiber.New()
//	app.Use(clerkfiberv3.Middleware(a))
//	app.Post("/invoices", clerkfiberv3.RequirePermission("org:invoices:create"), createInvoice)
//
// Handlers read the claims with ClaimsFrom(c), or with core.ClaimsFromContext
// on c.Context() anywhere below the handler. fiber.Ctx is itself a
// context.Context whose Value reads c.Locals, but core's key is not a Locals
// key: pass c.Context(), not c, to code that looks for the claims. fiber pools
// its contexts and fasthttp resets Locals and the stored context for every
// request; nothing stored for one request is visible to the next
// (behaviour.md §7.5).
//
// # Error handling
//
// DefaultErrorHandler writes the response directly (status, every header of
// core.ProblemFor, body bytes) and returns nil, because fiber's default
// ErrorHandler answers in plain text. To render rejections in your app's
// ErrorHandler instead, install a hook that writes nothing and returns the
// error:
//
//	app.Use(clerkfiberv3.Middleware(a, clerkfiberv3.WithErrorHandler(
//		func(_ fiber.Ctx, err error) error { return err })))
//
// and in fiber.Config.ErrorHandler recognise it with
// errors.As(err, new(*core.Error)): call DefaultErrorHandler(c, err) for the
// behaviour.md §7.3 bytes, or render your own (see ExampleWithErrorHandler).
//
// Middleware takes MiddlewareOptions (WithSkipper, WithErrorHandler); guards
// take GuardOptions (WithErrorHandler) after their argument. AcceptsToken
// takes its token types as a slice so that it takes options too.
package clerkfiberv3
