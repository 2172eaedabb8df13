package clerkconnect

import (
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Option configures NewInterceptor.
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

// WithMethodGuard protects the procedures matching procedureOrPrefix with g:
// a procedure ("/shop.v1.Invoices/Create", the generated
// …Procedure constants), a service ("/shop.v1.Invoices" or
// "/shop.v1.Invoices/") or a package prefix ending in "." ("/shop.v1.").
// The most specific rule wins: an exact procedure, then the longest prefix
// (see adapter.ProcedureRules).
func WithMethodGuard(procedureOrPrefix string, g core.Guard) Option {
	return func(c *config) { c.rules.SetGuard(procedureOrPrefix, g) }
}

// WithDefaultGuard sets the guard of every procedure no other rule matches.
// Without it the default is core.RequireAuth(): every procedure, health and
// reflection included, needs a signed-in session token.
func WithDefaultGuard(g core.Guard) Option {
	return func(c *config) { c.rules.SetDefault(g) }
}

// WithPublicMethod leaves the procedures matching procedureOrPrefix (same
// patterns as WithMethodGuard) public, typically "/grpc.health.v1.Health/".
// Their calls are still authenticated, so a handler can read the claims of a
// caller that sent a valid token, but they are never rejected.
func WithPublicMethod(procedureOrPrefix string) Option {
	return func(c *config) { c.rules.SetPublic(procedureOrPrefix) }
}
