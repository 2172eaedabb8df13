package main

import (
	"errors"
	"net/http"
	"testing"

	"connectrpc.com/connect"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/examples/internal/shopv1"
	"github.com/clerkguard/clerkguard/examples/internal/shopv1/shopv1connect"
	"github.com/clerkguard/clerkguard/examples/internal/smoketest"
)

// TestSmoke builds this example, runs the curl commands it prints in dev
// mode, streams with a Connect client, and checks loopback-only dev mode and
// the switch to a configured instance.
func TestSmoke(t *testing.T) {
	smoketest.RunRPC(t, smoketest.RPCOptions{
		Curls: map[string]int{
			"POST " + shopv1.MeProcedure:                   401,
			"ADMIN POST " + shopv1.MeProcedure:             200,
			"MEMBER POST " + shopv1.MeProcedure:            200,
			"ADMIN POST " + shopv1.CreateInvoiceProcedure:  200,
			"MEMBER POST " + shopv1.CreateInvoiceProcedure: 403,
		},
		Tour: streamTour,
		Me:   connectMe,
	})
}

func client(addr string) shopv1connect.InvoicesClient {
	return shopv1connect.NewInvoicesClient(http.DefaultClient, "http://"+addr)
}

func request[T any](msg *T, token string) *connect.Request[T] {
	req := connect.NewRequest(msg)
	if token != "" {
		req.Header().Set("Authorization", "Bearer "+token)
	}
	return req
}

func connectMe(t *testing.T, addr, token string) (string, bool) {
	res, err := client(addr).Me(t.Context(), request(&shopv1.MeRequest{}, token))
	if err != nil {
		if connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Errorf("Me: %v, want OK or unauthenticated", err)
		}
		return "", false
	}
	return res.Msg.GetUserId(), true
}

// streamTour covers the streaming procedure, which curl cannot frame.
func streamTour(t *testing.T, addr string, tokens map[string]string) {
	c := client(addr)
	stream, err := c.WatchInvoices(t.Context(), request(&shopv1.WatchInvoicesRequest{}, tokens["ADMIN_TOKEN"]))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for stream.Receive() {
		if n++; stream.Msg().GetCreatedBy() != "user_dev_admin" {
			t.Errorf("WatchInvoices as admin: %v", stream.Msg())
		}
	}
	if err := stream.Err(); err != nil || n != 2 {
		t.Errorf("WatchInvoices as admin: %d invoices, %v; want 2", n, err)
	}
	_ = stream.Close()
	stream, err = c.WatchInvoices(t.Context(), request(&shopv1.WatchInvoicesRequest{}, tokens["MEMBER_TOKEN"]))
	if err != nil {
		t.Fatal(err)
	}
	for stream.Receive() {
		t.Errorf("WatchInvoices as member received %v", stream.Msg())
	}
	var ce *connect.Error
	if err := stream.Err(); !errors.As(err, &ce) || ce.Code() != connect.CodePermissionDenied || ce.Meta().Get(adapter.RPCTrailerAuthReason) != string(core.ReasonMissingRole) {
		t.Errorf("WatchInvoices as member: %v, want permission_denied missing-role", err)
	}
	_ = stream.Close()
}
