// Package tokencases is the token side of clerkguard's conformance suites,
// shared by the HTTP suite (package conformance) and the RPC suite (package
// rpcconformance): which tokens to mint, under which Authorizer options, and
// the reason each must be refused with. Each suite maps a reason to its own
// transport: an HTTP status, headers and body, or an RPC code and trailers.
package tokencases
