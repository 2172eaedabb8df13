package clerkfiberv3_test

import (
	"log/slog"
	"net"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"

	clerkfiberv3 "github.com/clerkguard/clerkguard/adapters/fiberv3"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// blackBoxApp is "the user's application": a public, a signed-in and a
// permission-guarded route, wired as the README shows.
func blackBoxApp(a *core.Authorizer) *fiber.App {
	ok := func(c fiber.Ctx) error { return c.SendString("ok") }
	app := fiber.New()
	app.Use(clerkfiberv3.Middleware(a))
	app.Get("/", ok)
	app.Get("/me", clerkfiberv3.RequireAuth(), ok)
	app.Get("/invoices", clerkfiberv3.RequirePermission("org:invoices:create"), ok)
	return app
}

// The black-box entry point of the conformance suite against a real fiber v3
// app: in-process through fiber's net/http adaptor, and served by fasthttp
// itself on a loopback listener (what goes on the wire).
func TestBlackBox(t *testing.T) {
	for _, mode := range []string{"Handler", "BaseURL"} {
		t.Run(mode, func(t *testing.T) {
			bb := conformance.NewBlackBox(t)
			a, err := core.New(append(bb.Options(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
			if err != nil {
				t.Fatal(err)
			}
			cfg := conformance.BlackBoxConfig{PublicPath: "/", SignedInPath: "/me", PermissionPath: "/invoices",
				Permission: "org:invoices:create", ExactHeaders: true}
			app := blackBoxApp(a)
			if mode == "Handler" {
				cfg.Handler = adaptor.FiberApp(app)
			} else {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				go func() { _ = app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
				t.Cleanup(func() { _ = app.Shutdown() })
				cfg.BaseURL = "http://" + ln.Addr().String()
			}
			bb.Run(t, cfg)
		})
	}
}
