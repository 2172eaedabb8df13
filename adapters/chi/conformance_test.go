package clerkchi_test

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// newConformanceApp mounts app on a chi router with clerkchi, as a user would.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	r := chi.NewRouter()
	for _, rt := range app.Routes {
		var opts []clerkchi.Option
		switch rt.Hook {
		case conformance.HookSilent:
			opts = append(opts, clerkchi.WithErrorHandler(func(http.ResponseWriter, *http.Request, error) {}))
		case conformance.HookCustom:
			opts = append(opts, clerkchi.WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, err error) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusTeapot)
				_, _ = w.Write([]byte("custom:" + string(core.ReasonOf(err))))
			}))
		}
		var mws []func(http.Handler) http.Handler
		if !rt.NoMiddleware {
			mws = append(mws, clerkchi.Middleware(app.Authorizer))
		}
		switch rt.Guard {
		case conformance.GuardAuth:
			mws = append(mws, clerkchi.RequireAuth(opts...))
		case conformance.GuardPermission:
			mws = append(mws, clerkchi.RequirePermission(rt.Arg, opts...))
		case conformance.GuardRole:
			mws = append(mws, clerkchi.RequireRole(rt.Arg, opts...))
		case conformance.GuardFeature:
			mws = append(mws, clerkchi.RequireFeature(rt.Arg, opts...))
		case conformance.GuardPlan:
			mws = append(mws, clerkchi.RequirePlan(rt.Arg, opts...))
		case conformance.GuardCustom:
			mws = append(mws, clerkchi.Require(rt.Custom, opts...))
		case conformance.GuardScope:
			mws = append(mws, clerkchi.RequireScope(rt.Arg, opts...))
		case conformance.GuardAcceptsToken:
			mws = append(mws, clerkchi.AcceptsToken(rt.Types, opts...))
		}
		method := rt.Method
		if method == "" {
			method = http.MethodGet
		}
		r.With(mws...).Method(method, rt.Path, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			c, ok := clerkchi.ClaimsFrom(req.Context())
			body := app.HandleContext(req.Context(), c, ok)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		}))
	}
	return r
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "chi", New: newConformanceApp})
}
