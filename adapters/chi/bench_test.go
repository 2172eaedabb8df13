package clerkchi_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func benchHandler(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }

// BenchmarkChiMiddlewareRequirePermissionCached: a chi router with
// Middleware + RequirePermission and a token already in the verified-token
// cache (the steady state of a signed-in user).
func BenchmarkChiMiddlewareRequirePermissionCached(b *testing.B) {
	a, tok := clerktest.BenchAuthorizer(b)
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a))
	r.With(clerkchi.RequirePermission("org:invoices:create")).Get("/invoices", benchHandler)
	clerktest.BenchServe(b, r, "/invoices", tok)
}

// BenchmarkChiNoAuth: the same router and handler without authentication.
func BenchmarkChiNoAuth(b *testing.B) {
	r := chi.NewRouter()
	r.Get("/invoices", benchHandler)
	clerktest.BenchServe(b, r, "/invoices", "")
}
