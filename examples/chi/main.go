// Command chi is the example API on chi with the clerkchi adapter.
//
//	go run ./examples/chi
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

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

func main() {
	exampleapp.Main("chi", func(ctx context.Context, app *exampleapp.App) error {
		return app.ServeHTTP(ctx, routes(app.Authorizer))
	})
}

// routes is the example API: the middleware authenticates every request,
// the guards decide per route.
func routes(a *core.Authorizer) http.Handler {
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a))
	r.Get(exampleapp.PathHealth, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, exampleapp.Health())
	})
	r.With(clerkchi.RequireAuth()).Get(exampleapp.PathMe, func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		writeJSON(w, http.StatusOK, exampleapp.Me(c))
	})
	r.With(clerkchi.RequirePermission(exampleapp.PermissionCreateInvoices)).Post(exampleapp.PathInvoices, func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		writeJSON(w, http.StatusCreated, exampleapp.Invoice(c))
	})
	r.With(clerkchi.RequireRole(exampleapp.RoleAdmin)).Get(exampleapp.PathAdmin, func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		writeJSON(w, http.StatusOK, exampleapp.Admin(c))
	})
	r.With(clerkchi.RequirePlan(exampleapp.PlanPro), clerkchi.RequireFeature(exampleapp.FeatureReports)).
		Get(exampleapp.PathBillingReports, func(w http.ResponseWriter, r *http.Request) {
			c, _ := clerkchi.ClaimsFrom(r.Context())
			writeJSON(w, http.StatusOK, exampleapp.Reports(c))
		})
	return r
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", exampleapp.ContentTypeJSON)
	w.WriteHeader(status)
	w.Write(exampleapp.JSON(v))
}
