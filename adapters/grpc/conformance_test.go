package clerkgrpc_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/types/known/wrapperspb"

	clerkgrpc "github.com/clerkguard/clerkguard/adapters/grpc"
	"github.com/clerkguard/clerkguard/conformance/rpcconformance"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// newConformanceServer serves app on a bufconn listener with clerkgrpc's
// interceptors, as a user would, and returns a client for it.
func newConformanceServer(t *testing.T, app *rpcconformance.App) rpcconformance.Client {
	opts := rpcconformance.Options(app, clerkgrpc.WithMethodGuard, clerkgrpc.WithPublicMethod, clerkgrpc.WithDefaultGuard)
	var sopts []grpc.ServerOption
	if !app.NoInterceptor {
		sopts = append(sopts, grpc.ChainUnaryInterceptor(clerkgrpc.UnaryServerInterceptor(app.Authorizer, opts...)),
			grpc.ChainStreamInterceptor(clerkgrpc.StreamServerInterceptor(app.Authorizer, opts...)))
	}
	srv := grpc.NewServer(sopts...)
	for _, desc := range serviceDescs(app) {
		srv.RegisterService(desc, nil)
	}
	return serveBufconn(t, srv)
}

// serveBufconn serves srv on an in-memory listener until t ends.
func serveBufconn(t testing.TB, srv *grpc.Server) *grpcClient {
	lis := bufconn.Listen(1 << 20)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(lis)
	}()
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		srv.Stop()
		<-done
	})
	return &grpcClient{t: t, conn: conn}
}

// accessors are clerkgrpc's handler-side functions, for App.Unary and
// App.Stream.
var accessors = rpcconformance.Accessors{Check: clerkgrpc.Check, ClaimsFrom: clerkgrpc.ClaimsFrom}

// serviceDescs builds, without generated code, one grpc.ServiceDesc per
// service of app.Procedures (StringValue in, BytesValue out).
func serviceDescs(app *rpcconformance.App) []*grpc.ServiceDesc {
	descs := map[string]*grpc.ServiceDesc{}
	var order []string
	for _, p := range app.Procedures {
		svc, method, _ := strings.Cut(strings.TrimPrefix(p.Name, "/"), "/")
		d, ok := descs[svc]
		if !ok {
			d = &grpc.ServiceDesc{ServiceName: svc, HandlerType: (*any)(nil)}
			descs[svc] = d
			order = append(order, svc)
		}
		if p.Streaming {
			d.Streams = append(d.Streams, grpc.StreamDesc{StreamName: method, ServerStreams: true,
				Handler: func(_ any, ss grpc.ServerStream) error {
					if err := ss.RecvMsg(new(wrapperspb.StringValue)); err != nil {
						return err
					}
					return app.Stream(ss.Context(), p, accessors, func(body []byte) error { return ss.SendMsg(wrapperspb.Bytes(body)) })
				}})
			continue
		}
		d.Methods = append(d.Methods, grpc.MethodDesc{MethodName: method,
			Handler: func(_ any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
				in := new(wrapperspb.StringValue)
				if err := dec(in); err != nil {
					return nil, err
				}
				h := func(ctx context.Context, _ any) (any, error) {
					body, err := app.Unary(ctx, p, accessors)
					if err != nil {
						return nil, err
					}
					return wrapperspb.Bytes(body), nil
				}
				if icpt == nil {
					return h(ctx, in)
				}
				return icpt(ctx, in, &grpc.UnaryServerInfo{FullMethod: p.Name}, h)
			}})
	}
	out := make([]*grpc.ServiceDesc, 0, len(order))
	for _, svc := range order {
		out = append(out, descs[svc])
	}
	return out
}

// grpcClient calls the conformance server through a real gRPC connection.
type grpcClient struct {
	t    testing.TB
	conn *grpc.ClientConn
}

func (c *grpcClient) Call(ctx context.Context, p rpcconformance.Procedure, md map[string][]string) rpcconformance.Outcome {
	out := metadata.MD{}
	for k, vs := range md {
		out[k] = append([]string(nil), vs...)
	}
	ctx = metadata.NewOutgoingContext(ctx, out)
	var o rpcconformance.Outcome
	var trailer metadata.MD
	var err error
	if p.Streaming {
		var cs grpc.ClientStream
		cs, err = c.conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, p.Name)
		if err == nil {
			err = cs.SendMsg(wrapperspb.String("conformance"))
		}
		if err == nil {
			err = cs.CloseSend()
		}
		for err == nil {
			m := new(wrapperspb.BytesValue)
			if err = cs.RecvMsg(m); err == nil {
				o.Messages = append(o.Messages, m.GetValue())
			}
		}
		if errors.Is(err, io.EOF) {
			err = nil
		}
		if cs != nil {
			trailer = cs.Trailer()
		}
	} else {
		m := new(wrapperspb.BytesValue)
		err = c.conn.Invoke(ctx, p.Name, wrapperspb.String("conformance"), m, grpc.Trailer(&trailer))
		if err == nil {
			o.Messages = append(o.Messages, m.GetValue())
		}
	}
	st, ok := status.FromError(err)
	if !ok {
		c.t.Fatalf("clerkgrpc conformance: %s: not a gRPC status: %v", p.Name, err)
	}
	o.Code, o.Message = adapter.RPCCode(st.Code()), st.Message()
	o.Details = len(st.Details())
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			o.ErrorInfo = &rpcconformance.ErrorInfo{Reason: info.GetReason(), Domain: info.GetDomain(), Metadata: info.GetMetadata()}
		}
	}
	o.Trailer = map[string][]string(trailer)
	return o
}

func TestConformance(t *testing.T) {
	rpcconformance.Run(t, rpcconformance.Harness{Name: "grpc", New: newConformanceServer, NilAuthorizer: map[string]func(){
		"UnaryServerInterceptor":  func() { clerkgrpc.UnaryServerInterceptor(nil) },
		"StreamServerInterceptor": func() { clerkgrpc.StreamServerInterceptor(nil) },
		"AuthFunc":                func() { clerkgrpc.AuthFunc(nil) },
	}})
}
