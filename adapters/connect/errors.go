package clerkconnect

import (
	"errors"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Error renders err, as returned by g.Evaluate, as a *connect.Error: the code
// and fixed message of adapter.RPCProblemFor, a google.rpc.ErrorInfo detail
// (reason, domain adapter.RPCErrorDomain, metadata) and the metadata
// x-clerk-auth-reason and x-clerk-auth-status. It never carries the token.
func Error(err error, g core.Guard) *connect.Error {
	p := adapter.RPCProblemFor(err, g)
	ce := connect.NewError(connect.Code(p.Code), errors.New(p.Message))
	if d, dErr := connect.NewErrorDetail(&errdetails.ErrorInfo{Reason: string(p.Reason), Domain: adapter.RPCErrorDomain, Metadata: p.Metadata}); dErr == nil {
		ce.AddDetail(d)
	}
	for k, v := range p.Trailer {
		ce.Meta().Set(k, v)
	}
	return ce
}
