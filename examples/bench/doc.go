// Package bench measures clerkguard against its peers on the same tokens and
// the same machine: the clerkguard net/http adapter (clerkchi) and the bare
// core Authorizer, github.com/clerk/clerk-sdk-go/v2's
// http.WithHeaderAuthorization, and github.com/auth0/go-jwt-middleware/v2
// with a github.com/MicahParks/keyfunc/v3 key set.
//
// Every contestant is an http.Handler wrapping the same trivial handler
// (200 and the user ID), configured as its user would configure it for a
// Clerk instance: the same JWKS (a clerktest.Issuer), the same authorized
// party, the same clock skew. The tests of this package prove that each
// configuration accepts a valid token and rejects expired, tampered and
// foreign-issuer tokens, so the benchmarks compare working setups:
//
//	go test -run '^$' -bench . -benchmem -count 6
//
// The results, with their ratios and the command that produced them, are in
// RESULTS.md. The loopback load run lives in cmd/loadrun; its generator is
// package loadgen.
//
// This module is a benchmark harness, not a library: it is unpublished and
// keeps the peers' dependencies out of every other clerkguard module.
package bench
