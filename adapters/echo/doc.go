// Package clerkecho authenticates and authorizes Clerk users and machines in
// echo (github.com/labstack/echo/v4) applications.
//
// Middleware authenticates every request with a *core.Authorizer and never
// rejects (SPEC 7.1); guards (RequireAuth, RequirePermission, RequireRole,
// RequireFeature, RequirePlan, Require, RequireScope, AcceptsToken, Guard)
// reject with the exact responses of every clerkguard adapter (SPEC 7.3) and
// do not call the next handler, whatever the error handler does. Claims are
// stored in the echo context (ClaimsFrom) and on the request's context
// (core.ClaimsFromContext).
//
// DefaultErrorHandler writes the response itself and returns nil, so echo's
// central HTTPErrorHandler never runs a second time for it. To route
// rejections through your central handler instead, install
//
//	clerkecho.WithErrorHandler(func(c echo.Context, err error) error {
//		p := core.ProblemFor(err)
//		return echo.NewHTTPError(p.Status, p.Reason).SetInternal(err)
//	})
//
// and never write a response in that hook.
package clerkecho
