package core

import (
	"context"
	"time"
)

// Observer receives what an Authorizer does, for metrics and traces
// (behaviour.md §13). Each field is optional: a nil function is never
// called, and an Authorizer without any observer does no observation work
// at all (no clock read, no allocation). Every function runs on the path of
// the work it reports (the request, or the goroutine of a shared upstream
// call), so it must be fast and safe for concurrent use; it must not keep
// the event's pointers (Claims, Err) past its return.
//
// No event ever holds a token or a secret key (behaviour.md §13.2).
// Package clerkotel (module observability/otel) turns these events into
// OpenTelemetry metrics and span events.
//
// New fields may be added to Observer and to the events; set fields by name.
type Observer struct {
	// Auth runs once per authentication (Authenticate, VerifyToken and the
	// adapters' middleware), with the request's context.
	Auth func(ctx context.Context, e AuthEvent)
	// Upstream runs once per HTTP call to Clerk: JWKS fetches and Backend
	// API verify calls, with the context the call was made with (which
	// carries the values, and so the trace span, of the request that
	// started it).
	Upstream func(ctx context.Context, e UpstreamEvent)
	// RateLimit runs each time a rate limit refuses an upstream call.
	RateLimit func(ctx context.Context, e RateLimitEvent)
	// Guard runs once per guard decision of an adapter (allowed or denied),
	// with the request's context, when the request was authenticated by an
	// Authorizer with this observer (GuardObserver).
	Guard func(ctx context.Context, e GuardEvent)
}

// WithEvents registers o (behaviour.md §13.1). It may be given several
// times: each function of each Observer runs, in the order given. An
// Observer with no function set is an error. WithObserver is the older,
// context-free form of o.Auth; both may be used together.
func WithEvents(o Observer) Option {
	return func(c *config) error {
		if o.Auth == nil && o.Upstream == nil && o.RateLimit == nil && o.Guard == nil {
			return configError("WithEvents: the Observer has no function set")
		}
		c.events = c.events.join(o)
		return nil
	}
}

// GuardObserver returns the Guard function of the observers given to
// WithEvents, nil when none has one. It is for adapter authors: package
// core/adapter reports each guard decision of a request this Authorizer
// authenticated through it (behaviour.md §13.1).
func (a *Authorizer) GuardObserver() func(context.Context, GuardEvent) { return a.cfg.events.Guard }

// AuthEvent is one authentication. It is Outcome with the duration under
// its OpenTelemetry name, the claims of a signed-in request and the count of
// upstream calls the request waited for.
type AuthEvent struct {
	// TokenType is the detected token type ("" when no token was sent).
	TokenType TokenType
	// Source says where the token was read from (see Outcome.Source).
	Source string
	// Reason is "" when the request is signed in, else why it is not.
	Reason Reason
	// Err is the authentication error, nil when signed in. Its text is not
	// meant for metric attributes: use Reason.
	Err error
	// CacheHit is Outcome.CacheHit: the answer came from memory.
	CacheHit bool
	// Duration is the time spent authenticating.
	Duration time.Duration
	// UpstreamCalls is the number of upstream calls (JWKS fetch, Backend
	// API call) the request waited for: 0 for a cache hit, usually 0 or 1.
	// A call shared by several requests counts once for each of them.
	UpstreamCalls int
	// Claims are the verified claims of a signed-in request, nil otherwise.
	// They hold personal data (user and organization IDs): an observer
	// should record them only when its user asked for it.
	Claims *Claims
}

// Outcome is e in the form WithObserver receives.
func (e AuthEvent) Outcome() Outcome {
	return Outcome{TokenType: e.TokenType, Source: e.Source, Reason: e.Reason, Err: e.Err,
		CacheHit: e.CacheHit, Latency: e.Duration}
}

// UpstreamKind names the Clerk endpoint an upstream call went to. Its
// values are a small fixed set, fit for a metric attribute.
type UpstreamKind string

// Upstream endpoint kinds.
const (
	// UpstreamJWKS is a key set fetch (WithJWKSURL, or the Backend API's
	// /v1/jwks with WithSecretKey).
	UpstreamJWKS UpstreamKind = "jwks"
	// UpstreamVerifyM2M is the Backend API's /v1/m2m_tokens/verify.
	UpstreamVerifyM2M UpstreamKind = "m2m_token_verify"
	// UpstreamVerifyOAuth is the Backend API's
	// /v1/oauth_applications/access_tokens/verify.
	UpstreamVerifyOAuth UpstreamKind = "oauth_token_verify"
	// UpstreamVerifyAPIKey is the Backend API's /v1/api_keys/verify.
	UpstreamVerifyAPIKey UpstreamKind = "api_key_verify"
	// UpstreamOther is any other call made through the Authorizer's HTTP
	// client.
	UpstreamOther UpstreamKind = "other"
)

// UpstreamEvent is one HTTP call to Clerk, measured around the HTTP
// client's round trip (the response body is read after it).
type UpstreamEvent struct {
	// Kind is the endpoint.
	Kind UpstreamKind
	// Status is the HTTP status of the answer, 0 when there was none (a
	// transport error, a timeout).
	Status int
	// Err is the transport error when Status is 0. It may quote the URL,
	// never a token or a key (those travel in headers and bodies).
	Err error
	// Duration is the time the round trip took.
	Duration time.Duration
}

// RateLimitKind names the limit that refused an upstream call.
type RateLimitKind string

// Rate limits.
const (
	// RateLimitBackendAPI is the Backend API call budget of machine token
	// verification (MachineVerification.RateBurst, RatePerSecond,
	// behaviour.md §6.5, 6.6).
	RateLimitBackendAPI RateLimitKind = "backend_api"
	// RateLimitJWKSRefetch is the JWKS refetch limit (JWKSRefresh:
	// UnknownKIDInterval after an unknown kid, RetryInterval after a failed
	// fetch, behaviour.md §2.4).
	RateLimitJWKSRefetch RateLimitKind = "jwks_refetch"
)

// RateLimitEvent is one upstream call a rate limit refused.
type RateLimitEvent struct {
	// Limit is the limit that refused the call.
	Limit RateLimitKind
	// TokenType is the type of the token being verified (an opaque machine
	// token for RateLimitBackendAPI; "" for RateLimitJWKSRefetch, which
	// refuses before the token's type matters).
	TokenType TokenType
	// LastVerdict reports that the request was answered with a known-good
	// token's last good verdict instead (behaviour.md §6.7): the refusal cost
	// the request nothing.
	LastVerdict bool
}

// GuardEvent is one decision of a guard.
type GuardEvent struct {
	// Guard is the guard's Name ("RequirePermission(org:reports:read)").
	Guard string
	// Allowed reports that the request may proceed.
	Allowed bool
	// Reason is "" when allowed, else the reason of the refusal (a 401
	// reason when signed out, the guard's 403 reason otherwise).
	Reason Reason
	// TokenType is the type of the request's token ("" when signed out
	// without one).
	TokenType TokenType
}

// join returns an Observer running o's functions, then p's.
func (o Observer) join(p Observer) Observer {
	return Observer{Auth: join2(o.Auth, p.Auth), Upstream: join2(o.Upstream, p.Upstream),
		RateLimit: join2(o.RateLimit, p.RateLimit), Guard: join2(o.Guard, p.Guard)}
}

func join2[E any](f, g func(context.Context, E)) func(context.Context, E) {
	switch {
	case f == nil:
		return g
	case g == nil:
		return f
	}
	return func(ctx context.Context, e E) { f(ctx, e); g(ctx, e) }
}
