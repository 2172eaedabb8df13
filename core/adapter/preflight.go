package adapter

import (
	"net/http"

	"github.com/clerkguard/clerkguard/core"
)

// IsPreflight reports whether a request is a CORS preflight: method OPTIONS
// with both an Origin and an Access-Control-Request-Method header (the Fetch
// standard's definition). Browsers never send credentials with a preflight.
func IsPreflight(method string, req core.Request) bool {
	return method == http.MethodOptions && req != nil &&
		req.Header("Access-Control-Request-Method") != "" && req.Header("Origin") != ""
}

// isPreflightRequest is IsPreflight for a request whose method is known
// through MethodRequest; any other request is no preflight.
func isPreflightRequest(req core.Request) bool {
	mr, ok := req.(MethodRequest)
	return ok && IsPreflight(mr.Method(), req)
}
