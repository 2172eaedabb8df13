package clerkechov5_test

import (
	"io"
	"testing"

	"github.com/labstack/echo/v5"

	clerkechov5 "github.com/clerkguard/clerkguard/adapters/echov5"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func benchHandler(c *echo.Context) error {
	_, err := io.WriteString(c.Response(), "ok")
	return err
}

// BenchmarkEchoV5MiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache (the
// steady state of a signed-in user).
func BenchmarkEchoV5MiddlewareRequirePermissionCached(b *testing.B) {
	a, tok := clerktest.BenchAuthorizer(b)
	e := echo.New()
	e.Use(clerkechov5.Middleware(a))
	e.GET("/invoices", benchHandler, clerkechov5.RequirePermission("org:invoices:create"))
	clerktest.BenchServe(b, e, "/invoices", tok)
}

// BenchmarkEchoV5NoAuth: the same router and handler without authentication.
func BenchmarkEchoV5NoAuth(b *testing.B) {
	e := echo.New()
	e.GET("/invoices", benchHandler)
	clerktest.BenchServe(b, e, "/invoices", "")
}
