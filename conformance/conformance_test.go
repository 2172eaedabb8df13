package conformance_test

import (
	"net/http"
	"testing"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// reference is the smallest correct net/http harness, built on core alone.
// It proves the suite passes against a correct adapter; each real adapter
// runs the suite in its own module.
func reference(t *testing.T, app *conformance.App) http.Handler {
	mux := http.NewServeMux()
	for _, r := range app.Routes {
		var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			c, ok := core.ClaimsFromContext(req.Context())
			body := app.HandleContext(req.Context(), c, ok)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		})
		if g, ok := guardFor(r); ok {
			next := h
			h = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				res, _ := core.ResultFromContext(req.Context())
				if err := g.Evaluate(res); err != nil {
					switch r.Hook {
					case conformance.HookSilent:
					case conformance.HookCustom:
						w.Header().Set("Content-Type", "text/plain; charset=utf-8")
						w.WriteHeader(http.StatusTeapot)
						_, _ = w.Write([]byte("custom:" + string(core.ReasonOf(err))))
					default:
						core.WriteError(w, err)
					}
					return
				}
				next.ServeHTTP(w, req)
			})
		}
		if !r.NoMiddleware {
			next := h
			h = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				c, err := app.Authorizer.AuthenticateHTTP(req)
				ctx := core.ContextWithResult(req.Context(), &core.Result{Claims: c, Err: err})
				next.ServeHTTP(w, req.WithContext(ctx))
			})
		}
		method := r.Method
		if method == "" {
			method = http.MethodGet
		}
		mux.Handle(method+" "+r.Path, h)
	}
	return mux
}

func guardFor(r conformance.Route) (core.Guard, bool) {
	switch r.Guard {
	case conformance.GuardAuth:
		return core.RequireAuth(), true
	case conformance.GuardPermission:
		return core.RequirePermission(r.Arg), true
	case conformance.GuardRole:
		return core.RequireRole(r.Arg), true
	case conformance.GuardFeature:
		return core.RequireFeature(r.Arg), true
	case conformance.GuardPlan:
		return core.RequirePlan(r.Arg), true
	case conformance.GuardCustom:
		return core.Require(r.Custom), true
	case conformance.GuardScope:
		return core.RequireScope(r.Arg), true
	case conformance.GuardAcceptsToken:
		return core.AcceptsToken(r.Types...), true
	}
	return core.Guard{}, false
}

func TestReferenceHarness(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "reference", New: reference})
}
