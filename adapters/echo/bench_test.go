package clerkecho_test

import (
	"io"
	"testing"

	"github.com/labstack/echo/v4"

	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func benchHandler(c echo.Context) error { _, err := io.WriteString(c.Response(), "ok"); return err }

// BenchmarkEchoMiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache (the
// steady state of a signed-in user).
func BenchmarkEchoMiddlewareRequirePermissionCached(b *testing.B) {
	a, tok := clerktest.BenchAuthorizer(b)
	e := echo.New()
	e.Use(clerkecho.Middleware(a))
	e.GET("/invoices", benchHandler, clerkecho.RequirePermission("org:invoices:create"))
	clerktest.BenchServe(b, e, "/invoices", tok)
}

// BenchmarkEchoNoAuth: the same router and handler without authentication.
func BenchmarkEchoNoAuth(b *testing.B) {
	e := echo.New()
	e.GET("/invoices", benchHandler)
	clerktest.BenchServe(b, e, "/invoices", "")
}
