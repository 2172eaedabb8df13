// Package clerkfiber authenticates and authorizes Clerk users and machines in
// fiber v2 (github.com/gofiber/fiber/v2) applications.
//
// Middleware authenticates every request with a *core.Authorizer, reading
// the Authorization header and the __session cookie straight from fasthttp
// (c.Get, c.Cookies; no conversion to net/http), and never rejects (behaviour.md
// §7.1): it stores the *core.Result (claims, or the reason the request is
// signed out) in c.Locals and on c.UserContext(). Guards (RequireAuth,
// RequirePermission, RequireRole, RequireFeature, RequirePlan, Require,
// RequireScope, AcceptsToken, Guard) decide with adapter.Evaluate, reject
// with the exact responses of every clerkguard adapter (core.ProblemFor: 401,
// 403, 503, and 500 when a guard runs without Middleware, behaviour.md §7.2–7.3) and
// never call c.Next() after a rejection, whatever the error handler does
// (behaviour.md §7.4).
//
//	app := fiber.New()
//	app.Use(clerkfiber.Middleware(a))
//	app.Post("/invoices", clerkfiber.RequirePermission("org:invoices:create"), createInvoice)
//
// Handlers read the claims with ClaimsFrom(c), or with core.ClaimsFromContext
// on c.UserContext() anywhere below the handler. fiber pools its contexts and
// fasthttp its buffers; nothing stored for one request is visible to the next
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
//	app.Use(clerkfiber.Middleware(a, clerkfiber.WithErrorHandler(
//		func(_ *fiber.Ctx, err error) error { return err })))
//
// and in fiber.Config.ErrorHandler recognise it with
// errors.As(err, new(*core.Error)): call DefaultErrorHandler(c, err) for the
// behaviour.md §7.3 bytes, or render your own (see ExampleWithErrorHandler).
//
// Every guard takes options (WithErrorHandler) after its argument, except
// AcceptsToken, whose variadic parameter is the token types: for options use
// Guard(core.AcceptsToken(types...), opts...). Guard turns any core.Guard
// into a fiber handler.
package clerkfiber
