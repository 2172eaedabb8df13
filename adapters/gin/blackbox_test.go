package clerkgin_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// The conformance suite's black box (what users run in their CI) against a
// gin engine mounted as the README's quick start mounts it, in process and
// over a real HTTP server.
func TestBlackBox(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(append(bb.Options(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(status int) gin.HandlerFunc { return func(c *gin.Context) { c.Status(status) } }
	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.GET("/health", answer(http.StatusOK))
	r.GET("/me", clerkgin.RequireAuth(), answer(http.StatusOK))
	r.POST("/invoices", clerkgin.RequirePermission("org:invoices:create"), answer(http.StatusCreated))
	bb.RunHandlerAndServer(t, conformance.BlackBoxConfig{Handler: r, PublicPath: "/health", SignedInPath: "/me",
		PermissionMethod: http.MethodPost, PermissionPath: "/invoices", Permission: "org:invoices:create", ExactHeaders: true}, nil)
}
