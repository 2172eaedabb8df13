// Command echov5 is the README's echo (v5) quick start.
package main

import (
	"log"
	"net/http"

	"github.com/labstack/echo/v5"

	clerkechov5 "github.com/clerkguard/clerkguard/adapters/echov5"
	"github.com/clerkguard/clerkguard/core"
)

func main() {
	a, err := core.NewFromEnv() // CLERK_SECRET_KEY, CLERK_AUTHORIZED_PARTIES, … (see Configuration)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(":8080", NewRouter(a)))
}

// NewRouter is the application: Middleware authenticates, guards reject.
func NewRouter(a *core.Authorizer) *echo.Echo {
	e := echo.New()
	e.Use(clerkechov5.Middleware(a))
	e.GET("/health", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/me", func(c *echo.Context) error {
		claims, _ := clerkechov5.ClaimsFrom(c)
		return c.JSON(http.StatusOK, map[string]string{"user": claims.UserID()})
	}, clerkechov5.RequireAuth())
	e.POST("/invoices", func(c *echo.Context) error {
		claims, _ := clerkechov5.ClaimsFrom(c)
		return c.JSON(http.StatusCreated, map[string]string{"org": claims.OrgID})
	}, clerkechov5.RequirePermission("org:invoices:create"))
	return e
}
