package clerkchi_test

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// guards are clerkchi's guard functions, for conformance.Guards.For: every
// route's guard is mounted through clerkchi.Guard, and the Guards/Named* cases
// check each named function against it.
var guards = conformance.Guards[func(http.Handler) http.Handler, clerkchi.GuardOption]{
	Guard: clerkchi.Guard, RequireAuth: clerkchi.RequireAuth, RequirePermission: clerkchi.RequirePermission,
	RequireRole: clerkchi.RequireRole, RequireFeature: clerkchi.RequireFeature, RequirePlan: clerkchi.RequirePlan,
	RequireScope: clerkchi.RequireScope, Require: clerkchi.Require,
	AcceptsToken:          clerkchi.AcceptsToken,
	RequireReverification: clerkchi.RequireReverification, WithPassPreflight: clerkchi.WithPassPreflight,
	WithRedirectToSignIn: clerkchi.WithRedirectToSignIn,
	WithResourceMetadata: clerkchi.WithResourceMetadata,
}

// hooks are the error handlers of conformance.ErrorHook, as clerkchi options
// (usable on Middleware and on guards).
var hooks = map[conformance.ErrorHook]clerkchi.Option{
	conformance.HookSilent: clerkchi.WithErrorHandler(func(http.ResponseWriter, *http.Request, error) {}),
	conformance.HookCustom: clerkchi.WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, err error) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("custom:" + string(core.ReasonOf(err))))
	}),
}

// options are clerkchi's middleware and guard options, for conformance.Options.For.
var options = conformance.Options[clerkchi.MiddlewareOption, clerkchi.GuardOption]{
	Hook: func(h conformance.ErrorHook) (clerkchi.MiddlewareOption, clerkchi.GuardOption) {
		return hooks[h], hooks[h]
	},
	SkipAll: func() clerkchi.MiddlewareOption {
		return clerkchi.WithSkipper(func(*http.Request) bool { return true })
	},
}

// mount builds each route's chain (clerkchi.Middleware with the route's options,
// then its guard) for conformance.Mount.Chain.
var mount = conformance.Mount[func(http.Handler) http.Handler, clerkchi.MiddlewareOption, clerkchi.GuardOption]{
	Middleware: clerkchi.Middleware, WithQueryToken: clerkchi.WithQueryToken, WithHandshake: clerkchi.WithHandshake,
	Guards: guards, Options: options,
}

// newConformanceApp mounts app on a chi router with clerkchi, as a user would.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	r := chi.NewRouter()
	for _, rt := range app.Routes {
		r.With(mount.Chain(app, rt)...).Method(rt.HTTPMethod(), rt.Path, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			c, ok := clerkchi.ClaimsFrom(req.Context())
			body := app.HandleContext(req.Context(), c, ok)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		}))
	}
	return r
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "chi", New: newConformanceApp,
		NilAuthorizer: func() { clerkchi.Middleware(nil) }})
}
