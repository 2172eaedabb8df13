package clerkchi

import (
	"net/http"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Guard turns any core.Guard into net/http middleware: the request goes on
// when g allows the Result stored by Middleware, and is rejected
// through the error handler otherwise (401 signed out, 403 not allowed, 503
// keys unavailable, 500 when Middleware is missing; behaviour.md §7.2). Use it for
// guards the named helpers do not cover, e.g.
// Guard(core.RequirePermission("org:reports:read").WithTokenTypes(core.SessionToken, core.OAuthToken)).
//
// Options: WithErrorHandler, WithPassPreflight.
func Guard(g core.Guard, opts ...GuardOption) func(http.Handler) http.Handler {
	cfg := adapter.NewGuardConfig(opts)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			st, _ := adapter.StateFromContext(r.Context())
			if err := cfg.Evaluate(r.Context(), g, st, core.HTTPRequest(r)); err != nil {
				if ans, ok := cfg.SignInRedirect(st, core.HTTPRequest(r), err); ok {
					ans.WriteTo(w)
					return
				}
				cfg.Handler(st, DefaultErrorHandler)(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RequireAuth lets signed-in requests with a session token through and
// answers 401 otherwise (core.RequireAuth).
func RequireAuth(opts ...GuardOption) func(http.Handler) http.Handler {
	return Guard(core.RequireAuth(), opts...)
}

// RequirePermission lets through signed-in requests whose active
// organization grants permission p ("org:invoices:create" or
// "invoices:create"): 401 signed out, 403 missing-permission otherwise
// (core.RequirePermission, behaviour.md §5.2).
func RequirePermission(p string, opts ...GuardOption) func(http.Handler) http.Handler {
	return Guard(core.RequirePermission(p), opts...)
}

// RequireRole lets through signed-in requests whose organization role is r
// ("admin" or "org:admin"): 401 signed out, 403 missing-role otherwise
// (core.RequireRole, behaviour.md §5.3).
func RequireRole(r string, opts ...GuardOption) func(http.Handler) http.Handler {
	return Guard(core.RequireRole(r), opts...)
}

// RequireFeature lets through signed-in requests with feature f ("f",
// "o:f", "u:f", …): 401 signed out, 403 missing-feature otherwise
// (core.RequireFeature, behaviour.md §5.4).
func RequireFeature(f string, opts ...GuardOption) func(http.Handler) http.Handler {
	return Guard(core.RequireFeature(f), opts...)
}

// RequirePlan lets through signed-in requests with plan p, same scope syntax
// as RequireFeature: 401 signed out, 403 missing-plan otherwise
// (core.RequirePlan, behaviour.md §5.4).
func RequirePlan(p string, opts ...GuardOption) func(http.Handler) http.Handler {
	return Guard(core.RequirePlan(p), opts...)
}

// Require lets through signed-in requests for which fn returns true: 401
// signed out, 403 forbidden otherwise (core.Require). A nil fn refuses every
// request.
func Require(fn func(*core.Claims) bool, opts ...GuardOption) func(http.Handler) http.Handler {
	return Guard(core.Require(fn), opts...)
}

// RequireScope lets through machine tokens (M2M, OAuth, API key) carrying
// scope s: 401 signed out or for a session token (token-type-mismatch), 403
// missing-scope otherwise (core.RequireScope). The Authorizer must accept
// machine tokens (core.WithAcceptsToken).
func RequireScope(s string, opts ...GuardOption) func(http.Handler) http.Handler {
	return Guard(core.RequireScope(s), opts...)
}

// AcceptsToken lets through signed-in requests whose token is one of types
// (every type when types is empty) and answers 401 token-type-mismatch for
// the others (core.AcceptsToken, behaviour.md §6.3). Options:
// WithErrorHandler, as on every guard.
func AcceptsToken(types []core.TokenType, opts ...GuardOption) func(http.Handler) http.Handler {
	return Guard(core.AcceptsToken(types...), opts...)
}

// RequireReverification lets through signed-in sessions that verified their
// credentials recently enough for r (core.ReverificationStrict, …): 401
// signed out, 403 reverification-error otherwise, with the clerk_error hint
// Clerk's frontend (useReverification) reads to prompt the user and retry
// (core.RequireReverification, behaviour.md §5.6, §7.3).
func RequireReverification(r core.Reverification, opts ...GuardOption) func(http.Handler) http.Handler {
	return Guard(core.RequireReverification(r), opts...)
}
