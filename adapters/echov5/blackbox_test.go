package clerkechov5_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"

	clerkechov5 "github.com/clerkguard/clerkguard/adapters/echov5"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// The conformance suite's black box (what users run in their CI) against an
// echo v5 instance mounted as the README's quick start mounts it, in process
// and over a real HTTP server.
func TestBlackBox(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(append(bb.Options(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(status int) echo.HandlerFunc { return func(c *echo.Context) error { return c.NoContent(status) } }
	e := echo.New()
	e.Use(clerkechov5.Middleware(a))
	e.GET("/health", answer(http.StatusOK))
	e.GET("/me", answer(http.StatusOK), clerkechov5.RequireAuth())
	e.POST("/invoices", answer(http.StatusCreated), clerkechov5.RequirePermission("org:invoices:create"))
	bb.RunHandlerAndServer(t, conformance.BlackBoxConfig{Handler: e, PublicPath: "/health", SignedInPath: "/me",
		PermissionMethod: http.MethodPost, PermissionPath: "/invoices", Permission: "org:invoices:create", ExactHeaders: true}, nil)
}
