package clerkgin

import (
	"github.com/gin-gonic/gin"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// Middleware authenticates each request with a (behaviour.md §1, 3) and stores the
// outcome on c.Request's context. It never rejects
// (behaviour.md §7.1): guards do. Options: WithSkipper, and WithErrorHandler as the
// default of the guards after it. Middleware panics if a is nil.
func Middleware(a *core.Authorizer, opts ...MiddlewareOption) gin.HandlerFunc {
	cfg := adapter.MustMiddlewareConfig("clerkgin", a, opts)
	return func(c *gin.Context) {
		var st *adapter.State
		c.Request, st = cfg.NewRequest(a, c, c.Request)
		if st.WriteAnswer(c.Writer) {
			c.Abort() // behaviour.md §7.1: the handshake answers
			return
		}
		c.Next()
	}
}
