package clerkconnect

import (
	"errors"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	"github.com/clerkguard/clerkguard/core"
)

// Error renders err, as returned by g.Evaluate, as a *connect.Error: the code
// and fixed message of core.RPCProblemFor, a google.rpc.ErrorInfo detail
// (reason, domain core.RPCErrorDomain, metadata) and the metadata
// x-clerk-auth-reason and x-clerk-auth-status. It never carries the token.
func Error(err error, g core.Guard) *connect.Error {
	p := core.RPCProblemFor(err, g)
	ce := connect.NewError(connect.Code(p.Code), errors.New(p.Message))
	if d, dErr := connect.NewErrorDetail(&errdetails.ErrorInfo{Reason: string(p.Reason), Domain: core.RPCErrorDomain, Metadata: p.Metadata}); dErr == nil {
		ce.AddDetail(d)
	}
	for k, v := range p.Trailer {
		ce.Meta().Set(k, v)
	}
	return ce
}
