package core

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// This file connects the Observer (events.go) to the code it observes. Each
// hook is one call at the observed spot; with no observer every hook is a
// nil check, and Authenticate neither reads the clock nor allocates.

// wireEvents is called by New with the HTTP client every upstream call
// uses: it folds WithObserver into the Auth event and returns the client
// wrapped to time each round trip when an Upstream function is set.
func (a *Authorizer) wireEvents(client *http.Client) *http.Client {
	if fn := a.cfg.observer; fn != nil {
		a.cfg.events = Observer{Auth: func(_ context.Context, e AuthEvent) { fn(e.Outcome()) }}.join(a.cfg.events)
	}
	if a.cfg.events.Upstream == nil {
		return client
	}
	jwks := a.cfg.jwksURL
	if jwks == "" {
		jwks = a.cfg.apiURL + "/v1/jwks"
	}
	if u, err := url.Parse(jwks); err == nil { // compared without query (kind)
		u.RawQuery, u.Fragment = "", ""
		jwks = u.String()
	}
	next := client.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c := *client
	c.Transport = &upstreamTransport{next: next, jwksURL: jwks, api: a.cfg.apiURL, fn: a.cfg.events.Upstream}
	return &c
}

// wireRateLimits gives the key source and the Backend API client the
// RateLimit function; called by New once both exist.
func (a *Authorizer) wireRateLimits() {
	fn := a.cfg.events.RateLimit
	if fn == nil {
		return
	}
	if rk, ok := a.keys.(*remoteKeys); ok {
		rk.rateLimited = fn
	}
	a.backend.rateLimited = fn
}

// authObservation is the observation of one authentication: its start and
// the count of upstream calls it waited for. It is also the context the
// verification runs with, so that the code waiting for an upstream call can
// count it (countUpstream) without any other plumbing. nil when no Auth
// function is set.
type authObservation struct {
	context.Context
	start time.Duration // since monoEpoch
	calls atomic.Int32
}

// monoEpoch is the origin of the durations of authentications: time.Since
// of a monotonic reading reads one clock, where time.Now reads two (the
// wall clock as well), and a clock read is a noticeable part of a cache hit
// on some machines.
var monoEpoch = time.Now()

type authObservationKey struct{}

// Value implements context.Context.
func (o *authObservation) Value(key any) any {
	if _, ok := key.(authObservationKey); ok {
		return o
	}
	return o.Context.Value(key)
}

// observeStart starts the observation of an authentication with ctx, or
// returns nil when nobody observes authentications: reading the wall clock
// is a noticeable part of a cache hit on some machines.
func (a *Authorizer) observeStart(ctx context.Context) *authObservation {
	if a.cfg.events.Auth == nil {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return &authObservation{Context: ctx, start: time.Since(monoEpoch)}
}

// context is the context to verify with: o itself, or ctx when o is nil.
func (o *authObservation) context(ctx context.Context) context.Context {
	if o == nil {
		return ctx
	}
	return o
}

// observeAuth reports the authentication observed by o (nil: nobody
// observes) with the request's context.
func (a *Authorizer) observeAuth(ctx context.Context, o *authObservation, source string, tt TokenType, c *Claims, hit bool, err error) {
	if o == nil {
		return
	}
	e := AuthEvent{TokenType: tt, Source: source, Reason: ReasonOf(err), Err: err, CacheHit: hit,
		Duration: time.Since(monoEpoch) - o.start, UpstreamCalls: int(o.calls.Load())}
	if err == nil {
		e.Claims = c
	}
	a.cfg.events.Auth(ctx, e)
}

// countUpstream records, on the observation ctx belongs to (if any), that
// the request is waiting for an upstream call.
func countUpstream(ctx context.Context) {
	if o, ok := ctx.Value(authObservationKey{}).(*authObservation); ok {
		o.calls.Add(1)
	}
}

// jwksWait is the hook of remoteKeys.key after it asked for a fetch: call is
// the fetch the request waits for, or nil when the refetch limit refused
// one (a RateLimitEvent).
func (r *remoteKeys) jwksWait(ctx context.Context, call *fetchCall) {
	if call != nil {
		countUpstream(ctx)
	} else if r.rateLimited != nil {
		r.rateLimited(ctx, RateLimitEvent{Limit: RateLimitJWKSRefetch})
	}
}

// refused is the hook of backendAPI.lookup when the call budget refused a
// call for a token of type tt; known reports that its last good verdict
// answers instead.
func (b *backendAPI) refused(ctx context.Context, tt TokenType, known bool) {
	if b.rateLimited != nil {
		b.rateLimited(ctx, RateLimitEvent{Limit: RateLimitBackendAPI, TokenType: tt, LastVerdict: known})
	}
}

// upstreamTransport times each round trip of the Authorizer's HTTP client
// for Observer.Upstream. It never reads or logs headers or bodies.
type upstreamTransport struct {
	next    http.RoundTripper
	jwksURL string
	api     string
	fn      func(context.Context, UpstreamEvent)
}

// RoundTrip implements http.RoundTripper.
func (t *upstreamTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	e := UpstreamEvent{Kind: t.kind(req), Err: err, Duration: time.Since(start)}
	if resp != nil {
		e.Status = resp.StatusCode
	}
	t.fn(req.Context(), e)
	return resp, err
}

// kind names the endpoint of req from its URL, without query.
func (t *upstreamTransport) kind(req *http.Request) UpstreamKind {
	u := *req.URL
	u.RawQuery, u.Fragment = "", ""
	s := u.String()
	if s == t.jwksURL {
		return UpstreamJWKS
	}
	if path, ok := strings.CutPrefix(s, t.api); ok {
		switch path {
		case "/v1/m2m_tokens/verify":
			return UpstreamVerifyM2M
		case "/v1/oauth_applications/access_tokens/verify":
			return UpstreamVerifyOAuth
		case "/v1/api_keys/verify":
			return UpstreamVerifyAPIKey
		}
	}
	return UpstreamOther
}
