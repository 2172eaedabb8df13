package adapter

import (
	"net/http"

	"github.com/clerkguard/clerkguard/core"
)

// stateRequest is a State and the request whose context it is, allocated
// together.
type stateRequest struct {
	st State
	r  http.Request
}

// NewRequest is NewState for a net/http request hr (rr is the framework's
// request, for the Skipper: hr itself for net/http, *gin.Context, …): it
// returns a shallow copy of hr whose context is the State (what
// hr.WithContext does), and the State. Both cost one allocation together,
// where hr.WithContext(c.NewState(…)) costs two.
func (c MiddlewareConfig[H, R]) NewRequest(a *core.Authorizer, rr R, hr *http.Request) (*http.Request, *State) {
	sr := new(stateRequest)
	c.Authenticate(hr.Context(), a, rr, core.HTTPRequest(hr), &sr.st)
	sr.r = *hr.WithContext(&sr.st)
	return &sr.r, &sr.st
}
