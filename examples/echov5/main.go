// Command echov5 is the example API on echo v5 with the clerkechov5 adapter.
//
//	go run ./examples/echov5
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

	"github.com/labstack/echo/v5"

	clerkechov5 "github.com/clerkguard/clerkguard/adapters/echov5"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

func main() {
	exampleapp.Main("echov5", func(ctx context.Context, app *exampleapp.App) error {
		return app.ServeHTTP(ctx, routes(app.Authorizer))
	})
}

// routes is the example API: the middleware authenticates every request,
// the guards decide per route.
func routes(a *core.Authorizer) http.Handler {
	e := echo.New()
	e.Use(clerkechov5.Middleware(a))
	e.GET(exampleapp.PathHealth, func(c *echo.Context) error {
		return writeJSON(c, http.StatusOK, exampleapp.Health())
	})
	e.GET(exampleapp.PathMe, func(c *echo.Context) error {
		claims, _ := clerkechov5.ClaimsFrom(c)
		return writeJSON(c, http.StatusOK, exampleapp.Me(claims))
	}, clerkechov5.RequireAuth())
	e.POST(exampleapp.PathInvoices, func(c *echo.Context) error {
		claims, _ := clerkechov5.ClaimsFrom(c)
		return writeJSON(c, http.StatusCreated, exampleapp.Invoice(claims))
	}, clerkechov5.RequirePermission(exampleapp.PermissionCreateInvoices))
	e.GET(exampleapp.PathAdmin, func(c *echo.Context) error {
		claims, _ := clerkechov5.ClaimsFrom(c)
		return writeJSON(c, http.StatusOK, exampleapp.Admin(claims))
	}, clerkechov5.RequireRole(exampleapp.RoleAdmin))
	e.GET(exampleapp.PathBillingReports, func(c *echo.Context) error {
		claims, _ := clerkechov5.ClaimsFrom(c)
		return writeJSON(c, http.StatusOK, exampleapp.Reports(claims))
	}, clerkechov5.RequirePlan(exampleapp.PlanPro), clerkechov5.RequireFeature(exampleapp.FeatureReports))
	return e
}

func writeJSON(c *echo.Context, status int, v any) error {
	return c.Blob(status, exampleapp.ContentTypeJSON, exampleapp.JSON(v))
}
