package core

import (
	"net/http"
	"slices"
)

// Guard is an authorization rule evaluated against the Result of the
// authentication middleware (behaviour.md §7.2). Adapters wrap Guards in their
// framework's middleware type (RequirePermission, RequireRole, …); the
// decision and the error it returns are made here, once, for every adapter.
//
// The zero Guard is RequireAuth.
type Guard struct {
	name   string
	reason Reason
	allow  func(*Claims) bool
	types  []TokenType
	hint   *Reverification // rendered with a refusal (RequireReverification)
	meta   string          // resource metadata URL of 401 challenges (WithResourceMetadata)
}

// sessionOnly and machineOnly are the default token types of guards.
var (
	sessionOnly = []TokenType{SessionToken}
	machineOnly = []TokenType{M2MToken, OAuthToken, APIKey}
)

// RequireAuth allows any signed-in request with a session token: 401 when
// signed out, or when the token is a machine token (token-type-mismatch;
// use AcceptsToken for machine routes).
func RequireAuth() Guard { return Guard{name: "RequireAuth"} }

// RequirePermission allows signed-in requests whose active organization
// grants permission p (behaviour.md §5.2): 401 when signed out, 403 (reason
// missing-permission) otherwise.
func RequirePermission(p string) Guard {
	return Guard{name: "RequirePermission(" + p + ")", reason: ReasonMissingPermission,
		allow: func(c *Claims) bool { return c.HasPermission(p) }}
}

// RequireRole allows signed-in requests whose role in the active organization
// is r (behaviour.md §5.3): 401 when signed out, 403 (missing-role) otherwise.
func RequireRole(r string) Guard {
	return Guard{name: "RequireRole(" + r + ")", reason: ReasonMissingRole,
		allow: func(c *Claims) bool { return c.HasRole(r) }}
}

// RequireFeature allows signed-in requests that have feature f (behaviour.md §5.4):
// 401 when signed out, 403 (missing-feature) otherwise.
func RequireFeature(f string) Guard {
	return Guard{name: "RequireFeature(" + f + ")", reason: ReasonMissingFeature,
		allow: func(c *Claims) bool { return c.HasFeature(f) }}
}

// RequirePlan allows signed-in requests that have plan p (behaviour.md §5.4): 401 when
// signed out, 403 (missing-plan) otherwise.
func RequirePlan(p string) Guard {
	return Guard{name: "RequirePlan(" + p + ")", reason: ReasonMissingPlan,
		allow: func(c *Claims) bool { return c.HasPlan(p) }}
}

// RequireScope allows requests whose machine token (M2M, OAuth or API key)
// carries scope s: 401 when signed out or for a session token
// (token-type-mismatch), 403 (missing-scope) otherwise.
func RequireScope(s string) Guard {
	return Guard{name: "RequireScope(" + s + ")", reason: ReasonMissingScope, types: machineOnly,
		allow: func(c *Claims) bool { return c.HasScope(s) }}
}

// Require allows signed-in requests for which fn returns true: 401 when
// signed out, 403 (forbidden) otherwise. A nil fn refuses every request.
func Require(fn func(*Claims) bool) Guard {
	if fn == nil {
		fn = func(*Claims) bool { return false }
	}
	return Guard{name: "Require(custom)", reason: ReasonForbidden, allow: fn}
}

// AcceptsToken allows signed-in requests whose token is one of types, and
// answers 401 with reason token-type-mismatch for any other token type (behaviour.md
// §6.3). Use it on routes that serve machines: the Authorizer must accept those
// types too (WithAcceptsToken). With no types it accepts every type.
func AcceptsToken(types ...TokenType) Guard {
	if len(types) == 0 {
		types = []TokenType{SessionToken, M2MToken, OAuthToken, APIKey}
	}
	return Guard{name: "AcceptsToken", types: slices.Clone(types)}
}

// WithTokenTypes returns a copy of g that accepts the given token types
// instead of its default ones: every guard but RequireScope and AcceptsToken
// accepts session tokens only, as Clerk's auth.protect() does. For example
// RequirePermission("org:reports:read").WithTokenTypes(core.SessionToken,
// core.OAuthToken).
func (g Guard) WithTokenTypes(types ...TokenType) Guard {
	g.types = slices.Clone(types)
	return g
}

// WithResourceMetadata returns a copy of g whose 401 answers also point
// OAuth clients at the protected-resource metadata at url (RFC 9728 §5.1):
// `WWW-Authenticate: Bearer resource_metadata="<url>"`, with
// error="invalid_token" once a token was presented. Use it on an API that
// OAuth clients (MCP clients, for instance) discover by its 401; serve the
// metadata document there (the clerkmcp package builds one for Clerk). url
// must be an absolute http(s) URL without a quote or a backslash; anything
// else is ignored and g is returned unchanged, as the challenge could not
// carry it.
func (g Guard) WithResourceMetadata(url string) Guard {
	if !validChallengeURL(url) {
		return g
	}
	g.meta = url
	return g
}

// ResourceMetadata returns the metadata URL set with WithResourceMetadata,
// or "".
func (g Guard) ResourceMetadata() string { return g.meta }

// Name describes the guard, for logs.
func (g Guard) Name() string {
	if g.name == "" {
		return "RequireAuth"
	}
	return g.name
}

// Evaluate decides the request whose authentication Result is res. It returns
// nil when the request may proceed, or an *Error to render with ProblemFor:
//   - res == nil (the middleware did not run): ReasonMiddlewareMissing (500):
//     a wiring mistake never lets a request through;
//   - signed out: res.Err (401, or 503 for key-loading failures);
//   - a token type the guard does not accept: token-type-mismatch (401;
//     session tokens only unless the guard says otherwise);
//   - signed in but not allowed: the guard's 403 reason.
//
// Evaluate only decides; the adapters' guards also log 403 decisions
// through the Authorizer's logger (behaviour.md §7.3).
func (g Guard) Evaluate(res *Result) error {
	err := g.evaluate(res)
	if g.meta != "" && err != nil && ReasonOf(err).Status() == http.StatusUnauthorized {
		return withResourceMetadata(err, g.meta)
	}
	return err
}

func (g Guard) evaluate(res *Result) error {
	if res == nil {
		return &Error{Reason: ReasonMiddlewareMissing, Detail: g.Name() + " ran without the authentication middleware"}
	}
	if res.Err != nil {
		return res.Err
	}
	if !res.Claims.signedIn() {
		// No claims, or claims without a subject (for example built by hand
		// with ContextWithClaims): signed out (behaviour.md §5.1).
		return ErrSessionTokenMissing
	}
	types, tt := g.types, res.Claims.TokenType
	if len(types) == 0 {
		types = sessionOnly
	}
	if tt == "" {
		tt = SessionToken
	}
	if !slices.Contains(types, tt) {
		return &Error{Reason: ReasonTokenTypeMismatch, Detail: g.Name() + " does not accept " + string(tt)}
	}
	if g.allow != nil && !g.allow(res.Claims) {
		return &Error{Reason: g.reason, Detail: g.Name() + " refused", reverification: g.hint}
	}
	return nil
}
