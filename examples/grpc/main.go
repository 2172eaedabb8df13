// Command grpc is the example service (examples/internal/shopv1/shop.proto)
// as a gRPC server guarded by clerkgrpc.
//
//	go run ./examples/grpc
//
// With no CLERK_* variable set it starts in local dev mode (an in-process dev
// issuer, loopback only) and prints grpcurl commands with tokens for an org
// admin and a plain member. Set CLERK_SECRET_KEY (or CLERK_JWT_KEY,
// CLERK_JWKS_URL) to use a real Clerk instance; ADDR sets the listen address
// (default 127.0.0.1:8080).
//
// Methods: shop.v1.Invoices/Me (any signed-in session: the default guard),
// CreateInvoice (permission org:invoices:create), WatchInvoices (a server
// stream, role admin); grpc.health.v1.Health and reflection are public.
package main

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	clerkgrpc "github.com/clerkguard/clerkguard/adapters/grpc"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
	"github.com/clerkguard/clerkguard/examples/internal/shopv1"
)

func main() {
	exampleapp.MainConfig(exampleapp.Config{Name: "grpc", Tour: tour}, func(ctx context.Context, app *exampleapp.App) error {
		srv := newServer(app.Authorizer)
		go func() {
			<-ctx.Done()
			force := time.AfterFunc(exampleapp.ShutdownTimeout, srv.Stop)
			defer force.Stop()
			srv.GracefulStop()
		}()
		return srv.Serve(app.Listener)
	})
}

// newServer is the example server: the interceptors authenticate every call
// and guard it by method; anything without a rule needs a signed-in session.
func newServer(a *core.Authorizer) *grpc.Server {
	opts := []clerkgrpc.Option{
		clerkgrpc.WithPublicMethod(shopv1.HealthService),
		clerkgrpc.WithPublicMethod(shopv1.ReflectionPrefix),
		clerkgrpc.WithMethodGuard(shopv1.CreateInvoiceProcedure, core.RequirePermission(shopv1.PermissionCreateInvoices)),
		clerkgrpc.WithMethodGuard(shopv1.WatchInvoicesProcedure, core.RequireRole(shopv1.RoleAdmin)),
	}
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(clerkgrpc.UnaryServerInterceptor(a, opts...)),
		grpc.ChainStreamInterceptor(clerkgrpc.StreamServerInterceptor(a, opts...)),
	)
	shopv1.RegisterInvoicesServer(srv, invoices{})
	healthpb.RegisterHealthServer(srv, health.NewServer())
	reflection.Register(srv)
	return srv
}

// invoices implements shop.v1.Invoices; the interceptors ran before every
// method, so the claims are there.
type invoices struct {
	shopv1.UnimplementedInvoicesServer
}

func (invoices) Me(ctx context.Context, _ *shopv1.MeRequest) (*shopv1.MeResponse, error) {
	c, _ := clerkgrpc.ClaimsFrom(ctx)
	return shopv1.Me(c), nil
}

func (invoices) CreateInvoice(ctx context.Context, req *shopv1.CreateInvoiceRequest) (*shopv1.Invoice, error) {
	c, _ := clerkgrpc.ClaimsFrom(ctx)
	return shopv1.NewInvoice(c, req.GetCustomer()), nil
}

func (invoices) WatchInvoices(_ *shopv1.WatchInvoicesRequest, stream grpc.ServerStreamingServer[shopv1.Invoice]) error {
	c, _ := clerkgrpc.ClaimsFrom(stream.Context())
	for _, inv := range shopv1.Invoices(c) {
		if err := stream.Send(inv); err != nil {
			return err
		}
	}
	return nil
}

// tour is what dev mode prints after the tokens: grpcurl commands
// (https://github.com/fullstorydev/grpcurl; reflection is public).
func tour(base string) []string {
	addr := base[len("http://"):]
	call := func(what, token, method, data string) []string {
		h := ""
		if token != "" {
			h = fmt.Sprintf(` -H "authorization: Bearer $%s"`, token)
		}
		d := ""
		if data != "" {
			d = " -d '" + data + "'"
		}
		return []string{what + ":", fmt.Sprintf("  grpcurl -plaintext%s%s %s %s", h, d, addr, method)}
	}
	var lines []string
	for _, c := range [][]string{
		call("public health check, expect SERVING", "", "grpc.health.v1.Health/Check", ""),
		call("signed out, expect Unauthenticated (session-token-missing)", "", "shop.v1.Invoices/Me", ""),
		call("admin, expect the claims", "ADMIN_TOKEN", "shop.v1.Invoices/Me", ""),
		call("admin has "+shopv1.PermissionCreateInvoices+", expect an invoice", "ADMIN_TOKEN", "shop.v1.Invoices/CreateInvoice", `{"customer":"Acme"}`),
		call("member lacks it, expect PermissionDenied (missing-permission)", "MEMBER_TOKEN", "shop.v1.Invoices/CreateInvoice", `{"customer":"Acme"}`),
		call("admin streams invoices, expect two", "ADMIN_TOKEN", "shop.v1.Invoices/WatchInvoices", ""),
		call("member is not "+shopv1.RoleAdmin+", expect PermissionDenied (missing-role)", "MEMBER_TOKEN", "shop.v1.Invoices/WatchInvoices", ""),
	} {
		lines = append(lines, c...)
	}
	return lines
}
