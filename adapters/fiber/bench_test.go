package clerkfiber_test

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	clerkfiber "github.com/clerkguard/clerkguard/adapters/fiber"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// runBench serves GET /invoices b.N times through app.Handler() with one
// fasthttp.RequestCtx (no sockets; app.Test is far too slow to measure the
// middleware). Between requests it resets what fasthttp's server resets: the
// response and the user values (Locals, UserContext).
func runBench(b *testing.B, app *fiber.App, token string) {
	h := app.Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI("/invoices")
	ctx.Request.Header.SetMethod(http.MethodGet)
	if token != "" {
		ctx.Request.Header.Set("Authorization", "Bearer "+token)
	}
	h(&ctx)
	if ctx.Response.StatusCode() != http.StatusOK {
		b.Fatalf("warm-up: %d %s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ctx.Response.Reset()
		ctx.ResetUserValues()
		h(&ctx)
	}
}

func benchHandler(c *fiber.Ctx) error { return c.SendString("ok") }

func newApp() *fiber.App { return fiber.New(fiber.Config{DisableStartupMessage: true}) }

// BenchmarkFiberMiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache (the
// steady state of a signed-in user).
func BenchmarkFiberMiddlewareRequirePermissionCached(b *testing.B) {
	a, tok := clerktest.BenchAuthorizer(b)
	app := newApp()
	app.Use(clerkfiber.Middleware(a))
	app.Get("/invoices", clerkfiber.RequirePermission("org:invoices:create"), benchHandler)
	runBench(b, app, tok)
}

// BenchmarkFiberNoAuth: the same app and handler without authentication.
func BenchmarkFiberNoAuth(b *testing.B) {
	app := newApp()
	app.Get("/invoices", benchHandler)
	runBench(b, app, "")
}
