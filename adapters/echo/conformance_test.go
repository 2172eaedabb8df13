package clerkecho_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// newConformanceApp mounts app on an echo instance with clerkecho.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	e := echo.New()
	for _, rt := range app.Routes {
		var opts []clerkecho.Option
		switch rt.Hook {
		case conformance.HookSilent:
			opts = append(opts, clerkecho.WithErrorHandler(func(echo.Context, error) error { return nil }))
		case conformance.HookCustom:
			opts = append(opts, clerkecho.WithErrorHandler(func(c echo.Context, err error) error {
				return c.Blob(http.StatusTeapot, "text/plain; charset=utf-8", []byte("custom:"+string(core.ReasonOf(err))))
			}))
		}
		var mws []echo.MiddlewareFunc
		if !rt.NoMiddleware {
			mws = append(mws, clerkecho.Middleware(app.Authorizer))
		}
		switch rt.Guard {
		case conformance.GuardAuth:
			mws = append(mws, clerkecho.RequireAuth(opts...))
		case conformance.GuardPermission:
			mws = append(mws, clerkecho.RequirePermission(rt.Arg, opts...))
		case conformance.GuardRole:
			mws = append(mws, clerkecho.RequireRole(rt.Arg, opts...))
		case conformance.GuardFeature:
			mws = append(mws, clerkecho.RequireFeature(rt.Arg, opts...))
		case conformance.GuardPlan:
			mws = append(mws, clerkecho.RequirePlan(rt.Arg, opts...))
		case conformance.GuardCustom:
			mws = append(mws, clerkecho.Require(rt.Custom, opts...))
		case conformance.GuardScope:
			mws = append(mws, clerkecho.RequireScope(rt.Arg, opts...))
		case conformance.GuardAcceptsToken:
			mws = append(mws, clerkecho.AcceptsToken(rt.Types, opts...))
		}
		method := rt.Method
		if method == "" {
			method = http.MethodGet
		}
		e.Add(method, rt.Path, func(c echo.Context) error {
			claims, ok := clerkecho.ClaimsFrom(c)
			return c.Blob(http.StatusOK, "application/json", app.HandleContext(c.Request().Context(), claims, ok))
		}, mws...)
	}
	return e
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "echo", New: newConformanceApp})
}
