package clerkgrpc

import (
	"context"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Status renders err, as returned by g.Evaluate, as a gRPC status: the code
// and fixed message of adapter.RPCProblemFor and a google.rpc.ErrorInfo detail
// (reason, domain adapter.RPCErrorDomain, metadata). It never carries the token.
func Status(err error, g core.Guard) *status.Status {
	return statusOf(adapter.RPCProblemFor(err, g))
}

func statusOf(p adapter.RPCProblem) *status.Status {
	st := status.New(codes.Code(p.Code), p.Message)
	if d, err := st.WithDetails(&errdetails.ErrorInfo{Reason: string(p.Reason), Domain: adapter.RPCErrorDomain, Metadata: p.Metadata}); err == nil {
		st = d
	}
	return st
}

// reject turns a guard's refusal into the status error to return, after
// handing the reason trailers to setTrailer.
func reject(err error, g core.Guard, setTrailer func(metadata.MD)) error {
	p := adapter.RPCProblemFor(err, g)
	md := make(metadata.MD, len(p.Trailer))
	for k, v := range p.Trailer {
		md.Set(k, v)
	}
	setTrailer(md)
	return statusOf(p).Err()
}

// contextTrailer sets trailers through the server transport stream of ctx
// (unary calls, AuthFunc, Check); outside a gRPC server it does nothing.
func contextTrailer(ctx context.Context) func(metadata.MD) {
	return func(md metadata.MD) { _ = grpc.SetTrailer(ctx, md) }
}
