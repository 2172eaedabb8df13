package adapter

import "github.com/clerkguard/clerkguard/core"

// ClaimsOf is the body of an adapter's ClaimsFrom, given the State its
// middleware stored for the request (nil when the middleware did not run):
// the verified claims of a signed-in request, and false when it is signed
// out or s is nil.
func ClaimsOf(s *State) (*core.Claims, bool) {
	if res := s.Result(); res.SignedIn() {
		return res.Claims, true
	}
	return nil, false
}

// ResultOf is the body of an adapter's ResultFrom: the authentication
// outcome s holds (claims, or the error saying why the request is signed
// out), and false when s is nil (the middleware did not run).
func ResultOf(s *State) (*core.Result, bool) { return s.Result(), s != nil }
