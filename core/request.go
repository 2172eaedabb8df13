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

// pathRequest and queryRequest are the optional extensions of Request that
// core looks for (package core/adapter documents them for adapter authors
// as PathRequest and QueryRequest): the path for log lines, the query for
// QuerySource.
type pathRequest interface{ Path() string }

type queryRequest interface{ Query(name string) string }

// HTTPRequest adapts a *http.Request to Request, for calling
// Authorizer.Authenticate from a net/http handler. The view also gives the
// path, query and method (the optional extensions package core/adapter
// documents).
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
