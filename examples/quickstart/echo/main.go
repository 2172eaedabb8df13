// Command echo is the README's echo (v4) quick start.
package main

import (
	"log"
	"net/http"

	"github.com/labstack/echo/v4"

	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
	"github.com/clerkguard/clerkguard/core"
)

func main() {
	a, err := core.NewFromEnv() // CLERK_SECRET_KEY, CLERK_AUTHORIZED_PARTIES, … (see Configuration)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(NewRouter(a).Start(":8080"))
}

// NewRouter is the application: Middleware authenticates, guards reject.
func NewRouter(a *core.Authorizer) *echo.Echo {
	e := echo.New()
	e.Use(clerkecho.Middleware(a))
	e.GET("/health", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/me", func(c echo.Context) error {
		claims, _ := clerkecho.ClaimsFrom(c)
		return c.JSON(http.StatusOK, map[string]string{"user": claims.UserID()})
	}, clerkecho.RequireAuth())
	e.POST("/invoices", func(c echo.Context) error {
		claims, _ := clerkecho.ClaimsFrom(c)
		return c.JSON(http.StatusCreated, map[string]string{"org": claims.OrgID})
	}, clerkecho.RequirePermission("org:invoices:create"))
	return e
}
