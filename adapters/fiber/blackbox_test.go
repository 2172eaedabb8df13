package clerkfiber_test

import (
	"log/slog"
	"net"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	clerkfiber "github.com/clerkguard/clerkguard/adapters/fiber"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// The conformance suite's black box (what users run in their CI) against a
// fiber app mounted as the README's quick start mounts it: in process
// through fiber's net/http adaptor, and served by fasthttp itself on a
// loopback listener (what goes on the wire).
func TestBlackBox(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(append(bb.Options(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(status int) fiber.Handler { return func(c *fiber.Ctx) error { return c.SendStatus(status) } }
	app := newApp()
	app.Use(clerkfiber.Middleware(a))
	app.Get("/health", answer(http.StatusOK))
	app.Get("/me", clerkfiber.RequireAuth(), answer(http.StatusOK))
	app.Post("/invoices", clerkfiber.RequirePermission("org:invoices:create"), answer(http.StatusCreated))
	bb.RunHandlerAndServer(t, conformance.BlackBoxConfig{Handler: adaptor.FiberApp(app), PublicPath: "/health", SignedInPath: "/me",
		PermissionMethod: http.MethodPost, PermissionPath: "/invoices", Permission: "org:invoices:create", ExactHeaders: true},
		func(t *testing.T, ln net.Listener) {
			go func() { _ = app.Listener(ln) }()
			t.Cleanup(func() { _ = app.Shutdown() })
		})
}
