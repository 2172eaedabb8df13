// Package core is the framework-neutral heart of clerkguard: it authenticates
// requests carrying Clerk (clerk.com) tokens and answers Clerk's has()
// questions, for any Go web framework.
//
// An Authorizer, built once with New (or NewFromEnv), reads the token of a
// request (the Authorization bearer header, then the __session cookie),
// verifies it (RS256/384/512 with keys from a PEM key, the Backend API or any
// JWKS URL; azp, issuer, time and session-status checks) and returns the
// Claims: user, session, organization, role, permissions decoded from
// Clerk's compact v2 claims, features and plans. Every failure is an *Error
// with a stable Reason. Guards (RequirePermission, RequireRole, …) and
// ProblemFor give every adapter the same decisions and the same response
// bytes.
//
// The behaviour contract is docs/behaviour.md in the repository; comments
// cite its rules ("behaviour.md §3.7").
//
// Adapters for chi (net/http), gin, echo, fiber, gRPC and Connect live in
// sibling modules. What an adapter is built from (the request views, the
// per-request State, guard evaluation, option plumbing, the RPC procedure
// rules and rendering) is package core/adapter, for adapter authors.
package core
