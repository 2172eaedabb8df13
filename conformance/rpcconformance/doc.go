// Package rpcconformance is clerkguard's conformance suite for RPC adapters
// (clerkgrpc, clerkconnect, or yours): the token cases of the HTTP suite
// (package conformance; both read the same tables) mapped to RPC status
// codes, google.rpc.ErrorInfo details and trailers, plus the RPC-only rules:
// guards chosen per method with a fail-closed default, public methods,
// guards inside handlers, streaming calls and the metadata token source.
//
// The suite is transport-neutral, in the shape of testing/slogtest: an adapter
// author passes a Harness whose New builds a real server (over bufconn or
// loopback) with the adapter's interceptor, serving the procedures the suite
// describes, and returns a Client that calls it. The suite owns every input
// (keys, tokens, clock, Authorizer) and checks only what comes out: code,
// message, ErrorInfo, trailers, the messages the handler sent and what it
// observed. Every failure message names the behaviour.md rule it enforces.
//
// Expectations of the HTTP suite map as follows (behaviour.md §7.3): 401 is
// Unauthenticated, 403 PermissionDenied, 503 Unavailable, 500 Internal; the
// reason is ErrorInfo.reason (domain adapter.RPCErrorDomain) and the trailer
// x-clerk-auth-reason; X-Clerk-Auth-Status is the trailer
// x-clerk-auth-status; the body's message is the status message.
package rpcconformance
