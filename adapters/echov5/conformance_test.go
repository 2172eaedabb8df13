package clerkechov5_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"

	clerkechov5 "github.com/clerkguard/clerkguard/adapters/echov5"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// guards are clerkechov5's guard functions, for conformance.Guards.For.
var guards = conformance.Guards[echo.MiddlewareFunc, clerkechov5.GuardOption]{
	Guard: clerkechov5.Guard, RequireAuth: clerkechov5.RequireAuth, RequirePermission: clerkechov5.RequirePermission,
	RequireRole: clerkechov5.RequireRole, RequireFeature: clerkechov5.RequireFeature, RequirePlan: clerkechov5.RequirePlan,
	RequireScope: clerkechov5.RequireScope, Require: clerkechov5.Require, AcceptsToken: clerkechov5.AcceptsToken,
	RequireReverification: clerkechov5.RequireReverification, WithPassPreflight: clerkechov5.WithPassPreflight,
	WithRedirectToSignIn: clerkechov5.WithRedirectToSignIn,
	WithResourceMetadata: clerkechov5.WithResourceMetadata,
}

// hooks are the error hooks of conformance.ErrorHook in echo v5 terms.
var hooks = map[conformance.ErrorHook]clerkechov5.Option{
	conformance.HookSilent: clerkechov5.WithErrorHandler(func(*echo.Context, error) error { return nil }),
	conformance.HookCustom: clerkechov5.WithErrorHandler(func(c *echo.Context, err error) error {
		return c.Blob(http.StatusTeapot, "text/plain; charset=utf-8", []byte("custom:"+string(core.ReasonOf(err))))
	}),
}

// options are clerkechov5's middleware and guard options, for conformance.Options.For.
var options = conformance.Options[clerkechov5.MiddlewareOption, clerkechov5.GuardOption]{
	Hook: func(h conformance.ErrorHook) (clerkechov5.MiddlewareOption, clerkechov5.GuardOption) {
		return hooks[h], hooks[h]
	},
	SkipAll: func() clerkechov5.MiddlewareOption {
		return clerkechov5.WithSkipper(func(*echo.Context) bool { return true })
	},
}

// newConformanceApp mounts app on an echo v5 instance with clerkechov5.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	e := echo.New()
	for _, rt := range app.Routes {
		mwOpts, gOpts := options.For(rt)
		var mws []echo.MiddlewareFunc
		if !rt.NoMiddleware {
			mws = append(mws, clerkechov5.Middleware(app.Authorizer, append(append(mwOpts, conformance.QueryTokenOptions(rt, clerkechov5.WithQueryToken)...),
				conformance.HandshakeOptions(app, clerkechov5.WithHandshake)...)...))
		}
		if g, ok := guards.For(rt, gOpts...); ok {
			mws = append(mws, g)
		}
		method := rt.Method
		if method == "" {
			method = http.MethodGet
		}
		e.Add(method, rt.Path, func(c *echo.Context) error {
			claims, ok := clerkechov5.ClaimsFrom(c)
			return c.Blob(http.StatusOK, "application/json", app.HandleContext(c.Request().Context(), claims, ok))
		}, mws...)
	}
	return e
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "echov5", New: newConformanceApp,
		NilAuthorizer: func() { clerkechov5.Middleware(nil) }})
}
