package core

import (
	"context"
	"log/slog"
)

// Result is the outcome of authenticating one request: the verified claims
// when signed in, or the error that says why the request is signed out (or
// could not be checked). Adapters store it per request so that guards can
// tell "anonymous" from "invalid token" from "middleware not installed".
type Result struct {
	// Claims is non-nil when the request is signed in.
	Claims *Claims
	// Err is non-nil when the request is signed out; it is an *Error whose
	// Reason says why (ReasonSessionTokenMissing when no token was sent).
	Err error

	// logger is the logger of the Authorizer that produced the Result
	// (AuthenticateResult), through which guards log their 403 decisions;
	// nil for a Result built by hand, whose decisions are not logged.
	logger *slog.Logger
	// auth is the Authorizer that produced the Result (sign-in redirects,
	// behaviour.md §10.9); nil for a Result built by hand.
	auth *Authorizer
}

// AuthenticateResult is Authenticate returning the Result the adapters store
// for the guards: the claims or the error, and the Authorizer's logger
// (WithLogger), through which Guard.EvaluateRequest logs 403 decisions.
// Adapter authors call it once per request in their middleware.
func (a *Authorizer) AuthenticateResult(ctx context.Context, req Request) *Result {
	res := new(Result)
	a.AuthenticateInto(ctx, req, res)
	return res
}

// AuthenticateInto is AuthenticateResult writing into res, for adapters
// that keep the Result inside per-request state they already allocate (a
// pooled framework context, for instance). res must not be nil.
func (a *Authorizer) AuthenticateInto(ctx context.Context, req Request, res *Result) {
	c, err := a.Authenticate(ctx, req)
	*res = Result{Claims: c, Err: err, logger: a.logger, auth: a}
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

// resultKey is the unexported context key under which a *Result is stored.
type resultKey struct{}

// ContextWithResult returns a copy of ctx carrying res. Adapters call it for
// every request the middleware sees, signed in or not.
func ContextWithResult(ctx context.Context, res *Result) context.Context {
	return context.WithValue(ctx, resultKey{}, res)
}

// ResultFromContext returns the Result stored by the authentication
// middleware, and false when the middleware did not run for this request.
func ResultFromContext(ctx context.Context) (*Result, bool) {
	if ctx == nil {
		return nil, false
	}
	res, ok := ctx.Value(resultKey{}).(*Result)
	return res, ok && res != nil
}

// ContextWithClaims returns a copy of ctx carrying claims as a signed-in
// Result. It is mostly useful in tests of handlers that read claims.
func ContextWithClaims(ctx context.Context, c *Claims) context.Context {
	if c == nil {
		return ContextWithResult(ctx, &Result{Err: ErrSessionTokenMissing})
	}
	return ContextWithResult(ctx, &Result{Claims: c})
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
