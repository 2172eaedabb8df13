// Package clerkotel reports what a clerkguard Authorizer does to
// OpenTelemetry (go.opentelemetry.io/otel v1): metrics of authentications,
// upstream calls to Clerk, rate-limit refusals and guard decisions, and
// attributes and events on the span of the request being served.
//
// It plugs into the Authorizer, not into a framework: pass its Observer to
// core.WithEvents and every adapter (chi, gin, echo, fiber, the gRPC and
// Connect interceptors) reports through it, unchanged:
//
//	inst, err := clerkotel.New() // the global MeterProvider, or WithMeterProvider
//	...
//	auth, err := core.New(core.WithSecretKey(sk), core.WithEvents(inst.Observer()))
//
// # Metrics
//
//   - clerkguard.auth.requests (counter, {request}): one per authentication,
//     with clerkguard.auth.status (signed_in, signed_out),
//     clerkguard.auth.reason (the reason code, when signed out),
//     clerkguard.token.type (session_token, m2m_token, oauth_token, api_key,
//     or none), clerkguard.token.source (header, cookie, a TokenSource
//     name, or none) and clerkguard.cache.hit (bool).
//   - clerkguard.auth.duration (histogram, s): the same attributes.
//   - clerkguard.upstream.requests (counter, {request}) and
//     clerkguard.upstream.duration (histogram, s): one per HTTP call to
//     Clerk, with clerkguard.upstream.endpoint (jwks, m2m_token_verify,
//     oauth_token_verify, api_key_verify, other),
//     http.response.status_code (when there was an answer) and error.type
//     (the status code from 400 on, "transport" when there was no answer).
//   - clerkguard.ratelimit.refusals (counter, {refusal}): one per upstream
//     call a rate limit refused, with clerkguard.ratelimit.limit
//     (backend_api, jwks_refetch), clerkguard.token.type (when known) and
//     clerkguard.ratelimit.last_verdict (bool: a known-good token's last
//     verdict answered instead).
//   - clerkguard.guard.decisions (counter, {decision}): one per guard
//     decision, with clerkguard.guard.name, clerkguard.guard.decision
//     (allowed, denied), clerkguard.auth.reason (when denied) and
//     clerkguard.token.type.
//
// Every attribute value comes from a small set fixed by clerkguard or by the
// application's configuration (token source names, guard names), so the
// series stay few. No attribute ever holds a token or a secret key
// (behaviour.md §13.2), and metrics never hold a user or organization ID.
//
// # Spans
//
// When the request's context carries a recording span (an otelhttp handler,
// otelgrpc, any tracing middleware in front of clerkguard), the
// authentication's attributes are set on it, and each guard decision,
// upstream call and rate-limit refusal is added to it as an event
// (clerkguard.guard.decision, clerkguard.upstream.request,
// clerkguard.ratelimit.refusal). User and organization IDs are personal
// data: they are added (user.id, clerkguard.org.id) only with WithUserIDs.
//
// # Tracing the calls to Clerk
//
// The JWKS fetches and the Backend API verify calls go through the
// Authorizer's HTTP client; give it otelhttp's transport to get a client
// span for each, child of the span of the request that started the call:
//
//	client := &http.Client{Timeout: 10 * time.Second,
//		Transport: otelhttp.NewTransport(http.DefaultTransport)}
//	auth, err := core.New(core.WithSecretKey(sk), core.WithHTTPClient(client),
//		core.WithEvents(inst.Observer()))
//
// otelhttp names the span after the method and records the URL, never the
// Authorization header (the secret key) or the body (the token). A fetch
// shared by concurrent requests belongs to the trace of the request that
// started it.
package clerkotel
