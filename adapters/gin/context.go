package clerkgin

import (
	"github.com/gin-gonic/gin"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// stateKey is the key of the request's *adapter.State in the gin context.
// gin resets its keys for every request, so nothing survives into the next
// request of a pooled context.
const stateKey = "github.com/clerkguard/clerkguard/adapters/gin.state"

// ClaimsFrom returns the verified claims of a signed-in request, and false
// when the request is signed out or Middleware did not run. The same claims
// are on c.Request.Context() for core.ClaimsFromContext.
func ClaimsFrom(c *gin.Context) (*core.Claims, bool) {
	res, ok := ResultFrom(c)
	if !ok || !res.SignedIn() {
		return nil, false
	}
	return res.Claims, true
}

// ResultFrom returns the authentication outcome Middleware stored (claims,
// or the error saying why the request is signed out), and false when
// Middleware did not run.
func ResultFrom(c *gin.Context) (*core.Result, bool) {
	st := stateFrom(c)
	return st.Result(), st != nil
}

// stateFrom returns the State Middleware stored, nil when it did not run.
func stateFrom(c *gin.Context) *adapter.State {
	v, _ := c.Get(stateKey)
	st, _ := v.(*adapter.State)
	return st
}
