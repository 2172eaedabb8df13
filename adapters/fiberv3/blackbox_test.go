package clerkfiberv3_test

import (
	"log/slog"
	"net"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"

	clerkfiberv3 "github.com/clerkguard/clerkguard/adapters/fiberv3"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// The conformance suite's black box (what users run in their CI) against a
// fiber v3 app mounted as the README's quick start mounts it: in process
// through fiber's net/http adaptor, and served by fasthttp itself on a
// loopback listener (what goes on the wire).
func TestBlackBox(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(append(bb.Options(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(status int) fiber.Handler { return func(c fiber.Ctx) error { return c.SendStatus(status) } }
	app := fiber.New()
	app.Use(clerkfiberv3.Middleware(a))
	app.Get("/health", answer(http.StatusOK))
	app.Get("/me", clerkfiberv3.RequireAuth(), answer(http.StatusOK))
	app.Post("/invoices", clerkfiberv3.RequirePermission("org:invoices:create"), answer(http.StatusCreated))
	bb.RunHandlerAndServer(t, conformance.BlackBoxConfig{Handler: adaptor.FiberApp(app), PublicPath: "/health", SignedInPath: "/me",
		PermissionMethod: http.MethodPost, PermissionPath: "/invoices", Permission: "org:invoices:create", ExactHeaders: true},
		func(t *testing.T, ln net.Listener) {
			go func() { _ = app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
			t.Cleanup(func() { _ = app.Shutdown() })
		})
}
