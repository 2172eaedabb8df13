package clerkconnect_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"

	clerkconnect "github.com/clerkguard/clerkguard/adapters/connect"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Guard a Connect procedure with a permission. With generated code the
// handler comes from NewXxxHandler(svc, connect.WithInterceptors(…)) and the
// procedure name from its …Procedure constant. In production the Authorizer
// comes from core.NewFromEnv() (CLERK_SECRET_KEY, …); here a clerktest issuer
// stands in for Clerk.
func Example() {
	iss, a := clerktest.StartExample()
	defer iss.Close()
	const create = "/shop.v1.Invoices/Create"
	icpt := clerkconnect.NewInterceptor(a, clerkconnect.WithMethodGuard(create, core.RequirePermission("org:invoices:create")))
	mux := http.NewServeMux()
	mux.Handle(create, connect.NewUnaryHandler(create,
		func(ctx context.Context, _ *connect.Request[wrapperspb.StringValue]) (*connect.Response[wrapperspb.StringValue], error) {
			c, _ := clerkconnect.ClaimsFrom(ctx)
			return connect.NewResponse(wrapperspb.String("invoice created by " + c.UserID())), nil
		}, connect.WithInterceptors(icpt)))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	client := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](srv.Client(), srv.URL+create)
	send := func(token string) {
		req := connect.NewRequest(wrapperspb.String("inv_1"))
		if token != "" {
			req.Header().Set("Authorization", "Bearer "+token)
		}
		res, err := client.CallUnary(context.Background(), req)
		if err != nil {
			fmt.Println(connect.CodeOf(err), err.(*connect.Error).Meta().Get("x-clerk-auth-reason"))
			return
		}
		fmt.Println(res.Msg.GetValue())
	}
	send("")
	send(iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1", OrgRole: "member"}))
	send(iss.Mint(clerktest.Session{UserID: "user_2", OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:invoices:create"}}))
	// Output:
	// unauthenticated session-token-missing
	// permission_denied missing-permission
	// invoice created by user_2
}
