package clerkecho_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// guards are clerkecho's guard functions, for conformance.Guards.For: every
// route's guard is mounted through clerkecho.Guard, and the Guards/Named* cases
// check each named function against it.
var guards = conformance.Guards[echo.MiddlewareFunc, clerkecho.GuardOption]{
	Guard: clerkecho.Guard, RequireAuth: clerkecho.RequireAuth, RequirePermission: clerkecho.RequirePermission,
	RequireRole: clerkecho.RequireRole, RequireFeature: clerkecho.RequireFeature, RequirePlan: clerkecho.RequirePlan,
	RequireScope: clerkecho.RequireScope, Require: clerkecho.Require,
	AcceptsToken:          clerkecho.AcceptsToken,
	RequireReverification: clerkecho.RequireReverification, WithPassPreflight: clerkecho.WithPassPreflight,
	WithRedirectToSignIn: clerkecho.WithRedirectToSignIn,
	WithResourceMetadata: clerkecho.WithResourceMetadata,
}

// hooks are the error handlers of conformance.ErrorHook, as clerkecho options
// (usable on Middleware and on guards).
var hooks = map[conformance.ErrorHook]clerkecho.Option{
	conformance.HookSilent: clerkecho.WithErrorHandler(func(echo.Context, error) error { return nil }),
	conformance.HookCustom: clerkecho.WithErrorHandler(func(c echo.Context, err error) error {
		return c.Blob(http.StatusTeapot, "text/plain; charset=utf-8", []byte("custom:"+string(core.ReasonOf(err))))
	}),
}

// options are clerkecho's middleware and guard options, for conformance.Options.For.
var options = conformance.Options[clerkecho.MiddlewareOption, clerkecho.GuardOption]{
	Hook: func(h conformance.ErrorHook) (clerkecho.MiddlewareOption, clerkecho.GuardOption) {
		return hooks[h], hooks[h]
	},
	SkipAll: func() clerkecho.MiddlewareOption {
		return clerkecho.WithSkipper(func(echo.Context) bool { return true })
	},
}

// mount builds each route's chain (clerkecho.Middleware with the route's options,
// then its guard) for conformance.Mount.Chain.
var mount = conformance.Mount[echo.MiddlewareFunc, clerkecho.MiddlewareOption, clerkecho.GuardOption]{
	Middleware: clerkecho.Middleware, WithQueryToken: clerkecho.WithQueryToken, WithHandshake: clerkecho.WithHandshake,
	Guards: guards, Options: options,
}

// newConformanceApp mounts app on an echo instance with clerkecho.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	e := echo.New()
	for _, rt := range app.Routes {
		e.Add(rt.HTTPMethod(), rt.Path, func(c echo.Context) error {
			claims, ok := clerkecho.ClaimsFrom(c)
			return c.Blob(http.StatusOK, "application/json", app.HandleContext(c.Request().Context(), claims, ok))
		}, mount.Chain(app, rt)...)
	}
	return e
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "echo", New: newConformanceApp,
		NilAuthorizer: func() { clerkecho.Middleware(nil) }})
}
