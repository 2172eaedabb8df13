package clerkconnect_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/types/known/wrapperspb"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	clerkconnect "github.com/clerkguard/clerkguard/adapters/connect"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

const whoAmI = "/test.v1.Users/WhoAmI"

// whoAmIHandler answers the caller's user ID, or "anonymous".
func whoAmIHandler(opts ...connect.HandlerOption) http.Handler {
	return connect.NewUnaryHandler(whoAmI, func(ctx context.Context, _ *connect.Request[wrapperspb.StringValue]) (*connect.Response[wrapperspb.StringValue], error) {
		c, ok := clerkconnect.ClaimsFrom(ctx)
		if !ok {
			return connect.NewResponse(wrapperspb.String("anonymous")), nil
		}
		return connect.NewResponse(wrapperspb.String(c.UserID())), nil
	}, opts...)
}

// countingAuthorizer trusts iss and counts the tokens it verifies.
func countingAuthorizer(t *testing.T, iss *clerktest.Issuer, n *atomic.Int64) *core.Authorizer {
	return iss.Authorizer(t, core.WithObserver(func(core.Outcome) { n.Add(1) }))
}

func call(t *testing.T, url string, header http.Header) (string, error) {
	t.Helper()
	client := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](http.DefaultClient, url+whoAmI)
	req := connect.NewRequest(wrapperspb.String(""))
	for k, vs := range header {
		req.Header()[k] = vs
	}
	res, err := client.CallUnary(t.Context(), req)
	if err != nil {
		return "", err
	}
	return res.Msg.GetValue(), nil
}

// With clerkchi.Middleware in front, the interceptor reuses the Result it
// stored: one verification per call, and the cookie works as chi decides.
func TestBehindClerkchiMiddlewareVerifiesOnce(t *testing.T) {
	iss := clerktest.Start(t)
	var verified atomic.Int64
	a := countingAuthorizer(t, iss, &verified)
	h := whoAmIHandler(connect.WithInterceptors(clerkconnect.NewInterceptor(a)))
	srv := httptest.NewServer(clerkchi.Middleware(a)(h))
	t.Cleanup(srv.Close)
	tok := iss.Mint(clerktest.Session{UserID: "user_chi"})

	got, err := call(t, srv.URL, http.Header{"Authorization": {"Bearer " + tok}})
	if err != nil || got != "user_chi" {
		t.Fatalf("bearer call behind clerkchi: %q, %v; want user_chi", got, err)
	}
	if n := verified.Load(); n != 1 {
		t.Errorf("bearer call behind clerkchi: the Authorizer ran %d times, want once (the interceptor must reuse clerkchi's Result)", n)
	}
	got, err = call(t, srv.URL, http.Header{"Cookie": {core.SessionCookie + "=" + tok + "; " + core.ClientUatCookie + "=1"}})
	if err != nil || got != "user_chi" {
		t.Errorf("cookie call behind clerkchi: %q, %v; want user_chi (clerkchi reads the __session cookie)", got, err)
	}
	if _, err := call(t, srv.URL, nil); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Errorf("anonymous call behind clerkchi: %v, want unauthenticated", err)
	}
	if n := verified.Load(); n != 3 {
		t.Errorf("three calls behind clerkchi: the Authorizer ran %d times, want 3", n)
	}
}

// Without clerkchi, the interceptor reads the Authorization header only.
func TestInterceptorAloneIgnoresCookie(t *testing.T) {
	iss := clerktest.Start(t)
	var verified atomic.Int64
	a := countingAuthorizer(t, iss, &verified)
	srv := httptest.NewServer(whoAmIHandler(connect.WithInterceptors(clerkconnect.NewInterceptor(a))))
	t.Cleanup(srv.Close)
	tok := iss.Mint(clerktest.Session{UserID: "user_cookie"})
	_, err := call(t, srv.URL, http.Header{"Cookie": {core.SessionCookie + "=" + tok + "; " + core.ClientUatCookie + "=1"}})
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeUnauthenticated || ce.Meta().Get(adapter.RPCTrailerAuthReason) != string(core.ReasonSessionTokenMissing) {
		t.Fatalf("cookie-only call: %v, want unauthenticated session-token-missing", err)
	}
	if strings.Contains(ce.Error(), tok) {
		t.Errorf("the error text carries the token")
	}
}

// On a client, the interceptor lets calls through untouched.
func TestClientSidePassesThrough(t *testing.T) {
	iss := clerktest.Start(t)
	var verified atomic.Int64
	a := countingAuthorizer(t, iss, &verified)
	srv := httptest.NewServer(whoAmIHandler())
	t.Cleanup(srv.Close)
	icpt := clerkconnect.NewInterceptor(a)
	unary := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](http.DefaultClient, srv.URL+whoAmI, connect.WithInterceptors(icpt))
	res, err := unary.CallUnary(t.Context(), connect.NewRequest(wrapperspb.String("")))
	if err != nil || res.Msg.GetValue() != "anonymous" {
		t.Fatalf("client call through the interceptor: %v, %v; want it untouched", res, err)
	}
	if verified.Load() != 0 {
		t.Errorf("a client-side call was authenticated")
	}
}

func TestErrorRendering(t *testing.T) {
	g := core.RequirePermission("org:invoices:create")
	err := clerkconnect.Error(g.Evaluate(&core.Result{Claims: &core.Claims{Subject: "user_1"}}), g)
	if err.Code() != connect.CodePermissionDenied || err.Message() != core.ReasonMissingPermission.Message() {
		t.Fatalf("Error: %v, want permission_denied with the fixed message", err)
	}
	if len(err.Details()) != 1 {
		t.Fatalf("Error: %d details, want one ErrorInfo", len(err.Details()))
	}
	v, dErr := err.Details()[0].Value()
	info, ok := v.(*errdetails.ErrorInfo)
	if dErr != nil || !ok || info.GetReason() != "missing-permission" || info.GetDomain() != adapter.RPCErrorDomain ||
		info.GetMetadata()[adapter.RPCMetadataGuard] != "RequirePermission(org:invoices:create)" {
		t.Errorf("Error detail: %v, %v; want ErrorInfo missing-permission with the guard", v, dErr)
	}
	if err.Meta().Get(adapter.RPCTrailerAuthStatus) != "signed-in" {
		t.Errorf("Error meta: %v, want x-clerk-auth-status signed-in", err.Meta())
	}
}
