package clerkechov5_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	clerkechov5 "github.com/clerkguard/clerkguard/adapters/echov5"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// blackBoxRouter is "the user's application": a public, a signed-in and a
// permission-guarded route, wired as the README shows.
func blackBoxRouter(a *core.Authorizer) http.Handler {
	ok := func(c *echo.Context) error { return c.String(http.StatusOK, "ok") }
	e := echo.New()
	e.Use(clerkechov5.Middleware(a))
	e.GET("/", ok)
	e.GET("/me", ok, clerkechov5.RequireAuth())
	e.GET("/invoices", ok, clerkechov5.RequirePermission("org:invoices:create"))
	return e
}

// The black-box entry point of the conformance suite against a real echo v5
// instance, in-process and over a real HTTP server.
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
			if mode == "Handler" {
				cfg.Handler = blackBoxRouter(a)
			} else {
				srv := httptest.NewServer(blackBoxRouter(a))
				t.Cleanup(srv.Close)
				cfg.BaseURL = srv.URL
			}
			bb.Run(t, cfg)
		})
	}
}
