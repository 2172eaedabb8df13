package core

import (
	"context"

	"github.com/clerkguard/clerkguard/core/internal/ctxkey"
)

// Result is the outcome of authenticating one request: the verified claims
// when signed in, or the error that says why the request is signed out (or
// could not be checked). The adapters store it per request (package core/adapter) so that guards
// can tell "anonymous" from "invalid token" from "middleware not installed".
// A stored Result, like its Claims, may be shared by requests with the same
// token: read it, never modify it.
type Result struct {
	// Claims is non-nil when the request is signed in.
	Claims *Claims
	// Err is non-nil when the request is signed out; it is an *Error whose
	// Reason says why (ReasonSessionTokenMissing when no token was sent).
	Err error
}

// SignedIn reports whether the request carries verified claims. Claims
// without a subject never count as signed in (behaviour.md §5.1).
func (r *Result) SignedIn() bool { return r != nil && r.Err == nil && r.Claims.signedIn() }

// Reason is the reason the request is signed out, or "" when signed in.
func (r *Result) Reason() Reason {
	if r == nil {
		return ReasonMiddlewareMissing
	}
	if r.Err != nil {
		return ReasonOf(r.Err)
	}
	if !r.Claims.signedIn() {
		return ReasonSessionTokenMissing
	}
	return ""
}

// ResultFromContext returns the Result stored by the authentication
// middleware, and false when the middleware did not run for this request.
func ResultFromContext(ctx context.Context) (*Result, bool) {
	if ctx == nil {
		return nil, false
	}
	res, ok := ctx.Value(ctxkey.Result{}).(*Result)
	return res, ok && res != nil
}

// ContextWithClaims returns a copy of ctx carrying claims as a signed-in
// Result. It is mostly useful in tests of handlers that read claims.
func ContextWithClaims(ctx context.Context, c *Claims) context.Context {
	res := &Result{Claims: c}
	if c == nil {
		res = &Result{Err: ErrSessionTokenMissing}
	}
	return context.WithValue(ctx, ctxkey.Result{}, res)
}

// ClaimsFromContext returns the verified claims of a signed-in request, and
// false when the request is signed out or was not authenticated.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	res, ok := ResultFromContext(ctx)
	if !ok || !res.SignedIn() {
		return nil, false
	}
	return res.Claims, true
}
