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

// mount builds each route's chain (clerkechov5.Middleware with the route's options,
// then its guard) for conformance.Mount.Chain.
var mount = conformance.Mount[echo.MiddlewareFunc, clerkechov5.MiddlewareOption, clerkechov5.GuardOption]{
	Middleware: clerkechov5.Middleware, WithQueryToken: clerkechov5.WithQueryToken, WithHandshake: clerkechov5.WithHandshake,
	Guards: guards, Options: options,
}

// newConformanceApp mounts app on an echo v5 instance with clerkechov5.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	e := echo.New()
	for _, rt := range app.Routes {
		e.Add(rt.HTTPMethod(), rt.Path, func(c *echo.Context) error {
			claims, ok := clerkechov5.ClaimsFrom(c)
			return c.Blob(http.StatusOK, "application/json", app.HandleContext(c.Request().Context(), claims, ok))
		}, mount.Chain(app, rt)...)
	}
	return e
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "echov5", New: newConformanceApp,
		NilAuthorizer: func() { clerkechov5.Middleware(nil) }})
}
