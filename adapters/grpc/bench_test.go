package clerkgrpc_test

import (
	"context"
	"io"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/wrapperspb"

	clerkgrpc "github.com/clerkguard/clerkguard/adapters/grpc"
	"github.com/clerkguard/clerkguard/conformance/rpcconformance"
)

const benchStream = "/test.v1.Users/Watch"

// benchStreamService sends one message per stream: the caller's user ID.
var benchStreamService = &grpc.ServiceDesc{ServiceName: "test.v1.Users", HandlerType: (*any)(nil),
	Methods: whoAmIService.Methods,
	Streams: []grpc.StreamDesc{{StreamName: "Watch", ServerStreams: true, Handler: func(_ any, ss grpc.ServerStream) error {
		if err := ss.RecvMsg(new(wrapperspb.StringValue)); err != nil {
			return err
		}
		user := "anonymous"
		if c, ok := clerkgrpc.ClaimsFrom(ss.Context()); ok {
			user = c.UserID()
		}
		return ss.SendMsg(wrapperspb.String(user))
	}}}}

// benchSetup serves the bench service over bufconn, with the interceptors
// guarding both methods by RequirePermission when guarded, and returns a
// context carrying a cached session token (verified once here).
func benchSetup(b *testing.B, guarded bool) (*grpcClient, context.Context) {
	a, tok := rpcconformance.BenchAuthorizer(b)
	var sopts []grpc.ServerOption
	if guarded {
		g := clerkgrpc.WithDefaultGuard(rpcconformance.BenchGuard())
		sopts = append(sopts, grpc.ChainUnaryInterceptor(clerkgrpc.UnaryServerInterceptor(a, g)),
			grpc.ChainStreamInterceptor(clerkgrpc.StreamServerInterceptor(a, g)))
	}
	srv := grpc.NewServer(sopts...)
	srv.RegisterService(benchStreamService, nil)
	c := serveBufconn(b, srv)
	return c, metadata.AppendToOutgoingContext(b.Context(), "authorization", "Bearer "+tok)
}

// unaryCall returns one unary call to a fresh bench server, checked once.
func unaryCall(b *testing.B, guarded bool) func() {
	c, ctx := benchSetup(b, guarded)
	want := "anonymous"
	if guarded {
		want = "user_bench"
	}
	in, out := wrapperspb.String(""), new(wrapperspb.StringValue)
	if err := c.conn.Invoke(ctx, whoAmI, in, out); err != nil || out.GetValue() != want {
		b.Fatalf("warm-up: %q, %v; want %s", out.GetValue(), err, want)
	}
	return func() {
		if err := c.conn.Invoke(ctx, whoAmI, in, out); err != nil {
			b.Fatal(err)
		}
	}
}

// streamCall returns one server stream (open, one message, close) to a fresh
// bench server, checked once.
func streamCall(b *testing.B, guarded bool) func() {
	c, ctx := benchSetup(b, guarded)
	desc := &grpc.StreamDesc{ServerStreams: true}
	one := func() string {
		cs, err := c.conn.NewStream(ctx, desc, benchStream)
		if err != nil {
			b.Fatal(err)
		}
		if err := cs.SendMsg(wrapperspb.String("")); err != nil {
			b.Fatal(err)
		}
		if err := cs.CloseSend(); err != nil {
			b.Fatal(err)
		}
		out := new(wrapperspb.StringValue)
		if err := cs.RecvMsg(out); err != nil {
			b.Fatal(err)
		}
		if err := cs.RecvMsg(out); err != io.EOF {
			b.Fatalf("stream end: %v", err)
		}
		return out.GetValue()
	}
	if got := one(); guarded && got != "user_bench" {
		b.Fatalf("warm-up: %q, want user_bench", got)
	}
	return func() { one() }
}

func loop(b *testing.B, call func()) {
	b.ReportAllocs()
	for b.Loop() {
		call()
	}
}

// Unary calls over bufconn: UnaryServerInterceptor + RequirePermission with
// a cached token, against the same server without the interceptor.
func BenchmarkUnaryBare(b *testing.B)        { loop(b, unaryCall(b, false)) }
func BenchmarkUnaryInterceptor(b *testing.B) { loop(b, unaryCall(b, true)) }

// Server streams over bufconn (open, one message, close):
// StreamServerInterceptor + RequirePermission with a cached token, against the
// same server without the interceptor.
func BenchmarkStreamBare(b *testing.B)        { loop(b, streamCall(b, false)) }
func BenchmarkStreamInterceptor(b *testing.B) { loop(b, streamCall(b, true)) }

// BenchmarkUnaryInterleaved and BenchmarkStreamInterleaved alternate bare and
// intercepted calls and report median latencies, overhead and ratio
// (rpcconformance.InterleavedBenchmark): the figures the README quotes.
func BenchmarkUnaryInterleaved(b *testing.B) {
	rpcconformance.InterleavedBenchmark(b, unaryCall(b, false), unaryCall(b, true))
}

func BenchmarkStreamInterleaved(b *testing.B) {
	rpcconformance.InterleavedBenchmark(b, streamCall(b, false), streamCall(b, true))
}

// BenchmarkUnaryInterceptorAlone is the interceptor's own cost per call
// (metadata lookup, cached verification, context, guard), without transport.
func BenchmarkUnaryInterceptorAlone(b *testing.B) {
	a, tok := rpcconformance.BenchAuthorizer(b)
	icpt := clerkgrpc.UnaryServerInterceptor(a, clerkgrpc.WithDefaultGuard(rpcconformance.BenchGuard()))
	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "+tok))
	info := &grpc.UnaryServerInfo{FullMethod: whoAmI}
	handler := func(context.Context, any) (any, error) { return nil, nil }
	if _, err := icpt(ctx, nil, info, handler); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := icpt(ctx, nil, info, handler); err != nil {
			b.Fatal(err)
		}
	}
}
