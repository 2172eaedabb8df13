// Command clerkguard inspects Clerk tokens: it decodes a session token's
// header and claims, shows its type, organization, org permissions (decoded
// from the compact v2 fea/o.per/o.fpm claims), features, plans and times, and,
// given the environment core.NewFromEnv reads, verifies it with clerkguard's
// core and prints the exact reason it would be rejected. Everything shown is
// decoded by core's own code (the decoder VerifyToken runs, shared through an
// internal package), so the inspector and the middleware never disagree
// about what a token says.
//
// Install:
//
//	go install github.com/clerkguard/clerkguard/core/cmd/clerkguard@latest
//
// Usage:
//
//	clerkguard inspect [-json] [-no-verify] [-timeout 15s] [TOKEN]
//	clerkguard dev [-key FILE] [-listen ADDR] [token flags] [-app URL]
//	clerkguard mint -key FILE [token flags]
//	clerkguard help
//
// dev and mint are for local development. dev starts a local Clerk
// stand-in (clerktest.StartDev: its JWKS on 127.0.0.1) and prints the export
// lines that make core.NewFromEnv trust it (CLERK_JWKS_URL,
// CLERK_PUBLISHABLE_KEY, CLERK_AUTHORIZED_PARTIES) and one session token,
// CLERK_DEV_TOKEN, for curl; it serves until interrupted. With -key FILE it
// signs with the RSA key in FILE (created with mode 0600 when missing), so
// tokens survive a restart, and mint -key FILE prints more tokens signed
// with it; with -listen 127.0.0.1:PORT its JWKS URL survives one too (loopback
// addresses only; a random port by default). Token flags: -user, -session, -org, -org-slug, -role, -perm,
// -feature, -plan (comma-separated lists, repeatable), -azp, -machine and
// -scope (an M2M token instead), -ttl (default clerktest.DevTokenTTL, 8h; at
// most clerktest.MaxDevTokenTTL, 720h). mint prints the token, and only the
// token, on stdout, so TOKEN=$(clerkguard mint -key dev.pem …) works.
//
// The token comes from TOKEN, or from stdin when TOKEN is absent or "-".
// Surrounding whitespace, a "Bearer " scheme and an "Authorization:" prefix
// are removed, so a header copied from the browser's network tab works.
//
// Verification runs when any of the variables core.NewFromEnv reads
// (core.EnvVars: CLERK_SECRET_KEY, CLERK_JWT_KEY, CLERK_JWKS_URL,
// CLERK_PUBLISHABLE_KEY, CLERK_AUTHORIZED_PARTIES, CLERK_API_URL,
// CLERK_MACHINE_SECRET_KEY) is set and a key source (CLERK_JWT_KEY,
// CLERK_JWKS_URL or CLERK_SECRET_KEY) is among them. Every token type is
// accepted, so M2M and OAuth tokens are verified too; opaque mt_, oat_ and ak_
// tokens need CLERK_SECRET_KEY (Clerk's Backend API verifies them). A
// rejection prints the stable reason code (behaviour.md §8) with what to look at: the
// token's azp and the authorized parties, the token's iss and the expected
// issuer, exp and now.
//
//	$ export CLERK_JWKS_URL=https://<frontend-api>/.well-known/jwks.json
//	$ export CLERK_AUTHORIZED_PARTIES=https://app.example.com
//	$ pbpaste | clerkguard inspect
//	...
//	Verification
//	  REJECTED  token-invalid-authorized-parties
//	  The token was issued for a party that is not authorized.
//	  azp       http://localhost:3000
//	  parties   https://app.example.com  (CLERK_AUTHORIZED_PARTIES)
//
// With -json, one JSON object is printed: token (its first characters only),
// token_type, opaque, header, claims, version, org, permissions, features,
// plans, times, claims_error (a claim core cannot decode), machine (valid
// opaque tokens) and verification {verified, valid, reason, detail, message,
// cause, explanation, key_source, and per reason azp, authorized_parties,
// iss, expected_issuer, time, now}. When there is nothing to report on, -json
// prints {"error": kind, "message": text} instead, with kind "usage",
// "malformed-input", "malformed-token" or "configuration".
//
// Exit codes: 0 valid, or decoded only (nothing to verify against); 1
// rejected; 2 usage error, configuration error or malformed token (the error
// goes to stderr; without -json nothing goes to stdout).
//
// The token is never printed in full (at most its first 10 characters and
// "…") and never sent anywhere except, through core, to the configured JWKS
// or Backend API. Use -no-verify to guarantee no network at all. Control and
// format characters and invalid UTF-8 in the claims are printed escaped,
// never raw, so a crafted token cannot drive the terminal.
package main
