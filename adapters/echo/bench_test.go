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

// BenchmarkEchoTwoNoopMiddlewares: the bare router with two middlewares that
// do nothing, where Middleware and the guard sit. echo v4 applies
// middleware on every request, so each costs one closure allocation here
// already: the framework's share of what the adapter's benchmark measures.
func BenchmarkEchoTwoNoopMiddlewares(b *testing.B) {
	noop := func(next echo.HandlerFunc) echo.HandlerFunc { return func(c echo.Context) error { return next(c) } }
	e := echo.New()
	e.Use(noop)
	e.GET("/invoices", benchHandler, noop)
	clerktest.BenchServe(b, e, "/invoices", "")
}
