package clerkfiber

import (
	"github.com/gofiber/fiber/v2"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// localsKey is the unexported type of the keys this package puts in
// c.Locals (reset by fasthttp for every request).
type localsKey int

// stateKey is the key of the request's *adapter.State.
const stateKey localsKey = 0

// ClaimsFrom returns the verified claims of a signed-in request, and false
// when the request is signed out or Middleware did not run. The same claims
// are on c.UserContext() for core.ClaimsFromContext.
func ClaimsFrom(c *fiber.Ctx) (*core.Claims, bool) { return adapter.ClaimsOf(stateFrom(c)) }

// ResultFrom returns the authentication outcome Middleware stored, and false
// when Middleware did not run.
func ResultFrom(c *fiber.Ctx) (*core.Result, bool) { return adapter.ResultOf(stateFrom(c)) }

// stateFrom returns the State Middleware stored, nil when it did not run.
func stateFrom(c *fiber.Ctx) *adapter.State {
	st, _ := c.Locals(stateKey).(*adapter.State)
	return st
}

// request is the core.Request view of a fiber request. It reads c.Get and
// c.Cookies straight from fasthttp, without converting to net/http. Unless
// the app is Immutable, those strings alias buffers fasthttp reuses for the
// next request: they are only used during Authenticate, and core copies
// whatever it keeps beyond the request (cache and single-flight keys).
type request struct{ c *fiber.Ctx }

func (r request) Header(name string) string { return r.c.Get(name) }

// Cookie reports an empty __session cookie as absent: core treats an empty
// cookie as no token anyway (behaviour.md §1.2, 1.4).
func (r request) Cookie(name string) (string, bool) {
	v := r.c.Cookies(name)
	return v, v != ""
}

func (r request) Path() string { return r.c.Path() }

// Query returns the first value of a URL query parameter, for
// core.QuerySource (behaviour.md §1.5).
func (r request) Query(name string) string { return r.c.Query(name) }

// Method returns the request method, for guards with WithPassPreflight.
func (r request) Method() string { return r.c.Method() }

// request serves every optional view core reads.
// Scheme, Host and RequestURI give the URL of the request as fasthttp
// received it, for browser sessions (adapter.URLRequest, behaviour.md
// §10.3): never fiber's proxy-aware Protocol and Hostname, which trust
// forwarded headers unless the app enables its trusted-proxy check; core
// reads those only when configured (core.WithTrustForwardedHeaders).
func (r request) Scheme() string {
	if r.c.Context().IsTLS() {
		return "https"
	}
	return "http"
}

func (r request) Host() string { return r.c.Get("Host") }

// RequestURI is the path and raw query as sent, also when the request line
// carried an absolute URI.
func (r request) RequestURI() string { return adapter.OriginForm(r.c.OriginalURL()) }

var (
	_ adapter.URLRequest    = request{}
	_ adapter.PathRequest   = request{}
	_ adapter.MethodRequest = request{}
	_ adapter.QueryRequest  = request{}
)
