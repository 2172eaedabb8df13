package clerkgin_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// blackBoxRouter is "the user's application": a public, a signed-in and a
// permission-guarded route, wired as the README shows.
func blackBoxRouter(a *core.Authorizer) http.Handler {
	ok := func(c *gin.Context) { c.String(http.StatusOK, "ok") }
	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.GET("/", ok)
	r.GET("/me", clerkgin.RequireAuth(), ok)
	r.GET("/invoices", clerkgin.RequirePermission("org:invoices:create"), ok)
	return r
}

// The black-box entry point of the conformance suite (for users' CI) against
// a real gin engine, in-process and over a real HTTP server.
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
