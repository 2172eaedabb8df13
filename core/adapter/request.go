package adapter

import "github.com/clerkguard/clerkguard/core"

// A request view is the core.Request an adapter builds around its
// framework's request. Besides Header and Cookie, a view should implement
// the three extensions below: core and this package look for them with a
// type assertion.

// PathRequest is an optional extension of core.Request: when a view also
// implements it, rejection log lines carry the request path.
type PathRequest interface {
	core.Request
	// Path returns the URL path of the request.
	Path() string
}

// QueryRequest is an optional extension of core.Request for
// core.QuerySource: a view that also implements it can yield a token from a
// URL query parameter (behaviour.md §1.5). Every adapter's view implements
// it.
type QueryRequest interface {
	core.Request
	// Query returns the first value of the named URL query parameter, or "".
	Query(name string) string
}

// MethodRequest is an optional extension of core.Request: when a view also
// implements it, guards configured with PassPreflightOption recognise CORS
// preflights (IsPreflight).
type MethodRequest interface {
	core.Request
	// Method returns the HTTP method of the request.
	Method() string
}
