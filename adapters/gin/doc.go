// Package clerkgin authenticates and authorizes Clerk users and machines in
// gin (github.com/gin-gonic/gin v1) applications.
//
// Middleware authenticates every request with a *core.Authorizer and never
// rejects (SPEC 7.1); guards (RequireAuth, RequirePermission, RequireRole,
// RequireFeature, RequirePlan, Require, RequireScope, AcceptsToken, Guard)
// reject with the exact responses of every clerkguard adapter (SPEC 7.3) and
// call c.Abort(), so nothing after them runs, whatever the error handler
// writes. Claims are stored in the gin context (ClaimsFrom) and on
// c.Request's context (core.ClaimsFromContext).
//
//	r := gin.New()
//	r.Use(clerkgin.Middleware(a))
//	r.POST("/invoices", clerkgin.RequirePermission("org:invoices:create"), createInvoice)
package clerkgin
