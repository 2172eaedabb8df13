package clerkconnect

import (
	"context"
	"net/http"

	"connectrpc.com/connect"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// NewInterceptor returns a connect.Interceptor that authenticates every
// unary and streaming call a handler receives with a and guards it by its
// procedure (WithMethodGuard, WithDefaultGuard, WithPublicMethod). The
// *core.Result is on the handler's context, signed in or not. A Result
// already on the context (clerkchi.Middleware in front) is reused: the token
// is verified once. Client-side calls pass through untouched. It panics if a
// is nil (a programming error caught at startup).
func NewInterceptor(a *core.Authorizer, opts ...Option) connect.Interceptor {
	adapter.MustAuthorizer("clerkconnect: NewInterceptor", a)
	return &interceptor{a: a, cfg: newConfig(opts)}
}

type interceptor struct {
	a   *core.Authorizer
	cfg *config
}

// WrapUnary guards unary handlers; unary client calls pass through.
func (i *interceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			return next(ctx, req)
		}
		ctx, err := i.authorize(ctx, req.Spec().Procedure, req.Header())
		if err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

// WrapStreamingClient leaves client streams untouched.
func (i *interceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

// WrapStreamingHandler guards streaming handlers once, when the stream opens.
func (i *interceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		ctx, err := i.authorize(ctx, conn.Spec().Procedure, conn.RequestHeader())
		if err != nil {
			return err
		}
		return next(ctx, conn)
	}
}

// authorize authenticates and guards one call (adapter.ProcedureRules.Authorize)
// and turns a refusal into its *connect.Error.
func (i *interceptor) authorize(ctx context.Context, procedure string, h http.Header) (context.Context, error) {
	ctx, g, err := i.cfg.rules.Authorize(ctx, i.a, procedure, headerRequest{h: h, procedure: procedure})
	if err != nil {
		return ctx, Error(err, g)
	}
	return ctx, nil
}
