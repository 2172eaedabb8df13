package clerkgrpc

import (
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Option configures UnaryServerInterceptor, StreamServerInterceptor and
// AuthFunc.
type Option func(*config)

type config struct {
	rules adapter.ProcedureRules
}

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// WithMethodGuard protects the methods matching fullMethodOrPrefix with g:
// a full method ("/shop.v1.Invoices/Create"), a service ("/shop.v1.Invoices"
// or "/shop.v1.Invoices/") or a package prefix ending in "." ("/shop.v1.").
// The most specific rule wins: an exact method, then the longest prefix (see
// adapter.ProcedureRules).
func WithMethodGuard(fullMethodOrPrefix string, g core.Guard) Option {
	return func(c *config) { c.rules.SetGuard(fullMethodOrPrefix, g) }
}

// WithDefaultGuard sets the guard of every method no other rule matches.
// Without it the default is core.RequireAuth(): every method, health and
// reflection included, needs a signed-in session token.
func WithDefaultGuard(g core.Guard) Option {
	return func(c *config) { c.rules.SetDefault(g) }
}

// WithPublicMethod leaves the methods matching fullMethodOrPrefix (same
// patterns as WithMethodGuard) public, typically
// "/grpc.health.v1.Health/" and "/grpc.reflection.". Their calls are still
// authenticated, so a handler can read the claims of a caller that sent a
// valid token, but they are never rejected.
func WithPublicMethod(fullMethodOrPrefix string) Option {
	return func(c *config) { c.rules.SetPublic(fullMethodOrPrefix) }
}
