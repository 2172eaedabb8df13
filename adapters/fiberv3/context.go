package clerkfiberv3

import (
	"github.com/gofiber/fiber/v3"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// localsKey is the unexported type of the keys this package puts in
// c.Locals (fasthttp user values, reset for every request).
type localsKey int

// stateKey is the key of the request's *adapter.State.
const stateKey localsKey = 0

// ClaimsFrom returns the verified claims of a signed-in request, and false
// when the request is signed out or Middleware did not run. The same claims
// are on c.Context() for core.ClaimsFromContext.
func ClaimsFrom(c fiber.Ctx) (*core.Claims, bool) { return adapter.ClaimsOf(stateFrom(c)) }

// ResultFrom returns the authentication outcome Middleware stored, and false
// when Middleware did not run.
func ResultFrom(c fiber.Ctx) (*core.Result, bool) { return adapter.ResultOf(stateFrom(c)) }

// stateFrom returns the State Middleware stored, nil when it did not run.
func stateFrom(c fiber.Ctx) *adapter.State {
	st := fiber.Locals[*adapter.State](c, stateKey)
	return st
}

// request is the core.Request view of a fiber v3 request, read from fasthttp
// without converting to net/http. Unless the app is Immutable the strings
// alias buffers fasthttp reuses for the next request: core uses them only
// during Authenticate and copies whatever it keeps (cache and single-flight
// keys).
//
// It is generic over the context type so that the view of fiber's own
// *fiber.DefaultCtx is one pointer, which becomes a core.Request without an
// allocation; fiber.Ctx itself is an interface (two words), whose view would
// cost one per request (viewOf).
type request[C fiber.Ctx] struct{ c C }

// viewOf returns the view of c: allocation-free for fiber's DefaultCtx, the
// generic view for a custom context (fiber.NewWithCustomCtx).
func viewOf(c fiber.Ctx) core.Request {
	if d, ok := c.(*fiber.DefaultCtx); ok {
		return request[*fiber.DefaultCtx]{d}
	}
	return request[fiber.Ctx]{c}
}

func (r request[C]) Header(name string) string { return r.c.Get(name) }

// Cookie reports an empty cookie as absent: core treats an empty __session
// cookie as no token anyway (behaviour.md §1.2, §1.4).
func (r request[C]) Cookie(name string) (value string, ok bool) {
	value = r.c.Cookies(name)
	return value, value != ""
}

func (r request[C]) Path() string { return r.c.Path() }

// Query returns the first value of a URL query parameter, for
// core.QuerySource (behaviour.md §1.5).
func (r request[C]) Query(name string) string { return r.c.Query(name) }

// Method returns the request method, for guards with WithPassPreflight.
func (r request[C]) Method() string { return r.c.Method() }

// request serves every optional view core reads.
// Scheme, Host and RequestURI give the URL of the request as fasthttp
// received it, for browser sessions (adapter.URLRequest, behaviour.md
// §10.3): never fiber's proxy-aware Protocol and Hostname, which trust
// forwarded headers unless the app enables its trusted-proxy check; core
// reads those only when configured (core.WithTrustForwardedHeaders).
func (r request[C]) Scheme() string {
	if r.c.RequestCtx().IsTLS() {
		return "https"
	}
	return "http"
}

func (r request[C]) Host() string { return r.c.Get("Host") }

// RequestURI is the path and raw query as sent, also when the request line
// carried an absolute URI.
func (r request[C]) RequestURI() string { return adapter.OriginForm(r.c.OriginalURL()) }

var (
	_ adapter.URLRequest    = request[fiber.Ctx]{}
	_ adapter.PathRequest   = request[fiber.Ctx]{}
	_ adapter.QueryRequest  = request[fiber.Ctx]{}
	_ adapter.MethodRequest = request[fiber.Ctx]{}
)
