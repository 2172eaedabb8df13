// Command fiberv3 is the README's fiber (v3) quick start.
package main

import (
	"log"

	"github.com/gofiber/fiber/v3"

	clerkfiberv3 "github.com/clerkguard/clerkguard/adapters/fiberv3"
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
	app.Use(clerkfiberv3.Middleware(a))
	app.Get("/health", func(c fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/me", clerkfiberv3.RequireAuth(), func(c fiber.Ctx) error {
		claims, _ := clerkfiberv3.ClaimsFrom(c)
		return c.JSON(fiber.Map{"user": claims.UserID()})
	})
	app.Post("/invoices", clerkfiberv3.RequirePermission("org:invoices:create"), func(c fiber.Ctx) error {
		claims, _ := clerkfiberv3.ClaimsFrom(c)
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"org": claims.OrgID})
	})
	return app
}
