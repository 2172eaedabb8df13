package main

import (
	"net"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// The README's black-box test on this quick start: in process through
// fiber's net/http adaptor, and served by fasthttp on a real listener.
func TestClerkConformance(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(bb.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	app := NewApp(a)
	bb.RunHandlerAndServer(t, conformance.BlackBoxConfig{Handler: adaptor.FiberApp(app), PublicPath: "/health", SignedInPath: "/me",
		PermissionMethod: http.MethodPost, PermissionPath: "/invoices", Permission: "org:invoices:create"},
		func(t *testing.T, ln net.Listener) {
			go func() { _ = app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
			t.Cleanup(func() { _ = app.Shutdown() })
		})
}
