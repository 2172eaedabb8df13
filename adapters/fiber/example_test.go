package clerkfiber_test

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	clerkfiber "github.com/clerkguard/clerkguard/adapters/fiber"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Guard fiber routes with Clerk session tokens. In production the
// Authorizer comes from core.NewFromEnv(); here a clerktest issuer stands in
// for Clerk.
func Example() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(clerkfiber.Middleware(a))
	app.Post("/invoices", clerkfiber.RequirePermission("org:invoices:create"), func(c *fiber.Ctx) error {
		claims, _ := clerkfiber.ClaimsFrom(c)
		return c.SendString("invoice created by " + claims.UserID() + " in " + claims.OrgID)
	})

	member := iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1", OrgRole: "member"})
	admin := iss.Mint(clerktest.Session{UserID: "user_2", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}})
	for _, token := range []string{"", member, admin} {
		clerktest.PrintResponse(app.Test(clerktest.NewRequest(http.MethodPost, "/invoices", token), -1))
	}
	// Output:
	// 401 {"error":"unauthorized","reason":"session-token-missing","message":"No session token was found in the request."}
	// 403 {"error":"forbidden","reason":"missing-permission","message":"The signed-in user lacks the required permission."}
	// 200 invoice created by user_2 in org_1
}

// Delegate rejections to the app's ErrorHandler: the hook writes nothing and
// returns the *core.Error, the guard does not call c.Next(), and fiber hands
// the error to its ErrorHandler. There, render core errors with
// DefaultErrorHandler (the behaviour.md §7.3 bytes) or any way you like.
func ExampleWithErrorHandler() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: func(c *fiber.Ctx, err error) error {
		var ce *core.Error
		if errors.As(err, &ce) {
			return c.Status(ce.Status()).SendString("denied: " + string(ce.Reason))
		}
		return fiber.DefaultErrorHandler(c, err)
	}})
	app.Use(clerkfiber.Middleware(a, clerkfiber.WithErrorHandler(func(_ *fiber.Ctx, err error) error { return err })))
	app.Get("/me", clerkfiber.RequireAuth(), func(c *fiber.Ctx) error { return c.SendString("me") })

	clerktest.PrintResponse(app.Test(clerktest.NewRequest(http.MethodGet, "/me", ""), -1))
	// Output: 401 denied: session-token-missing
}
