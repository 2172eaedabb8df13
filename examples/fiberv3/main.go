// Command fiberv3 is the example API on fiber v3 with the clerkfiberv3 adapter.
//
//	go run ./examples/fiberv3
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
	"time"

	"github.com/gofiber/fiber/v3"

	clerkfiberv3 "github.com/clerkguard/clerkguard/adapters/fiberv3"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

func main() {
	exampleapp.Main("fiberv3", func(ctx context.Context, app *exampleapp.App) error {
		f := routes(app.Authorizer)
		go func() {
			<-ctx.Done()
			_ = f.ShutdownWithTimeout(exampleapp.ShutdownTimeout)
		}()
		return f.Listener(app.Listener, fiber.ListenConfig{DisableStartupMessage: true})
	})
}

// routes is the example API: the middleware authenticates every request,
// the guards decide per route.
func routes(a *core.Authorizer) *fiber.App {
	f := fiber.New(fiber.Config{ReadTimeout: 10 * time.Second})
	f.Use(clerkfiberv3.Middleware(a))
	f.Get(exampleapp.PathHealth, func(c fiber.Ctx) error {
		return writeJSON(c, http.StatusOK, exampleapp.Health())
	})
	f.Get(exampleapp.PathMe, clerkfiberv3.RequireAuth(), func(c fiber.Ctx) error {
		claims, _ := clerkfiberv3.ClaimsFrom(c)
		return writeJSON(c, http.StatusOK, exampleapp.Me(claims))
	})
	f.Post(exampleapp.PathInvoices, clerkfiberv3.RequirePermission(exampleapp.PermissionCreateInvoices), func(c fiber.Ctx) error {
		claims, _ := clerkfiberv3.ClaimsFrom(c)
		return writeJSON(c, http.StatusCreated, exampleapp.Invoice(claims))
	})
	f.Get(exampleapp.PathAdmin, clerkfiberv3.RequireRole(exampleapp.RoleAdmin), func(c fiber.Ctx) error {
		claims, _ := clerkfiberv3.ClaimsFrom(c)
		return writeJSON(c, http.StatusOK, exampleapp.Admin(claims))
	})
	f.Get(exampleapp.PathBillingReports,
		clerkfiberv3.RequirePlan(exampleapp.PlanPro), clerkfiberv3.RequireFeature(exampleapp.FeatureReports),
		func(c fiber.Ctx) error {
			claims, _ := clerkfiberv3.ClaimsFrom(c)
			return writeJSON(c, http.StatusOK, exampleapp.Reports(claims))
		})
	return f
}

func writeJSON(c fiber.Ctx, status int, v any) error {
	c.Set(fiber.HeaderContentType, exampleapp.ContentTypeJSON)
	return c.Status(status).Send(exampleapp.JSON(v))
}
