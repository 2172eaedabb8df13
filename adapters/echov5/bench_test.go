package clerkechov5_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v5"

	clerkechov5 "github.com/clerkguard/clerkguard/adapters/echov5"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func benchHandler(c *echo.Context) error {
	_, err := io.WriteString(c.Response(), "ok")
	return err
}

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

// BenchmarkEchoV5MiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache (the
// steady state of a signed-in user).
func BenchmarkEchoV5MiddlewareRequirePermissionCached(b *testing.B) {
	iss, a := setup(b)
	tok := iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:invoices:create"}, TTL: time.Hour})
	e := echo.New()
	e.Use(clerkechov5.Middleware(a))
	e.GET("/invoices", benchHandler, clerkechov5.RequirePermission("org:invoices:create"))
	runBench(b, e, tok)
}

// BenchmarkEchoV5NoAuth: the same router and handler without authentication.
func BenchmarkEchoV5NoAuth(b *testing.B) {
	e := echo.New()
	e.GET("/invoices", benchHandler)
	runBench(b, e, "")
}
