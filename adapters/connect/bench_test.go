package clerkconnect_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"

	clerkconnect "github.com/clerkguard/clerkguard/adapters/connect"
	"github.com/clerkguard/clerkguard/conformance/rpcconformance"
)

const benchStream = "/test.v1.Users/Watch"

// benchSetup serves WhoAmI and a one-message server stream on loopback, with
// the interceptor guarding both by RequirePermission when guarded, and
// returns a cached session token (verified once by the warm-up).
func benchSetup(b *testing.B, guarded bool) (base, token string) {
	a, tok := rpcconformance.BenchAuthorizer(b)
	var opts []connect.HandlerOption
	if guarded {
		opts = append(opts, connect.WithInterceptors(clerkconnect.NewInterceptor(a, clerkconnect.WithDefaultGuard(rpcconformance.BenchGuard()))))
	}
	mux := http.NewServeMux()
	mux.Handle(whoAmI, whoAmIHandler(opts...))
	mux.Handle(benchStream, connect.NewServerStreamHandler(benchStream,
		func(ctx context.Context, _ *connect.Request[wrapperspb.StringValue], s *connect.ServerStream[wrapperspb.StringValue]) error {
			user := "anonymous"
			if c, ok := clerkconnect.ClaimsFrom(ctx); ok {
				user = c.UserID()
			}
			return s.Send(wrapperspb.String(user))
		}, opts...))
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv.URL, tok
}

// unaryCall returns one unary call to a fresh bench server, checked once.
func unaryCall(b *testing.B, guarded bool) func() {
	base, tok := benchSetup(b, guarded)
	client := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](http.DefaultClient, base+whoAmI)
	req := connect.NewRequest(wrapperspb.String(""))
	req.Header().Set("Authorization", "Bearer "+tok)
	if res, err := client.CallUnary(b.Context(), req); err != nil || (guarded && res.Msg.GetValue() != "user_bench") {
		b.Fatalf("warm-up: %v, %v", res, err)
	}
	return func() {
		if _, err := client.CallUnary(b.Context(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// streamCall returns one server stream (open, one message, close) to a fresh
// bench server, checked once.
func streamCall(b *testing.B, guarded bool) func() {
	base, tok := benchSetup(b, guarded)
	client := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](http.DefaultClient, base+benchStream)
	req := connect.NewRequest(wrapperspb.String(""))
	req.Header().Set("Authorization", "Bearer "+tok)
	one := func() string {
		s, err := client.CallServerStream(b.Context(), req)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		var got string
		for s.Receive() {
			got = s.Msg().GetValue()
		}
		if err := s.Err(); err != nil {
			b.Fatal(err)
		}
		return got
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

// Unary calls (Connect protocol, HTTP/1.1 loopback): NewInterceptor +
// RequirePermission with a cached token, against the same handler without it.
func BenchmarkUnaryBare(b *testing.B)        { loop(b, unaryCall(b, false)) }
func BenchmarkUnaryInterceptor(b *testing.B) { loop(b, unaryCall(b, true)) }

// Server streams (open, one message, close), same comparison.
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
// (header lookup, cached verification, context, guard), without transport.
func BenchmarkUnaryInterceptorAlone(b *testing.B) {
	a, tok := rpcconformance.BenchAuthorizer(b)
	next := connect.UnaryFunc(func(context.Context, connect.AnyRequest) (connect.AnyResponse, error) { return nil, nil })
	call := clerkconnect.NewInterceptor(a, clerkconnect.WithDefaultGuard(rpcconformance.BenchGuard())).WrapUnary(next)
	req := connect.NewRequest(wrapperspb.String(""))
	req.Header().Set("Authorization", "Bearer "+tok)
	ctx := context.Background()
	if _, err := call(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := call(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
