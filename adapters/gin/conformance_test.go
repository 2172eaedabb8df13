package clerkgin_test

import (
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// newConformanceApp mounts app on a gin engine with clerkgin, as a user would.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	r := gin.New()
	for _, rt := range app.Routes {
		var opts []clerkgin.Option
		switch rt.Hook {
		case conformance.HookSilent:
			opts = append(opts, clerkgin.WithErrorHandler(func(*gin.Context, error) {}))
		case conformance.HookCustom:
			opts = append(opts, clerkgin.WithErrorHandler(func(c *gin.Context, err error) {
				c.Data(http.StatusTeapot, "text/plain; charset=utf-8", []byte("custom:"+string(core.ReasonOf(err))))
			}))
		}
		var chain []gin.HandlerFunc
		if !rt.NoMiddleware {
			chain = append(chain, clerkgin.Middleware(app.Authorizer))
		}
		switch rt.Guard {
		case conformance.GuardAuth:
			chain = append(chain, clerkgin.RequireAuth(opts...))
		case conformance.GuardPermission:
			chain = append(chain, clerkgin.RequirePermission(rt.Arg, opts...))
		case conformance.GuardRole:
			chain = append(chain, clerkgin.RequireRole(rt.Arg, opts...))
		case conformance.GuardFeature:
			chain = append(chain, clerkgin.RequireFeature(rt.Arg, opts...))
		case conformance.GuardPlan:
			chain = append(chain, clerkgin.RequirePlan(rt.Arg, opts...))
		case conformance.GuardCustom:
			chain = append(chain, clerkgin.Require(rt.Custom, opts...))
		case conformance.GuardScope:
			chain = append(chain, clerkgin.RequireScope(rt.Arg, opts...))
		case conformance.GuardAcceptsToken:
			chain = append(chain, clerkgin.AcceptsToken(rt.Types, opts...))
		}
		chain = append(chain, func(c *gin.Context) {
			claims, ok := clerkgin.ClaimsFrom(c)
			c.Data(http.StatusOK, "application/json", app.HandleContext(c.Request.Context(), claims, ok))
		})
		method := rt.Method
		if method == "" {
			method = http.MethodGet
		}
		r.Handle(method, rt.Path, chain...)
	}
	return r
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "gin", New: newConformanceApp})
}
