package clerkgrpc_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/auth"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"

	clerkgrpc "github.com/clerkguard/clerkguard/adapters/grpc"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

const whoAmI = "/test.v1.Users/WhoAmI"

// whoAmIService answers the caller's user ID, or "anonymous".
var whoAmIService = &grpc.ServiceDesc{ServiceName: "test.v1.Users", HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{MethodName: "WhoAmI",
		Handler: func(_ any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.StringValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			h := func(ctx context.Context, _ any) (any, error) {
				if c, ok := clerkgrpc.ClaimsFrom(ctx); ok {
					return wrapperspb.String(c.UserID()), nil
				}
				return wrapperspb.String("anonymous"), nil
			}
			if icpt == nil {
				return h(ctx, in)
			}
			return icpt(ctx, in, &grpc.UnaryServerInfo{FullMethod: whoAmI}, h)
		}}}}

func whoAmICall(t *testing.T, c *grpcClient, token string) (string, metadata.MD, error) {
	t.Helper()
	ctx := t.Context()
	if token != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
	}
	out := new(wrapperspb.StringValue)
	var trailer metadata.MD
	err := c.conn.Invoke(ctx, whoAmI, wrapperspb.String(""), out, grpc.Trailer(&trailer))
	return out.GetValue(), trailer, err
}

// AuthFunc plugs into go-grpc-middleware/v2's auth interceptor with the same
// rules, and the clerkgrpc interceptor after it reuses its Result.
func TestAuthFuncWithGoGRPCMiddleware(t *testing.T) {
	iss := clerktest.Start(t)
	var verified atomic.Int64
	a := iss.Authorizer(t, core.WithObserver(func(core.Outcome) { verified.Add(1) }))
	perm := core.RequirePermission("org:invoices:create")
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(
		auth.UnaryServerInterceptor(clerkgrpc.AuthFunc(a, clerkgrpc.WithMethodGuard(whoAmI, perm))),
		clerkgrpc.UnaryServerInterceptor(a, clerkgrpc.WithMethodGuard(whoAmI, perm)),
	))
	srv.RegisterService(whoAmIService, nil)
	c := serveBufconn(t, srv)

	_, trailer, err := whoAmICall(t, c, iss.Mint(clerktest.Session{UserID: "user_plain"}))
	if status.Code(err) != codes.PermissionDenied || strings.Join(trailer.Get(adapter.RPCTrailerAuthReason), ",") != "missing-permission" {
		t.Fatalf("AuthFunc, no permission: %v, trailer %v; want PermissionDenied, missing-permission", err, trailer)
	}
	verified.Store(0)
	got, _, err := whoAmICall(t, c, iss.Mint(clerktest.Session{UserID: "user_admin", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}}))
	if err != nil || got != "user_admin" {
		t.Fatalf("AuthFunc, allowed: %q, %v; want user_admin", got, err)
	}
	if n := verified.Load(); n != 1 {
		t.Errorf("AuthFunc then UnaryServerInterceptor verified the token %d times, want once (the second reuses the Result)", n)
	}
	if _, _, err := whoAmICall(t, c, ""); status.Code(err) != codes.Unauthenticated {
		t.Errorf("AuthFunc, no token: %v, want Unauthenticated", err)
	}
}

func TestStatusRendering(t *testing.T) {
	tok := "eyJhbGciOiJSUzI1NiJ9.secret-token-part.sig"
	res := &core.Result{Err: &core.Error{Reason: core.ReasonTokenExpired, Detail: "token " + tok}}
	st := clerkgrpc.Status(core.RequireAuth().Evaluate(res), core.RequireAuth())
	if st.Code() != codes.Unauthenticated || st.Message() != core.ReasonTokenExpired.Message() || strings.Contains(st.String(), tok) {
		t.Fatalf("Status: %v; want Unauthenticated with the fixed message and no token", st)
	}
	if len(st.Details()) != 1 {
		t.Fatalf("Status: %d details, want one ErrorInfo", len(st.Details()))
	}
	info, ok := st.Details()[0].(*errdetails.ErrorInfo)
	if !ok || info.GetReason() != "token-expired" || info.GetDomain() != adapter.RPCErrorDomain {
		t.Errorf("Status detail %v, want ErrorInfo token-expired in %s", st.Details()[0], adapter.RPCErrorDomain)
	}
	if st := clerkgrpc.Status(core.ErrJWKRemoteFailedToLoad, core.RequireAuth()); st.Code() != codes.Unavailable {
		t.Errorf("keys unavailable: %v, want Unavailable", st.Code())
	}
}

func TestCheckWithoutInterceptorIsInternal(t *testing.T) {
	err := clerkgrpc.Check(context.Background(), core.RequireAuth())
	if status.Code(err) != codes.Internal {
		t.Fatalf("Check without an interceptor: %v, want Internal (never a pass)", err)
	}
	ctx := core.ContextWithClaims(context.Background(), &core.Claims{Subject: "user_1"})
	if err := clerkgrpc.Check(ctx, core.RequireAuth()); err != nil {
		t.Errorf("Check with claims on the context: %v, want nil", err)
	}
}
