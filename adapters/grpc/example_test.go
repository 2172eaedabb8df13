package clerkgrpc_test

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	clerkgrpc "github.com/clerkguard/clerkguard/adapters/grpc"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// serveExample serves srv in memory and returns a connection to it and a
// function that stops both.
func serveExample(srv *grpc.Server) (*grpc.ClientConn, func()) {
	lis := bufconn.Listen(1 << 20)
	go func() { _ = srv.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	return conn, func() { _ = conn.Close(); srv.Stop() }
}

// The interceptors fail closed: with no rule at all every method, the health
// service included, needs a signed-in session token. In production the
// Authorizer comes from core.NewFromEnv() (CLERK_SECRET_KEY, …); here a
// clerktest issuer stands in for Clerk.
func Example() {
	iss, a := clerktest.StartExample()
	defer iss.Close()
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(clerkgrpc.UnaryServerInterceptor(a)),
		grpc.ChainStreamInterceptor(clerkgrpc.StreamServerInterceptor(a)),
	)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	conn, stop := serveExample(srv)
	defer stop()
	client := healthpb.NewHealthClient(conn)

	var trailer metadata.MD
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{}, grpc.Trailer(&trailer))
	fmt.Println(status.Code(err), trailer.Get("x-clerk-auth-reason"))

	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+iss.Mint(clerktest.Session{UserID: "user_1"}))
	res, err := client.Check(ctx, &healthpb.HealthCheckRequest{})
	fmt.Println(res.GetStatus(), err)
	// Output:
	// Unauthenticated [session-token-missing]
	// SERVING <nil>
}

// Leave the health service public, and guard the rest per method or service.
func ExampleWithPublicMethod() {
	iss, a := clerktest.StartExample()
	defer iss.Close()
	opts := []clerkgrpc.Option{
		clerkgrpc.WithPublicMethod("/grpc.health.v1.Health/"),
		clerkgrpc.WithMethodGuard("/shop.v1.Invoices/Create", core.RequirePermission("org:invoices:create")),
		clerkgrpc.WithDefaultGuard(core.RequireRole("admin")),
	}
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(clerkgrpc.UnaryServerInterceptor(a, opts...)),
		grpc.ChainStreamInterceptor(clerkgrpc.StreamServerInterceptor(a, opts...)),
	)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	conn, stop := serveExample(srv)
	defer stop()

	res, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{})
	fmt.Println(res.GetStatus(), err)
	// Output: SERVING <nil>
}
