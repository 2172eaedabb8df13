// Command chi is the README's chi / net/http quick start.
package main

import (
	"fmt"
	"log"
	"net/http"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
)

func main() {
	a, err := core.NewFromEnv() // CLERK_SECRET_KEY, CLERK_AUTHORIZED_PARTIES, … (see Configuration)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(":8080", NewRouter(a)))
}

// NewRouter is the application: Middleware authenticates, guards reject.
func NewRouter(a *core.Authorizer) http.Handler {
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a))
	r.Get("/health", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	r.With(clerkchi.RequireAuth()).Get("/me", func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		fmt.Fprintln(w, c.UserID())
	})
	r.With(clerkchi.RequirePermission("org:invoices:create")).Post("/invoices", func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintln(w, "invoice created in", c.OrgID)
	})
	return r
}
