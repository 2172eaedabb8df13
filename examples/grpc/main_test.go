package main

import (
	"context"
	"errors"
	"io"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/examples/internal/shopv1"
	"github.com/clerkguard/clerkguard/examples/internal/smoketest"
)

// TestSmoke builds this example, calls every method of its dev-mode tour
// with a gRPC client over loopback, and checks loopback-only dev mode and
// the switch to a configured instance.
func TestSmoke(t *testing.T) {
	smoketest.RunRPC(t, smoketest.RPCOptions{Tour: grpcTour, Me: grpcMe})
}

func dial(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func withToken(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}

func grpcMe(t *testing.T, addr, token string) (string, bool) {
	res, err := shopv1.NewInvoicesClient(dial(t, addr)).Me(withToken(t.Context(), token), &shopv1.MeRequest{})
	if err != nil {
		if status.Code(err) != codes.Unauthenticated {
			t.Errorf("Me: %v, want OK or Unauthenticated", err)
		}
		return "", false
	}
	return res.GetUserId(), true
}

func grpcTour(t *testing.T, addr string, tokens map[string]string) {
	conn := dial(t, addr)
	client := shopv1.NewInvoicesClient(conn)
	admin, member := tokens["ADMIN_TOKEN"], tokens["MEMBER_TOKEN"]
	ctx := t.Context()

	if res, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{}); err != nil || res.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("health without a token: %v, %v; want SERVING (public)", res, err)
	}
	wantRefused := func(what string, err error, code codes.Code, reason core.Reason, trailer metadata.MD) {
		t.Helper()
		if status.Code(err) != code {
			t.Errorf("%s: %v, want %s", what, err, code)
		}
		if got := trailer.Get(adapter.RPCTrailerAuthReason); len(got) != 1 || got[0] != string(reason) {
			t.Errorf("%s: trailer %s = %q, want %s", what, adapter.RPCTrailerAuthReason, got, reason)
		}
	}
	var tr metadata.MD
	_, err := client.Me(ctx, &shopv1.MeRequest{}, grpc.Trailer(&tr))
	wantRefused("Me signed out", err, codes.Unauthenticated, core.ReasonSessionTokenMissing, tr)
	if me, err := client.Me(withToken(ctx, admin), &shopv1.MeRequest{}); err != nil || me.GetUserId() != "user_dev_admin" || me.GetOrgRole() != "org:admin" {
		t.Errorf("Me as admin: %v, %v", me, err)
	}
	if inv, err := client.CreateInvoice(withToken(ctx, admin), &shopv1.CreateInvoiceRequest{Customer: "Acme"}); err != nil || inv.GetCreatedBy() != "user_dev_admin" {
		t.Errorf("CreateInvoice as admin: %v, %v", inv, err)
	}
	_, err = client.CreateInvoice(withToken(ctx, member), &shopv1.CreateInvoiceRequest{Customer: "Acme"}, grpc.Trailer(&tr))
	wantRefused("CreateInvoice as member", err, codes.PermissionDenied, core.ReasonMissingPermission, tr)

	stream, err := client.WatchInvoices(withToken(ctx, admin), &shopv1.WatchInvoicesRequest{})
	n := 0
	for err == nil {
		var inv *shopv1.Invoice
		if inv, err = stream.Recv(); err == nil {
			n++
			if inv.GetCreatedBy() != "user_dev_admin" {
				t.Errorf("WatchInvoices as admin: %v", inv)
			}
		}
	}
	if !errors.Is(err, io.EOF) || n != 2 {
		t.Errorf("WatchInvoices as admin: %d invoices, %v; want 2 and EOF", n, err)
	}
	stream, err = client.WatchInvoices(withToken(ctx, member), &shopv1.WatchInvoicesRequest{})
	if err == nil {
		_, err = stream.Recv()
	}
	wantRefused("WatchInvoices as member", err, codes.PermissionDenied, core.ReasonMissingRole, stream.Trailer())
}
