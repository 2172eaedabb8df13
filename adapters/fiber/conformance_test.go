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

// newConformanceApp mounts app on a fiber app with clerkfiber and exposes it
// as an http.Handler through fiber's adaptor.
func newConformanceApp(_ *testing.T, app *conformance.App) http.Handler {
	f := fiber.New(fiber.Config{DisableStartupMessage: true})
	for _, rt := range app.Routes {
		var opts []clerkfiber.Option
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
			chain = append(chain, clerkfiber.Middleware(app.Authorizer))
		}
		switch rt.Guard {
		case conformance.GuardAuth:
			chain = append(chain, clerkfiber.RequireAuth(opts...))
		case conformance.GuardPermission:
			chain = append(chain, clerkfiber.RequirePermission(rt.Arg, opts...))
		case conformance.GuardRole:
			chain = append(chain, clerkfiber.RequireRole(rt.Arg, opts...))
		case conformance.GuardFeature:
			chain = append(chain, clerkfiber.RequireFeature(rt.Arg, opts...))
		case conformance.GuardPlan:
			chain = append(chain, clerkfiber.RequirePlan(rt.Arg, opts...))
		case conformance.GuardCustom:
			chain = append(chain, clerkfiber.Require(rt.Custom, opts...))
		case conformance.GuardScope:
			chain = append(chain, clerkfiber.RequireScope(rt.Arg, opts...))
		case conformance.GuardAcceptsToken:
			chain = append(chain, clerkfiber.AcceptsToken(rt.Types, opts...))
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
