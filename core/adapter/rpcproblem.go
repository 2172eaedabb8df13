package adapter

import (
	"encoding/json"

	"github.com/clerkguard/clerkguard/core"
)

// RPCCode is a status code of gRPC and Connect, numbered as google.rpc.Code
// (codes.Code in google.golang.org/grpc, connect.Code in connectrpc.com/connect
// use the same numbers): adapters convert it with codes.Code(c) or
// connect.Code(c).
type RPCCode uint32

// The RPC codes a rejection maps to (behaviour.md §7.3, RPC form).
const (
	RPCPermissionDenied RPCCode = 7  // signed in but not allowed (HTTP 403)
	RPCInternal         RPCCode = 13 // guard without the interceptor (HTTP 500)
	RPCUnavailable      RPCCode = 14 // keys or Backend API unavailable (HTTP 503)
	RPCUnauthenticated  RPCCode = 16 // signed out (HTTP 401)
)

// Names shared by the RPC adapters.
const (
	// RPCErrorDomain is the domain of the google.rpc.ErrorInfo detail every
	// RPC rejection carries (AIP-193).
	RPCErrorDomain = "clerkguard.dev"
	// RPCTrailerAuthReason is the trailer (gRPC) or error metadata (Connect)
	// key carrying the reason code, as X-Clerk-Auth-Reason does over HTTP.
	RPCTrailerAuthReason = "x-clerk-auth-reason"
	// RPCTrailerAuthStatus carries "signed-out" (Unauthenticated) or
	// "signed-in" (PermissionDenied), as X-Clerk-Auth-Status does over HTTP.
	RPCTrailerAuthStatus = "x-clerk-auth-status"
	// RPCMetadataGuard is the ErrorInfo metadata key naming the guard that
	// refused a signed-in call ("RequirePermission(org:invoices:create)").
	RPCMetadataGuard = "guard"
	// RPCMetadataClerkError is the ErrorInfo metadata key of a
	// reverification-error refusal carrying Clerk's reverification hint: the
	// JSON of the clerk_error member of the HTTP body, byte for byte
	// (behaviour.md §7.3), which a client hands to Clerk's frontend to
	// prompt the user and retry.
	RPCMetadataClerkError = "clerk_error"
)

// RPCProblem is the RPC rendering of a rejection: what core.ProblemFor is for
// HTTP. The gRPC and Connect adapters turn it into a status (message and a
// google.rpc.ErrorInfo detail) and trailers, so both answer alike.
type RPCProblem struct {
	// Code is the status code.
	Code RPCCode
	// Reason is the reason code (ErrorInfo.reason and RPCTrailerAuthReason).
	Reason core.Reason
	// Message is the fixed text of the reason; it never carries the token or
	// an underlying error's text.
	Message string
	// Metadata is the ErrorInfo metadata: RPCMetadataGuard when a guard
	// refused a signed-in call or ran without the interceptor, and
	// RPCMetadataClerkError for a reverification-error.
	Metadata map[string]string
	// Trailer holds the lower-case trailer keys and values to send.
	Trailer map[string]string
}

// RPCProblemFor renders err, returned by Evaluate for g, as an RPC
// rejection: 401 reasons are Unauthenticated, 403 reasons PermissionDenied,
// 503 reasons Unavailable and a guard without the interceptor Internal. Any
// error that is not a *core.Error renders as Unavailable, unexpected-error.
func RPCProblemFor(err error, g core.Guard) RPCProblem {
	reason := core.ReasonOf(err)
	if reason == "" {
		reason = core.ReasonUnexpectedError
	}
	p := RPCProblem{Reason: reason, Message: reason.Message(),
		Trailer: map[string]string{RPCTrailerAuthReason: string(reason)}}
	switch reason.Status() {
	case 401:
		p.Code = RPCUnauthenticated
		p.Trailer[RPCTrailerAuthStatus] = "signed-out"
	case 403:
		p.Code = RPCPermissionDenied
		p.Trailer[RPCTrailerAuthStatus] = "signed-in"
		p.Metadata = map[string]string{RPCMetadataGuard: g.Name()}
		if reason == core.ReasonReverificationError {
			if hint := clerkErrorOf(err); hint != "" {
				p.Metadata[RPCMetadataClerkError] = hint
			}
		}
	case 503:
		p.Code = RPCUnavailable
	default:
		p.Code = RPCInternal
		p.Metadata = map[string]string{RPCMetadataGuard: g.Name()}
	}
	return p
}

// clerkErrorOf returns the clerk_error member of err's HTTP body
// (core.ProblemFor), so that RPC clients get the very hint browsers get.
func clerkErrorOf(err error) string {
	var body struct {
		ClerkError json.RawMessage `json:"clerk_error"`
	}
	if json.Unmarshal(core.ProblemFor(err).Body, &body) != nil {
		return ""
	}
	return string(body.ClerkError)
}
