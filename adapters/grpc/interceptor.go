package clerkgrpc

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// UnaryServerInterceptor authenticates every unary call with a and guards it
// by its full method (WithMethodGuard, WithDefaultGuard, WithPublicMethod).
// The *core.Result is on the handler's context, signed in or not. When a
// Result is already on the context (AuthFunc or another clerkguard
// interceptor ran first) it is reused: a token is verified once per call.
// It panics if a is nil (a programming error caught at startup).
func UnaryServerInterceptor(a *core.Authorizer, opts ...Option) grpc.UnaryServerInterceptor {
	auth := newAuthorizer(a, opts)
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ctx, err := auth.authorize(ctx, info.FullMethod, contextTrailer(ctx))
		if err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
}

// StreamServerInterceptor is UnaryServerInterceptor for streaming calls: the
// call is authenticated and guarded once, when the stream opens, and the
// handler's stream.Context() carries the *core.Result. It panics if a is nil.
func StreamServerInterceptor(a *core.Authorizer, opts ...Option) grpc.StreamServerInterceptor {
	auth := newAuthorizer(a, opts)
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		ctx, err := auth.authorize(ss.Context(), info.FullMethod, ss.SetTrailer)
		if err != nil {
			return err
		}
		return handler(srv, &serverStream{ServerStream: ss, ctx: ctx})
	}
}

// AuthFunc returns an auth function for the auth interceptors of
// github.com/grpc-ecosystem/go-grpc-middleware/v2 (assignable to
// auth.AuthFunc): auth.UnaryServerInterceptor(clerkgrpc.AuthFunc(a, opts...)).
// It applies the same rules as the interceptors, reading the method with
// grpc.Method(ctx). A service implementing auth.ServiceAuthFuncOverride
// bypasses it entirely, as that package documents: prefer WithPublicMethod.
// It panics if a is nil.
func AuthFunc(a *core.Authorizer, opts ...Option) func(ctx context.Context) (context.Context, error) {
	auth := newAuthorizer(a, opts)
	return func(ctx context.Context) (context.Context, error) {
		method, _ := grpc.Method(ctx)
		return auth.authorize(ctx, method, contextTrailer(ctx))
	}
}

// authorizer is the state shared by the interceptors and AuthFunc.
type authorizer struct {
	a   *core.Authorizer
	cfg *config
}

func newAuthorizer(a *core.Authorizer, opts []Option) *authorizer {
	adapter.MustAuthorizer("clerkgrpc:", a) // "clerkgrpc: needs a non-nil *core.Authorizer", for the three constructors
	return &authorizer{a: a, cfg: newConfig(opts)}
}

// authorize authenticates and guards one call (adapter.ProcedureRules.Authorize)
// and turns a refusal into its status error, handing the reason trailers to
// setTrailer.
func (z *authorizer) authorize(ctx context.Context, method string, setTrailer func(metadata.MD)) (context.Context, error) {
	ctx, g, err := z.cfg.rules.Authorize(ctx, z.a, method, metadataRequest{ctx: ctx, method: method})
	if err != nil {
		return ctx, reject(err, g, setTrailer)
	}
	return ctx, nil
}

// serverStream carries the authenticated context to a streaming handler.
type serverStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *serverStream) Context() context.Context { return s.ctx }
