package clerkecho

import (
	"github.com/labstack/echo/v4"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// ClaimsFrom returns the verified claims of a signed-in request, and false
// when the request is signed out or Middleware did not run. The same claims
// are on c.Request().Context() for core.ClaimsFromContext.
func ClaimsFrom(c echo.Context) (*core.Claims, bool) { return adapter.ClaimsOf(stateFrom(c)) }

// ResultFrom returns the authentication outcome Middleware stored, and false
// when Middleware did not run.
func ResultFrom(c echo.Context) (*core.Result, bool) { return adapter.ResultOf(stateFrom(c)) }

// stateFrom returns the State Middleware stored on the request's context,
// nil when it did not run.
func stateFrom(c echo.Context) *adapter.State {
	if c.Request() == nil {
		return nil
	}
	st, _ := adapter.StateFromContext(c.Request().Context())
	return st
}
