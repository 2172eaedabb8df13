package clerkfiber_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/gofiber/fiber/v2"

	clerkfiber "github.com/clerkguard/clerkguard/adapters/fiber"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Guard fiber routes with Clerk session tokens. In production the
// Authorizer comes from core.NewFromEnv(); here a clerktest issuer stands in
// for Clerk.
func Example() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(iss.AuthorizerOptions()...)
	if err != nil {
		panic(err)
	}

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(clerkfiber.Middleware(a))
	app.Post("/invoices", clerkfiber.RequirePermission("org:invoices:create"), func(c *fiber.Ctx) error {
		claims, _ := clerkfiber.ClaimsFrom(c)
		return c.SendString("invoice created by " + claims.UserID() + " in " + claims.OrgID)
	})

	send := func(token string) {
		req := httptest.NewRequest(http.MethodPost, "/invoices", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := app.Test(req, -1)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(body))
	}
	send("")
	send(iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1", OrgRole: "member"}))
	send(iss.Mint(clerktest.Session{UserID: "user_2", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}}))
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
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(iss.AuthorizerOptions()...)
	if err != nil {
		panic(err)
	}

	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: func(c *fiber.Ctx, err error) error {
		var ce *core.Error
		if errors.As(err, &ce) {
			return c.Status(ce.Status()).SendString("denied: " + string(ce.Reason))
		}
		return fiber.DefaultErrorHandler(c, err)
	}})
	app.Use(clerkfiber.Middleware(a, clerkfiber.WithErrorHandler(func(_ *fiber.Ctx, err error) error { return err })))
	app.Get("/me", clerkfiber.RequireAuth(), func(c *fiber.Ctx) error { return c.SendString("me") })

	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/me", nil), -1)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output: 401 denied: session-token-missing
}
