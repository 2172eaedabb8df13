// Package clerkgin authenticates and authorizes Clerk users and machines in
// gin (github.com/gin-gonic/gin v1) applications.
//
// Middleware authenticates every request with a *core.Authorizer and never
// rejects (behaviour.md §7.1): it stores the *core.Result (claims, or the reason the
// request is signed out) on c.Request's context, which ClaimsFrom and
// ResultFrom read (not in c.Keys: that map would cost allocations on every
// request). Guards (RequireAuth, RequirePermission, RequireRole,
// RequireFeature, RequirePlan, Require, RequireScope, AcceptsToken, Guard)
// decide with adapter.Evaluate, reject with the exact responses of every
// clerkguard adapter (core.ProblemFor: 401, 403, 503, and 500 when a guard
// runs without Middleware, behaviour.md §7.2–7.3) and call c.Abort(), so nothing after
// them runs, whatever the error handler writes (behaviour.md §7.4).
//
//	r := gin.New()
//	r.Use(clerkgin.Middleware(a))
//	r.POST("/invoices", clerkgin.RequirePermission("org:invoices:create"), createInvoice)
//
// Handlers read the claims with ClaimsFrom(c), or with core.ClaimsFromContext
// on c.Request.Context() anywhere below the handler. Passing the *gin.Context
// itself as the context.Context reaches them only when the engine has gin's
// ContextWithFallback set; c.Request.Context() always does. gin pools its contexts;
// nothing stored for one request is visible to the next (behaviour.md §7.5).
//
// Every guard takes options (WithErrorHandler) after its argument, except
// AcceptsToken, whose variadic parameter is the token types: for options use
// Guard(core.AcceptsToken(types...), opts...). Guard turns any core.Guard
// into a gin handler, e.g.
// Guard(core.RequirePermission("org:reports:read").WithTokenTypes(core.SessionToken, core.OAuthToken)).
package clerkgin
