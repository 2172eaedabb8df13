package clerkchi_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// The conformance suite's black box (what users run in their CI) against a
// chi router mounted as the README's quick start mounts it, in process and
// over a real HTTP server.
func TestBlackBox(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(append(bb.Options(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }
	}
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a))
	r.Get("/health", answer(http.StatusOK))
	r.With(clerkchi.RequireAuth()).Get("/me", answer(http.StatusOK))
	r.With(clerkchi.RequirePermission("org:invoices:create")).Post("/invoices", answer(http.StatusCreated))
	bb.RunHandlerAndServer(t, conformance.BlackBoxConfig{Handler: r, PublicPath: "/health", SignedInPath: "/me",
		PermissionMethod: http.MethodPost, PermissionPath: "/invoices", Permission: "org:invoices:create", ExactHeaders: true}, nil)
}
