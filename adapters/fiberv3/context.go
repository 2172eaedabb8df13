package clerkfiberv3

import (
	"github.com/gofiber/fiber/v3"

	"github.com/clerkguard/clerkguard/core"
)

// localsKey is the unexported type of the keys this package puts in
// c.Locals (fasthttp user values, reset for every request).
type localsKey int

const (
	resultKey localsKey = iota
	handlerKey
)

// ClaimsFrom returns the verified claims of a signed-in request, and false
// when the request is signed out or Middleware did not run. The same claims
// are on c.Context() for core.ClaimsFromContext.
func ClaimsFrom(c fiber.Ctx) (*core.Claims, bool) {
	res, ok := ResultFrom(c)
	if !ok || !res.SignedIn() {
		return nil, false
	}
	return res.Claims, true
}

// ResultFrom returns the authentication outcome Middleware stored, and false
// when Middleware did not run.
func ResultFrom(c fiber.Ctx) (*core.Result, bool) {
	res := fiber.Locals[*core.Result](c, resultKey)
	return res, res != nil
}

func errorHandlerFor(c fiber.Ctx, own ErrorHandler) ErrorHandler {
	if own != nil {
		return own
	}
	if h := fiber.Locals[ErrorHandler](c, handlerKey); h != nil {
		return h
	}
	return DefaultErrorHandler
}

// request is the core.Request view of a fiber v3 request, read from fasthttp
// without converting to net/http. Unless the app is Immutable the strings
// alias buffers fasthttp reuses for the next request: core uses them only
// during Authenticate and copies whatever it keeps (cache and single-flight
// keys).
type request struct{ c fiber.Ctx }

func (r request) Header(name string) string { return r.c.Get(name) }

// Cookie reports an empty cookie as absent: core treats an empty __session
// cookie as no token anyway (behaviour.md §1.2, §1.4).
func (r request) Cookie(name string) (value string, ok bool) {
	value = r.c.Cookies(name)
	return value, value != ""
}

func (r request) Path() string { return r.c.Path() }

// Query returns the first value of a URL query parameter, for
// core.QuerySource (behaviour.md §1.5).
func (r request) Query(name string) string { return r.c.Query(name) }

// Method returns the request method, for guards made with PassPreflight.
func (r request) Method() string { return r.c.Method() }

// Scheme, Host and RequestURI give the URL of the request as fasthttp
// received it, for browser sessions (core.URLRequest, behaviour.md §10.3):
// never fiber's proxy-aware Protocol and Hostname, which trust forwarded
// headers unless the app enables its trusted-proxy check; core reads those
// only when configured (core.WithTrustForwardedHeaders).
func (r request) Scheme() string {
	if r.c.RequestCtx().IsTLS() {
		return "https"
	}
	return "http"
}

func (r request) Host() string { return r.c.Get("Host") }

// RequestURI is the path and raw query as sent, also when the request line
// carried an absolute URI.
func (r request) RequestURI() string { return core.OriginForm(r.c.OriginalURL()) }

// request serves every optional view core reads.
var (
	_ core.PathRequest   = request{}
	_ core.QueryRequest  = request{}
	_ core.URLRequest    = request{}
	_ core.MethodRequest = request{}
)
