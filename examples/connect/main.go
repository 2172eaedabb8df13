// Command connect is the example service (examples/internal/shopv1/shop.proto)
// as a Connect server guarded by clerkconnect: it answers the Connect, gRPC
// and gRPC-Web protocols, so plain curl works too.
//
//	go run ./examples/connect
//
// With no CLERK_* variable set it starts in local dev mode (an in-process dev
// issuer, loopback only) and prints curl commands with tokens for an org
// admin and a plain member. Set CLERK_SECRET_KEY (or CLERK_JWT_KEY,
// CLERK_JWKS_URL) to use a real Clerk instance; ADDR sets the listen address
// (default 127.0.0.1:8080).
//
// Procedures: /shop.v1.Invoices/Me (any signed-in session: the default
// guard), CreateInvoice (permission org:invoices:create), WatchInvoices (a
// server stream, role admin).
package main

import (
	"context"
	"fmt"
	"net/http"

	"connectrpc.com/connect"

	clerkconnect "github.com/clerkguard/clerkguard/adapters/connect"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
	"github.com/clerkguard/clerkguard/examples/internal/shopv1"
	"github.com/clerkguard/clerkguard/examples/internal/shopv1/shopv1connect"
)

func main() {
	exampleapp.MainConfig(exampleapp.Config{Name: "connect", Tour: tour}, func(ctx context.Context, app *exampleapp.App) error {
		return app.ServeHTTP(ctx, newHandler(app.Authorizer))
	})
}

// newHandler is the example server: the interceptor authenticates every call
// and guards it by procedure; anything without a rule needs a signed-in
// session.
func newHandler(a *core.Authorizer) http.Handler {
	icpt := clerkconnect.NewInterceptor(a,
		clerkconnect.WithMethodGuard(shopv1connect.InvoicesCreateInvoiceProcedure, core.RequirePermission(shopv1.PermissionCreateInvoices)),
		clerkconnect.WithMethodGuard(shopv1connect.InvoicesWatchInvoicesProcedure, core.RequireRole(shopv1.RoleAdmin)),
	)
	mux := http.NewServeMux()
	mux.Handle(shopv1connect.NewInvoicesHandler(invoices{}, connect.WithInterceptors(icpt)))
	return mux
}

// invoices implements shop.v1.Invoices; the interceptor ran before every
// procedure, so the claims are there.
type invoices struct {
	shopv1connect.UnimplementedInvoicesHandler
}

func (invoices) Me(ctx context.Context, _ *connect.Request[shopv1.MeRequest]) (*connect.Response[shopv1.MeResponse], error) {
	c, _ := clerkconnect.ClaimsFrom(ctx)
	return connect.NewResponse(shopv1.Me(c)), nil
}

func (invoices) CreateInvoice(ctx context.Context, req *connect.Request[shopv1.CreateInvoiceRequest]) (*connect.Response[shopv1.Invoice], error) {
	c, _ := clerkconnect.ClaimsFrom(ctx)
	return connect.NewResponse(shopv1.NewInvoice(c, req.Msg.GetCustomer())), nil
}

func (invoices) WatchInvoices(ctx context.Context, _ *connect.Request[shopv1.WatchInvoicesRequest], stream *connect.ServerStream[shopv1.Invoice]) error {
	c, _ := clerkconnect.ClaimsFrom(ctx)
	for _, inv := range shopv1.Invoices(c) {
		if err := stream.Send(inv); err != nil {
			return err
		}
	}
	return nil
}

// tour is what dev mode prints after the tokens: curl commands in the
// Connect protocol (unary calls are a JSON POST; errors answer 401/403 with
// a JSON body carrying the code, message and ErrorInfo).
func tour(base string) []string {
	call := func(what, token, procedure, data string) []string {
		h := ""
		if token != "" {
			h = fmt.Sprintf(` -H "Authorization: Bearer $%s"`, token)
		}
		return []string{what + ":", fmt.Sprintf(`  curl -i -X POST -H "Content-Type: application/json"%s -d '%s' %s%s`, h, data, base, procedure)}
	}
	var lines []string
	for _, c := range [][]string{
		call("signed out, expect 401 unauthenticated (session-token-missing)", "", shopv1.MeProcedure, "{}"),
		call("admin, expect 200 and the claims", "ADMIN_TOKEN", shopv1.MeProcedure, "{}"),
		call("member, expect 200 and the claims", "MEMBER_TOKEN", shopv1.MeProcedure, "{}"),
		call("admin has "+shopv1.PermissionCreateInvoices+", expect 200 and an invoice", "ADMIN_TOKEN", shopv1.CreateInvoiceProcedure, `{"customer":"Acme"}`),
		call("member lacks it, expect 403 permission_denied (missing-permission)", "MEMBER_TOKEN", shopv1.CreateInvoiceProcedure, `{"customer":"Acme"}`),
	} {
		lines = append(lines, c...)
	}
	return lines
}
