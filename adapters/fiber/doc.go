// Package clerkfiber authenticates and authorizes Clerk users and machines in
// fiber (github.com/gofiber/fiber/v2) applications.
//
// Middleware authenticates every request with a *core.Authorizer, reading
// the Authorization header and the __session cookie straight from fasthttp
// (no conversion to net/http), and never rejects (SPEC 7.1). Guards
// (RequireAuth, RequirePermission, RequireRole, RequireFeature, RequirePlan,
// Require, RequireScope, AcceptsToken, Guard) reject with the exact
// responses of every clerkguard adapter (SPEC 7.3) and do not call c.Next(),
// whatever the error handler does. Claims are stored in c.Locals (ClaimsFrom)
// and on c.UserContext() (core.ClaimsFromContext).
//
// DefaultErrorHandler writes the response directly (fiber's own default
// error handler would answer in plain text). To delegate to your app's
// ErrorHandler instead, install a WithErrorHandler hook that returns
// fiber.NewError(core.ProblemFor(err).Status, …).
package clerkfiber
