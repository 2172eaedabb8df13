package clerkgin_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func benchHandler(c *gin.Context) { _, _ = io.WriteString(c.Writer, "ok") }

// runBench serves GET /invoices through gin's own ServeHTTP b.N times.
func runBench(b *testing.B, h http.Handler, token string) {
	if rec := serve(h, http.MethodGet, "/invoices", token); rec.Code != http.StatusOK {
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

// BenchmarkGinMiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache (the
// steady state of a signed-in user).
func BenchmarkGinMiddlewareRequirePermissionCached(b *testing.B) {
	iss, a := setup(b)
	tok := iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:invoices:create"}, TTL: time.Hour})
	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.GET("/invoices", clerkgin.RequirePermission("org:invoices:create"), benchHandler)
	runBench(b, r, tok)
}

// BenchmarkGinNoAuth: the same router and handler without authentication.
func BenchmarkGinNoAuth(b *testing.B) {
	r := gin.New()
	r.GET("/invoices", benchHandler)
	runBench(b, r, "")
}
