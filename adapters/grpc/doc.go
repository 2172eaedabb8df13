// Package clerkgrpc authenticates and authorizes Clerk users and machines in
// gRPC services built with google.golang.org/grpc (v1).
//
// UnaryServerInterceptor and StreamServerInterceptor read the token from the
// "authorization" metadata ("Bearer <token>", the same rules as the HTTP
// Authorization header, behaviour.md §1.1; gRPC has no cookie), verify it
// with a *core.Authorizer and put the *core.Result on the call's context, so
// handlers read the claims with ClaimsFrom(ctx) or core.ClaimsFromContext.
// Each method is then guarded by the most specific rule of WithMethodGuard
// (a full method or a service prefix), or by WithDefaultGuard, which is
// core.RequireAuth() when not set: the interceptors fail closed, and a
// health or reflection service stays guarded unless WithPublicMethod opens
// it.
//
//	srv := grpc.NewServer(
//		grpc.ChainUnaryInterceptor(clerkgrpc.UnaryServerInterceptor(a,
//			clerkgrpc.WithMethodGuard("/shop.v1.Invoices/Create", core.RequirePermission("org:invoices:create")),
//			clerkgrpc.WithPublicMethod("/grpc.health.v1.Health/"))),
//		grpc.ChainStreamInterceptor(clerkgrpc.StreamServerInterceptor(a /* same options */)),
//	)
//
// Rejections are gRPC statuses: signed out is codes.Unauthenticated, signed in
// but not allowed codes.PermissionDenied, keys or Backend API unavailable
// codes.Unavailable, and Check used without an interceptor codes.Internal.
// Each carries a google.rpc.ErrorInfo detail (reason, domain
// adapter.RPCErrorDomain, metadata "guard" for refusals) and the trailers
// x-clerk-auth-reason and x-clerk-auth-status; the message is the reason's
// fixed text and never carries the token (behaviour.md §7.3).
//
// Teams already using github.com/grpc-ecosystem/go-grpc-middleware/v2 pass
// AuthFunc to its auth interceptors instead.
package clerkgrpc
