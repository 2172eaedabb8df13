package clerkgin

import (
	"github.com/gin-gonic/gin"

	"github.com/clerkguard/clerkguard/core"
)

// Keys in the gin context. gin resets its keys for every request, so nothing
// survives into the next request of a pooled context.
const (
	resultKey  = "github.com/clerkguard/clerkguard/adapters/gin.result"
	handlerKey = "github.com/clerkguard/clerkguard/adapters/gin.errorHandler"
)

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
	v, ok := c.Get(resultKey)
	if !ok {
		return nil, false
	}
	res, ok := v.(*core.Result)
	return res, ok && res != nil
}

// errorHandlerFor returns the guard's own handler, else the one set on
// Middleware, else DefaultErrorHandler.
func errorHandlerFor(c *gin.Context, own ErrorHandler) ErrorHandler {
	if own != nil {
		return own
	}
	if v, ok := c.Get(handlerKey); ok {
		if h, ok := v.(ErrorHandler); ok && h != nil {
			return h
		}
	}
	return DefaultErrorHandler
}
