package clerkchi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func benchHandler(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }

// runBench serves GET /invoices through h b.N times with the given token.
func runBench(b *testing.B, h http.Handler, token string, wantStatus int) {
	req := httptest.NewRequest(http.MethodGet, "/invoices", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != wantStatus {
		b.Fatalf("warm-up: status %d, want %d: %s", rec.Code, wantStatus, rec.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}

// BenchmarkChiMiddlewareRequirePermissionCached: a chi router with
// Middleware + RequirePermission and a token already in the verified-token
// cache (the steady state of a signed-in user).
func BenchmarkChiMiddlewareRequirePermissionCached(b *testing.B) {
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(b, clerktest.WithClock(clock.Now))
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		b.Fatal(err)
	}
	tok := iss.Mint(clerktest.Session{UserID: "user_bench", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}, TTL: time.Hour})
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a))
	r.With(clerkchi.RequirePermission("org:invoices:create")).Get("/invoices", benchHandler)
	runBench(b, r, tok, http.StatusOK)
}

// BenchmarkChiNoAuth: the same router and handler without authentication.
func BenchmarkChiNoAuth(b *testing.B) {
	r := chi.NewRouter()
	r.Get("/invoices", benchHandler)
	runBench(b, r, "", http.StatusOK)
}
