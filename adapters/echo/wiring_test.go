package clerkecho_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// TestChainsThatChangePerRequest: Middleware and the guard remember the
// handler they build per next handler (wraps.go). In a chain where a
// middleware between them builds a new closure on every request (echo's own
// way), each request still runs its own chain: a permitted and a forbidden
// user alternate for more requests than the handlers remembered, on a route
// and in a group, and each gets its own answer from its own route.
func TestChainsThatChangePerRequest(t *testing.T) {
	iss := clerktest.Start(t)
	a := iss.Authorizer(t)
	allowed := iss.Mint(clerktest.Session{UserID: "user_ok", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}})
	denied := iss.Mint(clerktest.Session{UserID: "user_no", OrgID: "org_1", OrgRole: "member"})
	perRequest := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error { return next(c) }
	}
	ok := func(name string) echo.HandlerFunc {
		return func(c echo.Context) error {
			claims, _ := clerkecho.ClaimsFrom(c)
			return c.String(http.StatusOK, name+" "+claims.Subject)
		}
	}

	e := echo.New()
	e.Use(clerkecho.Middleware(a))
	e.GET("/route", ok("route"), perRequest, clerkecho.RequirePermission("org:invoices:create"), perRequest)
	g := e.Group("/group", perRequest, clerkecho.RequirePermission("org:invoices:create"))
	g.GET("/x", ok("group"), perRequest)

	for path, name := range map[string]string{"/route": "route", "/group/x": "group"} {
		t.Run(path, func(t *testing.T) {
			for i := range 1200 {
				tok, want, body := allowed, http.StatusOK, name+" user_ok"
				if i%2 == 1 {
					tok, want, body = denied, http.StatusForbidden, ""
				}
				rec := clerktest.Serve(e, clerktest.NewRequest(http.MethodGet, path, tok))
				if rec.Code != want || (body != "" && rec.Body.String() != body) {
					t.Fatalf("request %d: status %d body %q, want %d %q", i, rec.Code, rec.Body, want, body)
				}
			}
		})
	}
}
