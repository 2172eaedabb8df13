package clerkgin_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Guard gin routes with Clerk session tokens. In production the Authorizer
// comes from core.NewFromEnv(); here a clerktest issuer stands in for Clerk.
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

	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.POST("/invoices", clerkgin.RequirePermission("org:invoices:create"), func(c *gin.Context) {
		claims, _ := clerkgin.ClaimsFrom(c)
		c.String(http.StatusOK, "invoice created by %s in %s", claims.UserID(), claims.OrgID)
	})

	send := func(token string) {
		req := httptest.NewRequest(http.MethodPost, "/invoices", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Body.String())
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

// Route rejections to the application's central error middleware: the hook
// only records the error with c.Error and writes nothing; the guard still
// aborts the request, and the outer middleware renders it after c.Next().
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

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/me", nil))
	fmt.Println(rec.Code, rec.Body.String())
	// Output: 401 denied: session-token-missing
}
