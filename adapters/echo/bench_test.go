package clerkecho_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func benchHandler(c echo.Context) error { _, err := io.WriteString(c.Response(), "ok"); return err }

// runBench serves GET /invoices through echo's own ServeHTTP b.N times.
func runBench(b *testing.B, h http.Handler, token string) {
	if rec := serve(h, "/invoices", token); rec.Code != http.StatusOK {
		b.Fatalf("warm-up: %d %s", rec.Code, rec.Body)
	}
	req := httptest.NewRequest(http.MethodGet, "/invoices", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// BenchmarkEchoMiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache (the
// steady state of a signed-in user).
func BenchmarkEchoMiddlewareRequirePermissionCached(b *testing.B) {
	iss, a := setup(b)
	tok := iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:invoices:create"}, TTL: time.Hour})
	e := echo.New()
	e.Use(clerkecho.Middleware(a))
	e.GET("/invoices", benchHandler, clerkecho.RequirePermission("org:invoices:create"))
	runBench(b, e, tok)
}

// BenchmarkEchoNoAuth: the same router and handler without authentication.
func BenchmarkEchoNoAuth(b *testing.B) {
	e := echo.New()
	e.GET("/invoices", benchHandler)
	runBench(b, e, "")
}
