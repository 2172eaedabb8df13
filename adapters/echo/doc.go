// Package clerkecho authenticates and authorizes Clerk users and machines in
// echo v4 (github.com/labstack/echo/v4) applications.
//
// Middleware authenticates every request with a *core.Authorizer and never
// rejects (behaviour.md §7.1): it stores the *core.Result (claims, or the reason the
// request is signed out) on the request's context (c.SetRequest), which
// ClaimsFrom and ResultFrom read (not in the echo store: its map would cost
// allocations on every request). Guards (RequireAuth, RequirePermission,
// RequireRole, RequireFeature, RequirePlan, Require, RequireScope,
// AcceptsToken, Guard) decide with adapter.Evaluate, reject with the exact
// responses of every clerkguard adapter (core.ProblemFor: 401, 403, 503, and
// 500 when a guard runs without Middleware, behaviour.md §7.2–7.3) and never call the
// next handler after a rejection, whatever the error handler does (behaviour.md §7.4).
//
//	e := echo.New()
//	e.Use(clerkecho.Middleware(a))
//	e.POST("/invoices", createInvoice, clerkecho.RequirePermission("org:invoices:create"))
//
// Handlers read the claims with ClaimsFrom(c), or with core.ClaimsFromContext
// on c.Request().Context() anywhere below the handler.
//
// # Error handling
//
// DefaultErrorHandler writes the response itself and returns nil: echo's
// central HTTPErrorHandler does not run for it, so it never runs twice. To
// render rejections in your central HTTPErrorHandler instead, install a hook
// that writes nothing and returns the error:
//
//	e.Use(clerkecho.Middleware(a, clerkecho.WithErrorHandler(
//		func(_ echo.Context, err error) error { return err })))
//
// and in HTTPErrorHandler recognise it with errors.As(err, new(*core.Error)):
// call DefaultErrorHandler(c, err) for the behaviour.md §7.3 bytes, or render your own
// (see ExampleWithErrorHandler). A hook must never both write a response and
// return an error.
//
// Every guard takes options (WithErrorHandler) after its argument, except
// AcceptsToken, whose variadic parameter is the token types: for options use
// Guard(core.AcceptsToken(types...), opts...). Guard turns any core.Guard
// into echo middleware.
package clerkecho
