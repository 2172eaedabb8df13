package clerkchi

import (
	"context"

	"github.com/clerkguard/clerkguard/core"
)

// ClaimsFrom returns the verified claims of a signed-in request, and false
// when the request is signed out or Middleware did not run. It is
// core.ClaimsFromContext: code below the handler may call either.
func ClaimsFrom(ctx context.Context) (*core.Claims, bool) {
	return core.ClaimsFromContext(ctx)
}

// ResultFrom returns the authentication outcome Middleware stored for the
// request (claims, or the error saying why it is signed out), and false when
// Middleware did not run.
func ResultFrom(ctx context.Context) (*core.Result, bool) {
	return core.ResultFromContext(ctx)
}
