package clerkfiberv3_test

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v3"

	clerkfiberv3 "github.com/clerkguard/clerkguard/adapters/fiberv3"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// send serves one request through app and prints status and body.
func send(app *fiber.App, method, path, token string) {
	clerktest.PrintResponse(app.Test(clerktest.NewRequest(method, path, token), fiber.TestConfig{Timeout: 0}))
}

// Guard fiber v3 routes with Clerk session tokens. In production the
// Authorizer comes from core.NewFromEnv(); here a clerktest issuer stands in
// for Clerk.
func Example() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	app := fiber.New()
	app.Use(clerkfiberv3.Middleware(a))
	app.Post("/invoices", clerkfiberv3.RequirePermission("org:invoices:create"), func(c fiber.Ctx) error {
		claims, _ := clerkfiberv3.ClaimsFrom(c)
		return c.SendString("invoice created by " + claims.UserID() + " in " + claims.OrgID)
	})

	member := iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1", OrgRole: "member"})
	admin := iss.Mint(clerktest.Session{UserID: "user_2", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}})
	for _, token := range []string{"", member, admin} {
		send(app, http.MethodPost, "/invoices", token)
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

	app := fiber.New(fiber.Config{ErrorHandler: func(c fiber.Ctx, err error) error {
		var ce *core.Error
		if errors.As(err, &ce) {
			return c.Status(ce.Status()).SendString("denied: " + string(ce.Reason))
		}
		return fiber.DefaultErrorHandler(c, err)
	}})
	app.Use(clerkfiberv3.Middleware(a, clerkfiberv3.WithErrorHandler(func(_ fiber.Ctx, err error) error { return err })))
	app.Get("/me", clerkfiberv3.RequireAuth(), func(c fiber.Ctx) error { return c.SendString("me") })

	send(app, http.MethodGet, "/me", "")
	// Output: 401 denied: session-token-missing
}

// Serve machines on one route: the Authorizer accepts M2M tokens, and
// AcceptsToken (which takes options, like every guard) narrows the route to
// them.
func ExampleAcceptsToken() {
	iss, a := clerktest.StartExample(core.WithAcceptsToken(core.SessionToken, core.M2MToken))
	defer iss.Close()

	app := fiber.New()
	app.Use(clerkfiberv3.Middleware(a))
	app.Post("/internal/sync", clerkfiberv3.AcceptsToken([]core.TokenType{core.M2MToken}), func(c fiber.Ctx) error {
		claims, _ := clerkfiberv3.ClaimsFrom(c)
		return c.SendString("synced for " + claims.Subject)
	})

	send(app, http.MethodPost, "/internal/sync", iss.MintM2M(clerktest.Machine{Subject: "mch_worker"}))
	send(app, http.MethodPost, "/internal/sync", iss.Mint(clerktest.Session{UserID: "user_1"}))
	// Output:
	// 200 synced for mch_worker
	// 401 {"error":"unauthorized","reason":"token-type-mismatch","message":"The token type is not accepted here."}
}
