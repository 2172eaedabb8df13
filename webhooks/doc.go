// Package webhooks receives Clerk (clerk.com) webhooks: it verifies their Svix
// signatures, decodes the event envelope into typed values, deduplicates
// deliveries and dispatches them to your handlers, as a plain http.Handler
// that mounts on net/http, chi, gin, echo or fiber. It does not depend on any
// web framework or on the rest of clerkguard. The behaviour contract is
// docs/behaviour.md section 9; comments cite it ("behaviour.md §9.2").
//
// # Verification
//
// NewVerifier takes the endpoint's signing secret ("whsec_…", usually from
// CLERK_WEBHOOK_SIGNING_SECRET). Verifier.Verify checks the raw request body
// against the svix-id, svix-timestamp and svix-signature headers (or the
// Standard Webhooks webhook-* names) before any JSON parsing (behaviour.md §9.3), using
// github.com/svix/svix-webhooks/go for the HMAC-SHA256 and its constant-time
// comparison. Any v1 signature in the header may match (secret rotation).
// Timestamps further from the clock than the tolerance (DefaultTolerance, 5
// minutes; WithTolerance) are rejected (replay protection); WithClock
// injects the clock in tests. Header
// sizes and the number of signatures are bounded before any HMAC is
// computed. Failures are *Error values with a stable Reason
// (missing-headers, invalid-signature, timestamp-too-old, timestamp-too-new,
// invalid-payload) that match the Err… sentinels with errors.Is. Errors and
// HTTP answers never contain the secret, a signature or the payload.
//
// # Events
//
// An Event is the envelope of behaviour.md §9.4 (type, object, data, timestamp in
// milliseconds, instance_id, event_attributes.http_request); any JSON object
// is accepted, so unknown types pass through, and Raw keeps the whole
// payload as signed. Data stays raw;
// accessors decode it: User, Session, Organization, OrganizationMembership,
// OrganizationInvitation, Role, Permission, Email, SMS, and Deleted for the
// {id, object, deleted} data of user.deleted, organization.deleted and the
// like. Event.Decode serves every other type (billing, waitlist, domains,
// …): unknown types pass through.
//
// # Handler
//
// Handler returns a *Mux (an http.Handler). Register functions with On or
// the typed helpers (OnUserCreated, OnOrganizationMembershipDeleted, …);
// EventFromContext gives typed handlers the envelope. The Mux accepts POST
// only (405), reads at most 1 MiB (413; WithMaxBodyBytes), answers 400 with
// {"error":"bad_request","reason":…,"message":…} when verification fails,
// 200 for types without a handler, 200 only after every handler for the type
// returned nil, and 500 when a handler fails or panics so that Svix
// retries: nothing is lost.
//
// # Idempotency
//
// Svix delivers at least once. A Deduplicator keyed by the svix-id makes the
// handlers run once per message: the Mux claims the id before running them,
// marks it done on success (a later duplicate answers 200 "duplicate"
// without running anything) and releases it on failure (the retry runs them
// again). A duplicate that arrives while the first delivery is still being
// handled waits for it (WithInFlightWait, default 10 seconds): it answers 200
// "duplicate" when the first succeeded, and runs the handlers itself when the
// first failed. Only when the first is still running after the wait does it
// answer 409 with reason "delivery-in-flight" and Retry-After: 5, so that Svix
// retries it later. A claim left by a crashed process
// expires after its lease (WithLease, default one minute). The default
// MemoryDeduplicator (TTL and bounded size) is per process; with several
// instances use NewSQLDeduplicator, which keeps the ids in a database/sql
// table shared by all of them (SQLite or PostgreSQL, created on demand).
// Handlers should still be idempotent on their own data: a claim can expire
// or be evicted, and a success can fail to be recorded.
//
// # Mounting
//
// The Mux reads the body itself and verifies it byte for byte, so mount it
// before anything that parses or re-encodes JSON, and do not bind the body in
// the framework first:
//
//	http.Handle("POST /webhooks/clerk", h)          // net/http
//	r.Method("POST", "/webhooks/clerk", h)          // chi
//	g.POST("/webhooks/clerk", gin.WrapH(h))         // gin
//	e.POST("/webhooks/clerk", echo.WrapHandler(h))  // echo v4
//	app.Post("/webhooks/clerk", adaptor.HTTPHandler(h)) // fiber v2, gofiber/fiber/v2/middleware/adaptor
//
// Webhook routes are called by Svix, not by signed-in users: keep them out of
// clerkguard's auth guards and of CSRF middleware.
//
// Package webhookstest signs deliveries for your own tests.
package webhooks
