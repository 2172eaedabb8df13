package clerkechov5_test

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v5"

	clerkechov5 "github.com/clerkguard/clerkguard/adapters/echov5"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Guard echo v5 routes with Clerk session tokens. In production the
// Authorizer comes from core.NewFromEnv(); here a clerktest issuer stands in
// for Clerk.
func Example() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	e := echo.New()
	e.Use(clerkechov5.Middleware(a))
	e.POST("/invoices", func(c *echo.Context) error {
		claims, _ := clerkechov5.ClaimsFrom(c)
		return c.String(http.StatusOK, "invoice created by "+claims.UserID()+" in "+claims.OrgID)
	}, clerkechov5.RequirePermission("org:invoices:create"))

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

// Render rejections in echo's central HTTPErrorHandler: the hook writes
// nothing and returns the *core.Error; the guard does not call the next
// handler, and echo hands the error to HTTPErrorHandler, which renders core
// errors its own way (or with DefaultErrorHandler for the behaviour.md §7.3
// bytes).
func ExampleWithErrorHandler() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	e := echo.New()
	fallback := echo.DefaultHTTPErrorHandler(false)
	e.HTTPErrorHandler = func(c *echo.Context, err error) {
		var ce *core.Error
		if errors.As(err, &ce) {
			_ = c.String(ce.Status(), "denied: "+string(ce.Reason))
			return
		}
		fallback(c, err)
	}
	e.Use(clerkechov5.Middleware(a, clerkechov5.WithErrorHandler(func(_ *echo.Context, err error) error { return err })))
	e.GET("/me", func(c *echo.Context) error { return c.String(http.StatusOK, "me") }, clerkechov5.RequireAuth())

	clerktest.PrintServed(e, clerktest.NewRequest(http.MethodGet, "/me", ""))
	// Output: 401 denied: session-token-missing
}

// Serve machines on one route: the Authorizer accepts M2M tokens, and
// AcceptsToken (which takes options, like every guard) narrows the route to
// them.
func ExampleAcceptsToken() {
	iss, a := clerktest.StartExample(core.WithAcceptsToken(core.SessionToken, core.M2MToken))
	defer iss.Close()

	e := echo.New()
	e.Use(clerkechov5.Middleware(a))
	e.POST("/internal/sync", func(c *echo.Context) error {
		claims, _ := clerkechov5.ClaimsFrom(c)
		return c.String(http.StatusOK, "synced for "+claims.Subject)
	}, clerkechov5.AcceptsToken([]core.TokenType{core.M2MToken}))

	clerktest.PrintServed(e, clerktest.NewRequest(http.MethodPost, "/internal/sync", iss.MintM2M(clerktest.Machine{Subject: "mch_worker"})))
	clerktest.PrintServed(e, clerktest.NewRequest(http.MethodPost, "/internal/sync", iss.Mint(clerktest.Session{UserID: "user_1"})))
	// Output:
	// 200 synced for mch_worker
	// 401 {"error":"unauthorized","reason":"token-type-mismatch","message":"The token type is not accepted here."}
}
