package clerkgin_test

import (
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// guards are clerkgin's guard functions, for conformance.Guards.For: every
// route's guard is mounted through clerkgin.Guard, and the Guards/Named* cases
// check each named function against it.
var guards = conformance.Guards[gin.HandlerFunc, clerkgin.GuardOption]{
	Guard: clerkgin.Guard, RequireAuth: clerkgin.RequireAuth, RequirePermission: clerkgin.RequirePermission,
	RequireRole: clerkgin.RequireRole, RequireFeature: clerkgin.RequireFeature, RequirePlan: clerkgin.RequirePlan,
	RequireScope: clerkgin.RequireScope, Require: clerkgin.Require,
	AcceptsToken:          clerkgin.AcceptsToken,
	RequireReverification: clerkgin.RequireReverification, WithPassPreflight: clerkgin.WithPassPreflight,
	WithRedirectToSignIn: clerkgin.WithRedirectToSignIn,
	WithResourceMetadata: clerkgin.WithResourceMetadata,
}

// hooks are the error handlers of conformance.ErrorHook, as clerkgin options
// (usable on Middleware and on guards).
var hooks = map[conformance.ErrorHook]clerkgin.Option{
	conformance.HookSilent: clerkgin.WithErrorHandler(func(*gin.Context, error) {}),
	conformance.HookCustom: clerkgin.WithErrorHandler(func(c *gin.Context, err error) {
		c.Data(http.StatusTeapot, "text/plain; charset=utf-8", []byte("custom:"+string(core.ReasonOf(err))))
	}),
}

// options are clerkgin's middleware and guard options, for conformance.Options.For.
var options = conformance.Options[clerkgin.MiddlewareOption, clerkgin.GuardOption]{
	Hook: func(h conformance.ErrorHook) (clerkgin.MiddlewareOption, clerkgin.GuardOption) {
		return hooks[h], hooks[h]
	},
	SkipAll: func() clerkgin.MiddlewareOption {
		return clerkgin.WithSkipper(func(*gin.Context) bool { return true })
	},
}

// mount builds each route's chain (clerkgin.Middleware with the route's options,
// then its guard) for conformance.Mount.Chain.
var mount = conformance.Mount[gin.HandlerFunc, clerkgin.MiddlewareOption, clerkgin.GuardOption]{
	Middleware: clerkgin.Middleware, WithQueryToken: clerkgin.WithQueryToken, WithHandshake: clerkgin.WithHandshake,
	Guards: guards, Options: options,
}

// newConformanceApp mounts app on a gin engine with clerkgin, as a user would.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	r := gin.New()
	for _, rt := range app.Routes {
		chain := append(mount.Chain(app, rt), func(c *gin.Context) {
			claims, ok := clerkgin.ClaimsFrom(c)
			c.Data(http.StatusOK, "application/json", app.HandleContext(c.Request.Context(), claims, ok))
		})
		r.Handle(rt.HTTPMethod(), rt.Path, chain...)
	}
	return r
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "gin", New: newConformanceApp,
		NilAuthorizer: func() { clerkgin.Middleware(nil) }})
}
