package clerkechov5

import (
	"github.com/labstack/echo/v5"

	"github.com/clerkguard/clerkguard/core"
)

// Keys in the echo context store (cleared by echo for every request).
const (
	resultKey  = "github.com/clerkguard/clerkguard/adapters/echov5.result"
	handlerKey = "github.com/clerkguard/clerkguard/adapters/echov5.errorHandler"
)

// ClaimsFrom returns the verified claims of a signed-in request, and false
// when the request is signed out or Middleware did not run. The same claims
// are on c.Request().Context() for core.ClaimsFromContext.
func ClaimsFrom(c *echo.Context) (*core.Claims, bool) {
	res, ok := ResultFrom(c)
	if !ok || !res.SignedIn() {
		return nil, false
	}
	return res.Claims, true
}

// ResultFrom returns the authentication outcome Middleware stored, and false
// when Middleware did not run.
func ResultFrom(c *echo.Context) (*core.Result, bool) {
	res, err := echo.ContextGet[*core.Result](c, resultKey)
	return res, err == nil && res != nil
}

func errorHandlerFor(c *echo.Context, own ErrorHandler) ErrorHandler {
	if own != nil {
		return own
	}
	if h, err := echo.ContextGet[ErrorHandler](c, handlerKey); err == nil && h != nil {
		return h
	}
	return DefaultErrorHandler
}
