package core

import "net/http"

// IsPreflight reports whether a request is a CORS preflight: method OPTIONS
// with both an Origin and an Access-Control-Request-Method header (the Fetch
// standard's definition). Browsers never send credentials with a preflight.
func IsPreflight(method string, req Request) bool {
	return method == http.MethodOptions && req != nil &&
		req.Header("Access-Control-Request-Method") != "" && req.Header("Origin") != ""
}

// PassPreflight returns a copy of g that lets CORS preflight requests
// (IsPreflight) through unauthenticated instead of answering 401, for
// applications whose CORS middleware runs after the guard. The guard must
// still be behind the authentication middleware (else 500, as always).
//
// It is off by default, on purpose: every framework's CORS middleware
// (go-chi/cors, rs/cors, gin-contrib/cors, echo's and fiber's) is meant to
// run first and answers preflights itself, so a guard never sees one; and a
// guard that passes preflights lets anyone reach the next handler with an
// OPTIONS request carrying two headers. Turn it on only when a CORS
// middleware that answers preflights without calling the next handler comes
// right after the guard, and never on handlers registered for every method
// (chi Handle, gin Any, echo Any, fiber All), which an OPTIONS request
// reaches.
func (g Guard) PassPreflight() Guard {
	g.preflight = true
	return g
}

// isPreflightRequest is IsPreflight for a request whose method is known
// through MethodRequest; any other request is no preflight.
func isPreflightRequest(req Request) bool {
	mr, ok := req.(MethodRequest)
	return ok && IsPreflight(mr.Method(), req)
}
