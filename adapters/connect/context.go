package clerkconnect

import (
	"context"

	"github.com/clerkguard/clerkguard/core"
)

// ClaimsFrom returns the verified claims of a signed-in call, and false when
// the call is signed out or no interceptor (or clerkguard HTTP middleware)
// ran. It is core.ClaimsFromContext: code below the handler may call either.
func ClaimsFrom(ctx context.Context) (*core.Claims, bool) {
	return core.ClaimsFromContext(ctx)
}

// ResultFrom returns the authentication outcome stored for the call (claims,
// or the error saying why it is signed out), and false when nothing
// authenticated it.
func ResultFrom(ctx context.Context) (*core.Result, bool) {
	return core.ResultFromContext(ctx)
}
