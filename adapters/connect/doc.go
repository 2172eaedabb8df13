// Package clerkconnect authenticates and authorizes Clerk users and machines
// in Connect services built with connectrpc.com/connect (v1), over the
// Connect, gRPC and gRPC-Web protocols.
//
// NewInterceptor returns a connect.Interceptor for unary and streaming
// handlers. It reads the token from the Authorization header ("Bearer
// <token>", behaviour.md §1.1; no cookie), verifies it with a
// *core.Authorizer and puts the *core.Result on the handler's context, so
// handlers read the claims with ClaimsFrom(ctx) or core.ClaimsFromContext.
// Each procedure is guarded by the most specific rule of WithMethodGuard (a
// procedure or a service prefix), or by WithDefaultGuard, core.RequireAuth()
// when not set: the interceptor fails closed, and a health or reflection
// service stays guarded unless WithPublicMethod opens it.
//
//	path, h := shopv1connect.NewInvoicesHandler(svc, connect.WithInterceptors(clerkconnect.NewInterceptor(a,
//		clerkconnect.WithMethodGuard(shopv1connect.InvoicesCreateProcedure, core.RequirePermission("org:invoices:create")))))
//
// Rejections are *connect.Error values with the codes of clerkgrpc:
// CodeUnauthenticated (signed out), CodePermissionDenied (not allowed),
// CodeUnavailable (keys or Backend API unavailable) and CodeInternal (Check
// without the interceptor), a google.rpc.ErrorInfo detail (reason, domain
// adapter.RPCErrorDomain, metadata "guard" for refusals) and the metadata
// x-clerk-auth-reason and x-clerk-auth-status; the message is the reason's
// fixed text and never carries the token (behaviour.md §7.3).
//
// When clerkchi.Middleware (or any clerkguard HTTP middleware) runs in front
// of the Connect handler, the interceptor reuses the Result it stored on the
// request context: the token is verified once, and the __session cookie is
// then honoured as that middleware decides.
package clerkconnect
