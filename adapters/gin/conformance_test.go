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

// newConformanceApp mounts app on a gin engine with clerkgin, as a user would.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	r := gin.New()
	for _, rt := range app.Routes {
		mwOpts, gOpts := options.For(rt)
		var chain []gin.HandlerFunc
		if !rt.NoMiddleware {
			chain = append(chain, clerkgin.Middleware(app.Authorizer, append(append(mwOpts, conformance.QueryTokenOptions(rt, clerkgin.WithQueryToken)...),
				conformance.HandshakeOptions(app, clerkgin.WithHandshake)...)...))
		}
		if g, ok := guards.For(rt, gOpts...); ok {
			chain = append(chain, g)
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
	conformance.Run(t, conformance.Harness{Name: "gin", New: newConformanceApp,
		NilAuthorizer: func() { clerkgin.Middleware(nil) }})
}
