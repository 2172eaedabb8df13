// Package clerkchi authenticates and authorizes Clerk users and machines in
// net/http services: github.com/go-chi/chi/v5, http.ServeMux, gorilla/mux or
// any router that takes func(http.Handler) http.Handler middleware.
//
// Middleware authenticates every request that carries a token and stores the
// outcome (claims, or the reason the request is signed out) on the request
// context; it never rejects (behaviour.md §7.1). Guards (RequireAuth,
// RequirePermission, RequireRole, RequireFeature, RequirePlan, Require,
// RequireScope, AcceptsToken) reject with the responses of behaviour.md §7.3, rendered
// by core.ProblemFor, so clerkchi answers with the same bytes as clerkgin,
// clerkecho and clerkfiber:
//
//	r := chi.NewRouter()
//	r.Use(clerkchi.Middleware(a))
//	r.With(clerkchi.RequirePermission("org:invoices:create")).Post("/invoices", create)
//
// Handlers read the claims with ClaimsFrom(r.Context()), or with
// core.ClaimsFromContext anywhere below the handler.
package clerkchi
