package clerkfiberv3

import (
	"github.com/gofiber/fiber/v3"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Guard turns any core.Guard into a fiber handler: the request goes on
// (c.Next) when g allows the Result stored by Middleware; otherwise
// the error handler renders the rejection and its return value is returned
// (401 signed out, 403 not allowed, 503 keys unavailable, 500 without
// Middleware; behaviour.md §7.2). Every named guard below is Guard of its
// core guard, e.g.
// Guard(core.RequirePermission("org:reports:read").WithTokenTypes(core.SessionToken, core.OAuthToken)).
func Guard(g core.Guard, opts ...GuardOption) fiber.Handler {
	cfg := adapter.NewGuardConfig(opts)
	return func(c fiber.Ctx) error {
		st := stateFrom(c)
		if err := cfg.Evaluate(c.Context(), g, st, viewOf(c)); err != nil {
			if ans, ok := cfg.SignInRedirect(st, viewOf(c), err); ok {
				adapter.AddAnswer(&c.Response().Header, ans)
				c.Status(ans.Status)
				return nil
			}
			return cfg.Handler(st, DefaultErrorHandler)(c, err)
		}
		return c.Next()
	}
}

// RequireAuth lets signed-in requests with a session token through and
// answers 401 otherwise (core.RequireAuth).
func RequireAuth(opts ...GuardOption) fiber.Handler { return Guard(core.RequireAuth(), opts...) }

// RequirePermission requires org permission p (core.RequirePermission,
// behaviour.md §5.2): 401 signed out, 403 missing-permission.
func RequirePermission(p string, opts ...GuardOption) fiber.Handler {
	return Guard(core.RequirePermission(p), opts...)
}

// RequireRole requires org role r ("admin" or "org:admin"): 401 signed out,
// 403 missing-role (core.RequireRole, behaviour.md §5.3).
func RequireRole(r string, opts ...GuardOption) fiber.Handler {
	return Guard(core.RequireRole(r), opts...)
}

// RequireFeature requires feature f ("f", "o:f", "u:f", …): 401 signed out,
// 403 missing-feature (core.RequireFeature, behaviour.md §5.4).
func RequireFeature(f string, opts ...GuardOption) fiber.Handler {
	return Guard(core.RequireFeature(f), opts...)
}

// RequirePlan requires plan p, same scope syntax as RequireFeature: 401
// signed out, 403 missing-plan (core.RequirePlan, behaviour.md §5.4).
func RequirePlan(p string, opts ...GuardOption) fiber.Handler {
	return Guard(core.RequirePlan(p), opts...)
}

// Require lets through signed-in requests for which fn returns true
// (core.Require): 401 signed out, 403 forbidden otherwise. A nil fn refuses
// every request.
func Require(fn func(*core.Claims) bool, opts ...GuardOption) fiber.Handler {
	return Guard(core.Require(fn), opts...)
}

// RequireScope requires a machine token (M2M, OAuth, API key) carrying scope
// s: 401 signed out or for a session token (token-type-mismatch), 403
// missing-scope (core.RequireScope). The Authorizer must accept machine
// tokens (core.WithAcceptsToken).
func RequireScope(s string, opts ...GuardOption) fiber.Handler {
	return Guard(core.RequireScope(s), opts...)
}

// AcceptsToken lets through tokens of the given types only, every type when
// types is empty (core.AcceptsToken, behaviour.md §6.3): 401
// token-type-mismatch for the others.
func AcceptsToken(types []core.TokenType, opts ...GuardOption) fiber.Handler {
	return Guard(core.AcceptsToken(types...), opts...)
}

// RequireReverification lets through signed-in sessions that verified their
// credentials recently enough for r (core.ReverificationStrict, …): 401
// signed out, 403 reverification-error otherwise, with the clerk_error hint
// Clerk's frontend (useReverification) reads to prompt the user and retry
// (core.RequireReverification, behaviour.md §5.6, §7.3).
func RequireReverification(r core.Reverification, opts ...GuardOption) fiber.Handler {
	return Guard(core.RequireReverification(r), opts...)
}
