// Package clerkechov5 is the echo v5 (github.com/labstack/echo/v5) adapter:
// it authenticates and authorizes Clerk users and machines.
//
// The package is named clerkechov5, not clerkecho, so that a service
// migrating from echo v4 can import it beside clerkecho (the echo v4 adapter,
// github.com/clerkguard/clerkguard/adapters/echo) without an import alias,
// exactly as echo v5 itself lives beside echo v4.
//
// Middleware authenticates every request with a *core.Authorizer and never
// rejects (behaviour.md §7.1): it stores the *core.Result (claims, or the
// reason the request is signed out) on the request's context (c.SetRequest),
// which ClaimsFrom and ResultFrom read (not in the echo store: its map would
// cost allocations on every request). Guards
// (RequireAuth, RequirePermission, RequireRole, RequireFeature, RequirePlan,
// Require, RequireScope, AcceptsToken, Guard) decide with
// core.Guard.Evaluate, reject with the exact responses of every clerkguard
// adapter (core.ProblemFor: 401, 403, 503, and 500 when a guard runs without
// Middleware, behaviour.md §7.2–7.3) and never call the next handler after a
// rejection, whatever the error handler does (behaviour.md §7.4).
//
//	e := echo.New()
//	e.Use(clerkechov5.Middleware(a))
//	e.POST("/invoices", createInvoice, clerkechov5.RequirePermission("org:invoices:create"))
//
// Handlers read the claims with ClaimsFrom(c), or with core.ClaimsFromContext
// on c.Request().Context() anywhere below the handler. echo pools its
// *echo.Context values and clears their store for every request; nothing
// stored for one request is visible to the next (behaviour.md §7.5).
//
// # Error handling
//
// DefaultErrorHandler writes the response itself and returns nil: echo's
// central HTTPErrorHandler does not run for it, so it never runs twice (echo
// v5's DefaultHTTPErrorHandler would answer 500 for a *core.Error, and
// c.JSON would add a newline and a charset). To render rejections in your
// central HTTPErrorHandler instead, install a hook that writes nothing and
// returns the error:
//
//	e.Use(clerkechov5.Middleware(a, clerkechov5.WithErrorHandler(
//		func(_ *echo.Context, err error) error { return err })))
//
// and in HTTPErrorHandler recognise it with errors.As(err, new(*core.Error)):
// call DefaultErrorHandler(c, err) for the behaviour.md §7.3 bytes, or render
// your own (see ExampleWithErrorHandler). A hook must never both write a
// response and return an error.
//
// Middleware takes MiddlewareOptions (WithSkipper, WithErrorHandler); guards
// take GuardOptions (WithErrorHandler) after their argument. AcceptsToken
// takes its token types as a slice so that it takes options too.
package clerkechov5
