package clerkgin_test

import (
	"net/http"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Guard gin routes with Clerk session tokens. In production the Authorizer
// comes from core.NewFromEnv(); here a clerktest issuer stands in for Clerk.
func Example() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.POST("/invoices", clerkgin.RequirePermission("org:invoices:create"), func(c *gin.Context) {
		claims, _ := clerkgin.ClaimsFrom(c)
		c.String(http.StatusOK, "invoice created by %s in %s", claims.UserID(), claims.OrgID)
	})

	member := iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1", OrgRole: "member"})
	admin := iss.Mint(clerktest.Session{UserID: "user_2", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}})
	for _, token := range []string{"", member, admin} {
		clerktest.PrintServed(r, clerktest.NewRequest(http.MethodPost, "/invoices", token))
	}
	// Output:
	// 401 {"error":"unauthorized","reason":"session-token-missing","message":"No session token was found in the request."}
	// 403 {"error":"forbidden","reason":"missing-permission","message":"The signed-in user lacks the required permission."}
	// 200 invoice created by user_2 in org_1
}

// Route rejections to the application's central error middleware: the hook
// only records the error with c.Error and writes nothing; the guard still
// aborts the request, and the outer middleware renders it after c.Next().
func ExampleWithErrorHandler() {
	iss, a := clerktest.StartExample()
	defer iss.Close()

	r := gin.New()
	r.Use(func(c *gin.Context) { // the application's central error renderer
		c.Next()
		if e := c.Errors.Last(); e != nil && !c.Writer.Written() {
			reason := core.ReasonOf(e.Err)
			c.String(reason.Status(), "denied: %s", reason)
		}
	})
	r.Use(clerkgin.Middleware(a, clerkgin.WithErrorHandler(func(c *gin.Context, err error) { _ = c.Error(err) })))
	r.GET("/me", clerkgin.RequireAuth(), func(c *gin.Context) { c.String(http.StatusOK, "me") })

	clerktest.PrintServed(r, clerktest.NewRequest(http.MethodGet, "/me", ""))
	// Output: 401 denied: session-token-missing
}
