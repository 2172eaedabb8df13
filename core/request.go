package core

import "net/http"

// Request is the framework-neutral view of an incoming request that the
// Authorizer reads tokens from (behaviour.md §1). It is deliberately tiny so that any
// framework (fiber's fasthttp included) can satisfy it without converting to
// net/http.
type Request interface {
	// Header returns the first value of the named header, or "".
	Header(name string) string
	// Cookie returns the value of the named cookie and whether it was sent.
	Cookie(name string) (string, bool)
}

// PathRequest is an optional extension of Request: when a Request also
// implements it, rejection log lines carry the request path.
type PathRequest interface {
	Request
	// Path returns the URL path of the request.
	Path() string
}

// QueryRequest is an optional extension of Request for QuerySource: a
// Request that also implements it can yield a token from a URL query
// parameter (behaviour.md §1.5). Every adapter's request view implements it.
type QueryRequest interface {
	Request
	// Query returns the first value of the named URL query parameter, or "".
	Query(name string) string
}

// MethodRequest is an optional extension of Request: when a Request also
// implements it, guards made with Guard.PassPreflight can recognise CORS
// preflights (IsPreflight).
type MethodRequest interface {
	Request
	// Method returns the HTTP method of the request.
	Method() string
}

// HTTPRequest adapts a *http.Request to Request (and PathRequest,
// QueryRequest and MethodRequest).
func HTTPRequest(r *http.Request) Request { return httpRequest{r} }

type httpRequest struct{ r *http.Request }

func (h httpRequest) Header(name string) string {
	// "Authorization", the name core asks for on every request, is already
	// canonical: skip the canonicalisation Header.Get would do. Any other
	// name goes through Get.
	if name == headerAuthorization {
		if v := h.r.Header[headerAuthorization]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	return h.r.Header.Get(name)
}

func (h httpRequest) Cookie(name string) (string, bool) {
	c, err := h.r.Cookie(name)
	if err != nil {
		return "", false
	}
	return c.Value, true
}

func (h httpRequest) Query(name string) string {
	if h.r.URL == nil {
		return ""
	}
	return h.r.URL.Query().Get(name)
}

func (h httpRequest) Path() string {
	if h.r.URL == nil {
		return ""
	}
	return h.r.URL.Path
}

func (h httpRequest) Method() string { return h.r.Method }
