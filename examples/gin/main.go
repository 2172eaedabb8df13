// Command gin is the example API on gin with the clerkgin adapter.
//
//	go run ./examples/gin
//
// With no CLERK_* variable set it starts in local dev mode (an in-process dev
// issuer, loopback only) and prints curl commands with tokens for an org
// admin, a plain member and a signed-out call. Set CLERK_SECRET_KEY (or
// CLERK_JWT_KEY, CLERK_JWKS_URL; optionally CLERK_AUTHORIZED_PARTIES) to use
// a real Clerk instance; ADDR sets the listen address (default
// 127.0.0.1:8080).
//
// Routes: GET /health (public), GET /me (signed in), POST /invoices
// (permission org:invoices:create), GET /admin (role admin),
// GET /billing/reports (plan pro and feature reports).
package main

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

func main() {
	exampleapp.Main("gin", func(ctx context.Context, app *exampleapp.App) error {
		return app.ServeHTTP(ctx, routes(app.Authorizer))
	})
}

// routes is the example API: the middleware authenticates every request,
// the guards decide per route (and abort the chain when they refuse).
func routes(a *core.Authorizer) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), clerkgin.Middleware(a))
	r.GET(exampleapp.PathHealth, func(c *gin.Context) {
		writeJSON(c, http.StatusOK, exampleapp.Health())
	})
	r.GET(exampleapp.PathMe, clerkgin.RequireAuth(), func(c *gin.Context) {
		claims, _ := clerkgin.ClaimsFrom(c)
		writeJSON(c, http.StatusOK, exampleapp.Me(claims))
	})
	r.POST(exampleapp.PathInvoices, clerkgin.RequirePermission(exampleapp.PermissionCreateInvoices), func(c *gin.Context) {
		claims, _ := clerkgin.ClaimsFrom(c)
		writeJSON(c, http.StatusCreated, exampleapp.Invoice(claims))
	})
	r.GET(exampleapp.PathAdmin, clerkgin.RequireRole(exampleapp.RoleAdmin), func(c *gin.Context) {
		claims, _ := clerkgin.ClaimsFrom(c)
		writeJSON(c, http.StatusOK, exampleapp.Admin(claims))
	})
	r.GET(exampleapp.PathBillingReports,
		clerkgin.RequirePlan(exampleapp.PlanPro), clerkgin.RequireFeature(exampleapp.FeatureReports),
		func(c *gin.Context) {
			claims, _ := clerkgin.ClaimsFrom(c)
			writeJSON(c, http.StatusOK, exampleapp.Reports(claims))
		})
	return r
}

func writeJSON(c *gin.Context, status int, v any) {
	c.Data(status, exampleapp.ContentTypeJSON, exampleapp.JSON(v))
}
