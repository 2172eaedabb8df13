// Command fiber is the README's fiber (v2) quick start.
package main

import (
	"log"

	"github.com/gofiber/fiber/v2"

	clerkfiber "github.com/clerkguard/clerkguard/adapters/fiber"
	"github.com/clerkguard/clerkguard/core"
)

func main() {
	a, err := core.NewFromEnv() // CLERK_SECRET_KEY, CLERK_AUTHORIZED_PARTIES, … (see Configuration)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(NewApp(a).Listen(":8080"))
}

// NewApp is the application: Middleware authenticates, guards reject.
func NewApp(a *core.Authorizer) *fiber.App {
	app := fiber.New()
	app.Use(clerkfiber.Middleware(a))
	app.Get("/health", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/me", clerkfiber.RequireAuth(), func(c *fiber.Ctx) error {
		claims, _ := clerkfiber.ClaimsFrom(c)
		return c.JSON(fiber.Map{"user": claims.UserID()})
	})
	app.Post("/invoices", clerkfiber.RequirePermission("org:invoices:create"), func(c *fiber.Ctx) error {
		claims, _ := clerkfiber.ClaimsFrom(c)
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"org": claims.OrgID})
	})
	return app
}
