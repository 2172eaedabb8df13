package adapter

import (
	"fmt"
	"strings"

	"github.com/clerkguard/clerkguard/core"
)

type querySourceOption[H, R any] struct{ s core.TokenSource }

//lint:ignore U1000 used through the option interfaces (staticcheck misses generic methods)
func (o querySourceOption[H, R]) applyMiddleware(c *MiddlewareConfig[H, R]) {
	c.Sources = append(c.Sources[:len(c.Sources):len(c.Sources)], o.s)
}

// QueryTokenOption returns the option behind an adapter's WithQueryToken: a
// middleware option only, adding core.QuerySource(param) to
// MiddlewareConfig.Sources (behaviour.md §1.6), which the middleware passes
// to core.Authorizer.AuthenticateRoute. It panics when param is empty or
// holds a character that cannot appear unescaped in a query parameter name
// (a programming error, caught when the middleware is built).
func QueryTokenOption[H, R any](param string) MiddlewareOption[H, R] {
	p := strings.TrimSpace(param)
	if p == "" || strings.ContainsAny(p, "&=#?+% \t") {
		panic(fmt.Sprintf("clerkguard: WithQueryToken needs a query parameter name such as \"token\", got %q", param))
	}
	return querySourceOption[H, R]{core.QuerySource(p)}
}
