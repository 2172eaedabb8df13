// Package clerktest is the test kit of clerkguard: an in-process Clerk-like
// issuer that owns an RSA key, serves its JWKS (and the Backend API's
// /v1/jwks) from an httptest.Server, and mints Clerk-shaped session tokens,
// valid or broken on purpose, against a controllable Clock.
//
// Use it to test your own handlers without a Clerk account or network:
//
//	iss := clerktest.Start(t)
//	a, _ := core.New(iss.AuthorizerOptions()...)
//	token := iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1",
//		OrgRole: "admin", OrgPermissions: []string{"org:invoices:create"}})
//	req.Header.Set("Authorization", "Bearer "+token)
//
// For trying an API by hand, StartDev starts the same issuer as a local dev
// issuer (issuer URL DevIssuerURL) whose tokens live DevTokenTTL, eight
// hours, and whose Env points core.NewFromEnv at it; the clerkguard CLI's
// dev and mint commands are built on it.
//
// Backend is a fake Clerk Backend API (users, organizations, memberships,
// counts, paging, rate-limit answers) for code that calls it, such as
// usersync's just-in-time provisioning and backfill: serve it alone
// (StartBackend) or on the Issuer (Issuer.Handle), which then plays Clerk
// for keys, tokens and the Backend API from one URL.
//
// For server-rendered apps the Issuer is also a fake Clerk Frontend API
// (development instance) at FrontendAPIURL: /v1/client/handshake answers a
// handshake redirect with fresh cookies in a `__clerk_handshake` token or
// behind a `__clerk_handshake_nonce`; the fake Backend API redeems nonces
// (GET /v1/clients/handshake_payload) and refreshes sessions
// (POST /v1/sessions/{sid}/refresh); SignInURL is a sign-in page where a
// person picks a test user ID. A Client is one browser: sign it in, let the
// clock pass the token's expiry, and the next handshake brings a fresh
// session token:
//
//	iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
//	browser, _ := iss.NewClient()
//	browser.SignIn(clerktest.Session{UserID: "user_1"})
//	// app: publishable key iss.PublishableKey(), secret key iss.SecretKey(),
//	// API URL iss.APIURL(), proxy URL iss.FrontendAPIURL()
//	// request: Cookie __clerk_db_jwt=browser.DevBrowser(), … (or a real browser)
//
// MintHandshake and IssueHandshakeNonce build handshakes with any cookie
// directives; HandshakeRequests shows what the app sent;
// WithProductionInstance emulates a production instance instead.
//
// Runnable Example functions, which have no *testing.T, start an Issuer and
// an Authorizer with StartExample and print what a client gets back with
// PrintServed (an http.Handler) or PrintResponse (a client's or a
// framework's test call); benchmarks of a guarded route take their
// Authorizer and cached token from BenchAuthorizer and measure an
// http.Handler with BenchServe.
//
// Nothing in this package is meant for production: its keys live in memory
// and its tokens are only as secret as your test process.
package clerktest
