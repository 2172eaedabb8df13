package clerkgin_test

import (
	"io"
	"testing"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func benchHandler(c *gin.Context) { _, _ = io.WriteString(c.Writer, "ok") }

// BenchmarkGinMiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache (the
// steady state of a signed-in user).
func BenchmarkGinMiddlewareRequirePermissionCached(b *testing.B) {
	a, tok := clerktest.BenchAuthorizer(b)
	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.GET("/invoices", clerkgin.RequirePermission("org:invoices:create"), benchHandler)
	clerktest.BenchServe(b, r, "/invoices", tok)
}

// BenchmarkGinNoAuth: the same router and handler without authentication.
func BenchmarkGinNoAuth(b *testing.B) {
	r := gin.New()
	r.GET("/invoices", benchHandler)
	clerktest.BenchServe(b, r, "/invoices", "")
}
