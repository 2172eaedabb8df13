package clerkfiberv3_test

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"

	clerkfiberv3 "github.com/clerkguard/clerkguard/adapters/fiberv3"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// guards are clerkfiberv3's guard functions, for conformance.Guards.For.
var guards = conformance.Guards[fiber.Handler, clerkfiberv3.GuardOption]{
	Guard: clerkfiberv3.Guard, RequireAuth: clerkfiberv3.RequireAuth, RequirePermission: clerkfiberv3.RequirePermission,
	RequireRole: clerkfiberv3.RequireRole, RequireFeature: clerkfiberv3.RequireFeature, RequirePlan: clerkfiberv3.RequirePlan,
	RequireScope: clerkfiberv3.RequireScope, Require: clerkfiberv3.Require, AcceptsToken: clerkfiberv3.AcceptsToken,
	RequireReverification: clerkfiberv3.RequireReverification, WithPassPreflight: clerkfiberv3.WithPassPreflight,
	WithRedirectToSignIn: clerkfiberv3.WithRedirectToSignIn,
	WithResourceMetadata: clerkfiberv3.WithResourceMetadata,
}

// hooks are the error hooks of conformance.ErrorHook in fiber v3 terms.
var hooks = map[conformance.ErrorHook]clerkfiberv3.Option{
	conformance.HookSilent: clerkfiberv3.WithErrorHandler(func(fiber.Ctx, error) error { return nil }),
	conformance.HookCustom: clerkfiberv3.WithErrorHandler(func(c fiber.Ctx, err error) error {
		c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
		return c.Status(http.StatusTeapot).SendString("custom:" + string(core.ReasonOf(err)))
	}),
}

// options are clerkfiberv3's middleware and guard options, for conformance.Options.For.
var options = conformance.Options[clerkfiberv3.MiddlewareOption, clerkfiberv3.GuardOption]{
	Hook: func(h conformance.ErrorHook) (clerkfiberv3.MiddlewareOption, clerkfiberv3.GuardOption) {
		return hooks[h], hooks[h]
	},
	SkipAll: func() clerkfiberv3.MiddlewareOption {
		return clerkfiberv3.WithSkipper(func(fiber.Ctx) bool { return true })
	},
}

// mount builds each route's chain (clerkfiberv3.Middleware with the route's options,
// then its guard) for conformance.Mount.Chain.
var mount = conformance.Mount[fiber.Handler, clerkfiberv3.MiddlewareOption, clerkfiberv3.GuardOption]{
	Middleware: clerkfiberv3.Middleware, WithQueryToken: clerkfiberv3.WithQueryToken, WithHandshake: clerkfiberv3.WithHandshake,
	Guards: guards, Options: options,
}

// newConformanceApp mounts app on a fiber v3 app with clerkfiberv3 and
// exposes it as an http.Handler through fiber's adaptor.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	f := fiber.New()
	for _, rt := range app.Routes {
		var chain []any // fiber v3's Add takes its handlers as any
		for _, h := range mount.Chain(app, rt) {
			chain = append(chain, h)
		}
		chain = append(chain, func(c fiber.Ctx) error {
			claims, ok := clerkfiberv3.ClaimsFrom(c)
			c.Set(fiber.HeaderContentType, "application/json")
			return c.Status(http.StatusOK).Send(app.HandleContext(c.Context(), claims, ok))
		})
		f.Add([]string{rt.HTTPMethod()}, rt.Path, chain[0], chain[1:]...)
	}
	return adaptor.FiberApp(f)
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "fiberv3", New: newConformanceApp,
		NilAuthorizer: func() { clerkfiberv3.Middleware(nil) }})
}
