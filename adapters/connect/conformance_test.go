package clerkconnect_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/types/known/wrapperspb"

	clerkconnect "github.com/clerkguard/clerkguard/adapters/connect"
	"github.com/clerkguard/clerkguard/conformance/rpcconformance"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// accessors are clerkconnect's handler-side functions, for App.Unary and
// App.Stream.
var accessors = rpcconformance.Accessors{Check: clerkconnect.Check, ClaimsFrom: clerkconnect.ClaimsFrom}

// conformanceMux mounts app's procedures on a mux with clerkconnect's
// interceptor, as a user would with generated handlers.
func conformanceMux(app *rpcconformance.App) *http.ServeMux {
	opts := rpcconformance.Options(app, clerkconnect.WithMethodGuard, clerkconnect.WithPublicMethod, clerkconnect.WithDefaultGuard)
	var hopts []connect.HandlerOption
	if !app.NoInterceptor {
		hopts = append(hopts, connect.WithInterceptors(clerkconnect.NewInterceptor(app.Authorizer, opts...)))
	}
	mux := http.NewServeMux()
	for _, p := range app.Procedures {
		if p.Streaming {
			mux.Handle(p.Name, connect.NewServerStreamHandler(p.Name,
				func(ctx context.Context, _ *connect.Request[wrapperspb.StringValue], s *connect.ServerStream[wrapperspb.BytesValue]) error {
					return app.Stream(ctx, p, accessors, func(body []byte) error { return s.Send(wrapperspb.Bytes(body)) })
				}, hopts...))
			continue
		}
		mux.Handle(p.Name, connect.NewUnaryHandler(p.Name,
			func(ctx context.Context, _ *connect.Request[wrapperspb.StringValue]) (*connect.Response[wrapperspb.BytesValue], error) {
				body, err := app.Unary(ctx, p, accessors)
				if err != nil {
					return nil, err
				}
				return connect.NewResponse(wrapperspb.Bytes(body)), nil
			}, hopts...))
	}
	return mux
}

// harness serves the conformance app on a loopback TLS server (HTTP/2, so
// the gRPC protocol works too) and calls it with copts.
func harness(name string, copts ...connect.ClientOption) rpcconformance.Harness {
	return rpcconformance.Harness{Name: name, New: func(t *testing.T, app *rpcconformance.App) rpcconformance.Client {
		srv := httptest.NewUnstartedServer(conformanceMux(app))
		srv.EnableHTTP2 = true
		srv.StartTLS()
		t.Cleanup(srv.Close)
		return &connectClient{t: t, http: srv.Client(), base: srv.URL, opts: copts}
	}, NilAuthorizer: map[string]func(){"NewInterceptor": func() { clerkconnect.NewInterceptor(nil) }}}
}

// connectClient calls the conformance server through connect.Client.
type connectClient struct {
	t    testing.TB
	http *http.Client
	base string
	opts []connect.ClientOption
}

func (c *connectClient) Call(ctx context.Context, p rpcconformance.Procedure, md map[string][]string) rpcconformance.Outcome {
	client := connect.NewClient[wrapperspb.StringValue, wrapperspb.BytesValue](c.http, c.base+p.Name, c.opts...)
	req := connect.NewRequest(wrapperspb.String("conformance"))
	for k, vs := range md {
		for _, v := range vs {
			req.Header().Add(k, v)
		}
	}
	var o rpcconformance.Outcome
	var err error
	if p.Streaming {
		var s *connect.ServerStreamForClient[wrapperspb.BytesValue]
		s, err = client.CallServerStream(ctx, req)
		if err == nil {
			for s.Receive() {
				o.Messages = append(o.Messages, s.Msg().GetValue())
			}
			err = s.Err()
			_ = s.Close()
		}
	} else {
		var res *connect.Response[wrapperspb.BytesValue]
		if res, err = client.CallUnary(ctx, req); err == nil {
			o.Messages = append(o.Messages, res.Msg.GetValue())
		}
	}
	if err == nil {
		return o
	}
	var ce *connect.Error
	if !errors.As(err, &ce) {
		c.t.Fatalf("clerkconnect conformance: %s: not a *connect.Error: %v", p.Name, err)
	}
	o.Code, o.Message = adapter.RPCCode(ce.Code()), ce.Message()
	o.Details = len(ce.Details())
	for _, d := range ce.Details() {
		if v, dErr := d.Value(); dErr == nil {
			if info, ok := v.(*errdetails.ErrorInfo); ok {
				o.ErrorInfo = &rpcconformance.ErrorInfo{Reason: info.GetReason(), Domain: info.GetDomain(), Metadata: info.GetMetadata()}
			}
		}
	}
	o.Trailer = map[string][]string{}
	for k, vs := range ce.Meta() {
		o.Trailer[strings.ToLower(k)] = append(o.Trailer[strings.ToLower(k)], vs...)
	}
	return o
}

func TestConformance(t *testing.T) {
	rpcconformance.Run(t, harness("connect"))
}

func TestConformanceGRPCProtocol(t *testing.T) {
	rpcconformance.Run(t, harness("connect-grpc", connect.WithGRPC()))
}
