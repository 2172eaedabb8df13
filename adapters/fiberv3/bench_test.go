package clerkfiberv3_test

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/valyala/fasthttp"

	clerkfiberv3 "github.com/clerkguard/clerkguard/adapters/fiberv3"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// runBench serves GET /invoices b.N times through app.Handler() with one
// fasthttp.RequestCtx (no sockets). Between requests it resets what
// fasthttp's server resets: the response and the user values (Locals and
// the stored context.Context).
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

func benchHandler(c fiber.Ctx) error { return c.SendString("ok") }

// BenchmarkFiberV3MiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache (the
// steady state of a signed-in user).
func BenchmarkFiberV3MiddlewareRequirePermissionCached(b *testing.B) {
	a, tok := clerktest.BenchAuthorizer(b)
	app := fiber.New()
	app.Use(clerkfiberv3.Middleware(a))
	app.Get("/invoices", clerkfiberv3.RequirePermission("org:invoices:create"), benchHandler)
	runBench(b, app, tok)
}

// BenchmarkFiberV3NoAuth: the same app and handler without authentication.
func BenchmarkFiberV3NoAuth(b *testing.B) {
	app := fiber.New()
	app.Get("/invoices", benchHandler)
	runBench(b, app, "")
}
