package clerkecho_test

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Guard echo routes with Clerk session tokens. In production the Authorizer
// comes from core.NewFromEnv(); here a clerktest issuer stands in for Clerk.
func Example() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	e := echo.New()
	e.Use(clerkecho.Middleware(a))
	e.POST("/invoices", func(c echo.Context) error {
		claims, _ := clerkecho.ClaimsFrom(c)
		return c.String(http.StatusOK, "invoice created by "+claims.UserID()+" in "+claims.OrgID)
	}, clerkecho.RequirePermission("org:invoices:create"))

	member := iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1", OrgRole: "member"})
	admin := iss.Mint(clerktest.Session{UserID: "user_2", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}})
	for _, token := range []string{"", member, admin} {
		clerktest.PrintServed(e, clerktest.NewRequest(http.MethodPost, "/invoices", token))
	}
	// Output:
	// 401 {"error":"unauthorized","reason":"session-token-missing","message":"No session token was found in the request."}
	// 403 {"error":"forbidden","reason":"missing-permission","message":"The signed-in user lacks the required permission."}
	// 200 invoice created by user_2 in org_1
}

// Delegate rejections to echo's central HTTPErrorHandler: the hook writes
// nothing and returns the *core.Error, the guard does not call the next
// handler, and echo runs its error handler exactly once. There, render core
// errors with DefaultErrorHandler (the behaviour.md §7.3 bytes) or any way you like.
func ExampleWithErrorHandler() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		var ce *core.Error
		if errors.As(err, &ce) {
			_ = c.String(ce.Status(), "denied: "+string(ce.Reason))
			return
		}
		e.DefaultHTTPErrorHandler(err, c)
	}
	e.Use(clerkecho.Middleware(a, clerkecho.WithErrorHandler(func(_ echo.Context, err error) error { return err })))
	e.GET("/me", func(c echo.Context) error { return c.String(http.StatusOK, "me") }, clerkecho.RequireAuth())

	clerktest.PrintServed(e, clerktest.NewRequest(http.MethodGet, "/me", ""))
	// Output: 401 denied: session-token-missing
}
