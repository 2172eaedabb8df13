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
}

// newConformanceApp mounts app on a fiber app with clerkfiber and exposes it
// as an http.Handler through fiber's adaptor.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	f := fiber.New(fiber.Config{DisableStartupMessage: true})
	for _, rt := range app.Routes {
		var opts []clerkfiber.GuardOption
		switch rt.Hook {
		case conformance.HookSilent:
			opts = append(opts, clerkfiber.WithErrorHandler(func(*fiber.Ctx, error) error { return nil }))
		case conformance.HookCustom:
			opts = append(opts, clerkfiber.WithErrorHandler(func(c *fiber.Ctx, err error) error {
				c.Set("Content-Type", "text/plain; charset=utf-8")
				return c.Status(http.StatusTeapot).SendString("custom:" + string(core.ReasonOf(err)))
			}))
		}
		var chain []fiber.Handler
		if !rt.NoMiddleware {
			chain = append(chain, clerkfiber.Middleware(app.Authorizer, append(conformance.QueryTokenOptions(rt, clerkfiber.WithQueryToken),
				conformance.HandshakeOptions(app, clerkfiber.WithHandshake)...)...))
		}
		if g, ok := guards.For(rt, opts...); ok {
			chain = append(chain, g)
		}
		chain = append(chain, func(c *fiber.Ctx) error {
			claims, ok := clerkfiber.ClaimsFrom(c)
			c.Set("Content-Type", "application/json")
			return c.Status(http.StatusOK).Send(app.HandleContext(c.UserContext(), claims, ok))
		})
		method := rt.Method
		if method == "" {
			method = http.MethodGet
		}
		f.Add(method, rt.Path, chain...)
	}
	return adaptor.FiberApp(f)
}

func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "fiber", New: newConformanceApp})
}
