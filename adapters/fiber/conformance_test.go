package clerkfiber_test

import (
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	clerkfiber "github.com/clerkguard/clerkguard/adapters/fiber"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// guards are clerkfiber's guard functions, for conformance.Guards.For: every
// route's guard is mounted through clerkfiber.Guard, and the Guards/Named* cases
// check each named function against it.
var guards = conformance.Guards[fiber.Handler, clerkfiber.GuardOption]{
	Guard: clerkfiber.Guard, RequireAuth: clerkfiber.RequireAuth, RequirePermission: clerkfiber.RequirePermission,
	RequireRole: clerkfiber.RequireRole, RequireFeature: clerkfiber.RequireFeature, RequirePlan: clerkfiber.RequirePlan,
	RequireScope: clerkfiber.RequireScope, Require: clerkfiber.Require,
	AcceptsToken:          clerkfiber.AcceptsToken,
	RequireReverification: clerkfiber.RequireReverification, WithPassPreflight: clerkfiber.WithPassPreflight,
	WithRedirectToSignIn: clerkfiber.WithRedirectToSignIn,
	WithResourceMetadata: clerkfiber.WithResourceMetadata,
}

// hooks are the error handlers of conformance.ErrorHook, as clerkfiber options
// (usable on Middleware and on guards).
var hooks = map[conformance.ErrorHook]clerkfiber.Option{
	conformance.HookSilent: clerkfiber.WithErrorHandler(func(*fiber.Ctx, error) error { return nil }),
	conformance.HookCustom: clerkfiber.WithErrorHandler(func(c *fiber.Ctx, err error) error {
		c.Set("Content-Type", "text/plain; charset=utf-8")
		return c.Status(http.StatusTeapot).SendString("custom:" + string(core.ReasonOf(err)))
	}),
}

// options are clerkfiber's middleware and guard options, for conformance.Options.For.
var options = conformance.Options[clerkfiber.MiddlewareOption, clerkfiber.GuardOption]{
	Hook: func(h conformance.ErrorHook) (clerkfiber.MiddlewareOption, clerkfiber.GuardOption) {
		return hooks[h], hooks[h]
	},
	SkipAll: func() clerkfiber.MiddlewareOption {
		return clerkfiber.WithSkipper(func(*fiber.Ctx) bool { return true })
	},
}

// mount builds each route's chain (clerkfiber.Middleware with the route's options,
// then its guard) for conformance.Mount.Chain.
var mount = conformance.Mount[fiber.Handler, clerkfiber.MiddlewareOption, clerkfiber.GuardOption]{
	Middleware: clerkfiber.Middleware, WithQueryToken: clerkfiber.WithQueryToken, WithHandshake: clerkfiber.WithHandshake,
	Guards: guards, Options: options,
}

// newConformanceApp mounts app on a fiber app with clerkfiber and exposes it
// as an http.Handler through fiber's adaptor.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	f := fiber.New(fiber.Config{DisableStartupMessage: true})
	for _, rt := range app.Routes {
		chain := append(mount.Chain(app, rt), func(c *fiber.Ctx) error {
			claims, ok := clerkfiber.ClaimsFrom(c)
			c.Set("Content-Type", "application/json")
			return c.Status(http.StatusOK).Send(app.HandleContext(c.UserContext(), claims, ok))
		})
		f.Add(rt.HTTPMethod(), rt.Path, chain...)
	}
	return adaptor.FiberApp(f)
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "fiber", New: newConformanceApp,
		NilAuthorizer: func() { clerkfiber.Middleware(nil) }})
}
