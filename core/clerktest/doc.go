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
// Nothing in this package is meant for production: its keys live in memory
// and its tokens are only as secret as your test process.
package clerktest
