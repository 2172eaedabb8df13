package conformance

import (
	"context"
	"net/http"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// Harness tells the suite how to build the application under test. The suite
// owns everything else: keys, tokens, the clock and the Authorizer.
type Harness struct {
	// Name identifies the adapter in failure messages ("gin", "echo", …).
	Name string
	// New builds a fresh application from app and returns it as an
	// http.Handler (fiber: through its net/http adaptor). It is called once
	// per subtest. It must mount every route of app.Routes exactly as
	// described, with the adapter's own middleware, guards and error hooks.
	New func(t *testing.T, app *App) http.Handler
	// Unsupported lists case names (as in "Guards/PermissionV2") the adapter
	// deliberately does not support; they are reported as skipped with the
	// reason, never silently passed.
	Unsupported map[string]string
	// NilAuthorizer calls the adapter's middleware constructor with a nil
	// *core.Authorizer (Middleware(nil), an interceptor's constructor): the
	// suite checks that it panics at once, a programming error caught at
	// startup rather than a request-time failure. Leave it nil only with
	// "Wiring/NilAuthorizerPanics" in Unsupported.
	NilAuthorizer func()
}

// App is the neutral description of the application under test.
type App struct {
	// Authorizer is the Authorizer the adapter's middleware must use.
	Authorizer *core.Authorizer
	// Routes are the routes to mount.
	Routes []Route
	// Handshake mounts the middleware with the adapter's WithHandshake
	// option (behaviour.md §10): the middleware may then answer a request
	// itself (behaviour.md §7.1).
	Handshake bool

	observe func(Observation)
}

// ErrorHook selects the error handler a route's middleware and guard use.
type ErrorHook int

// Error hooks.
const (
	// HookDefault uses the adapter's DefaultErrorHandler.
	HookDefault ErrorHook = iota
	// HookSilent installs (via WithErrorHandler) a hook that writes nothing
	// and returns nothing: the request must still be stopped (behaviour.md §7.4). The
	// response is then whatever the framework sends for an untouched
	// response: any status, but never the handler's body.
	HookSilent
	// HookCustom installs a hook that answers status 418 with the body
	// "custom:<reason>" (text/plain), where <reason> is core.ReasonOf(err).
	HookCustom
)

// Route is one route of the application under test.
type Route struct {
	// Method is the HTTP method ("GET" unless set).
	Method string
	// Path is the route path, e.g. "/guarded/permission".
	Path string
	// NoMiddleware mounts the route WITHOUT the authentication middleware
	// (to check that a guard alone answers 500, behaviour.md §7.2).
	NoMiddleware bool
	// Guard is the guard to mount in front of the handler, nil for none.
	// Harnesses do not read it: they mount whatever Guards.For returns for
	// the route, which is the adapter's Guard(*Guard, opts...) except in the
	// cases that check the adapter's named guards.
	Guard *core.Guard
	// PassPreflight mounts the guard with the adapter's WithPassPreflight
	// option (adapter.PassPreflightOption): CORS preflights pass it.
	// Guards.For adds the option.
	PassPreflight bool
	// ResourceMetadata, when set, mounts the guard with the adapter's
	// WithResourceMetadata(ResourceMetadata) option: its 401 answers name
	// the protected-resource metadata (behaviour.md §14.1). Guards.For adds
	// the option.
	ResourceMetadata string
	// Hook is the error handler used by this route's guard (its own
	// WithErrorHandler; HookDefault: none).
	Hook ErrorHook
	// RedirectToSignIn mounts the guard with the adapter's
	// WithRedirectToSignIn(SignInURL) option (behaviour.md §10.9).
	// Guards.For adds the option.
	RedirectToSignIn bool
	// SignInURL is the argument of WithRedirectToSignIn ("" for the
	// Authorizer's sign-in URL).
	SignInURL string
	// MiddlewareHook is the error handler installed on this route's
	// middleware (WithErrorHandler on Middleware): the default of the
	// route's guard when Hook is HookDefault (behaviour.md §7.4). Options.For
	// adds it.
	MiddlewareHook ErrorHook
	// Skipped mounts this route's middleware with a skipper that skips it
	// (WithSkipper): the request is signed out, its token never read.
	// Options.For adds it.
	Skipped bool
	// QueryToken, when set, mounts this route's middleware with the
	// adapter's WithQueryToken(QueryToken) option (behaviour.md §1.6): the
	// route, and only it, reads the token from that URL query parameter.
	// Harnesses pass QueryTokenOptions(route, WithQueryToken) to their
	// Middleware.
	QueryToken string

	// named, when set, says that the Guards/Named* cases want the guard
	// mounted through the adapter's named function (RequireRole(arg), …)
	// rather than through Guard; Guard then holds its core equivalent.
	named *namedGuard
}

// Observation is what a terminal handler saw. Harnesses build it in their
// handler: Adapter* from the adapter's own accessor (ClaimsFrom), Context*
// from core.ClaimsFromContext on the standard request context.
type Observation struct {
	AdapterClaims *core.Claims
	AdapterOK     bool
	ContextClaims *core.Claims
	ContextOK     bool

	// Result is the *core.Result found on the standard request context by
	// core.ResultFromContext, and ResultReported says the harness looked for
	// it (App.HandleContext sets both). When reported, the suite also checks
	// that every route behind the middleware saw a Result (behaviour.md §7.1: the
	// middleware stores the outcome of every request, signed in or not) and
	// that a signed-out request carries the expected reason. Harnesses that
	// fill Observation by hand may leave both zero.
	Result         *core.Result
	ResultReported bool
}

// Handle is what every terminal handler must do: report what it saw and
// answer 200 with the returned body (Content-Type application/json). The
// body is a JSON summary of the observation that the suite checks.
func (a *App) Handle(obs Observation) []byte {
	if a.observe != nil {
		a.observe(obs)
	}
	return summarize(obs)
}

// HandleContext is Handle for harnesses that can reach the standard request
// context in their terminal handler (all of them: gin c.Request.Context(),
// echo c.Request().Context(), fiber c.UserContext(), chi r.Context()). It fills
// the Context* fields and Result from ctx with core's accessors, so the
// harness only passes what its own accessor (ClaimsFrom) returned. Prefer it
// to Handle: it lets the suite detect more wiring mistakes.
func (a *App) HandleContext(ctx context.Context, adapterClaims *core.Claims, adapterOK bool) []byte {
	obs := Observation{AdapterClaims: adapterClaims, AdapterOK: adapterOK}
	obs.ContextClaims, obs.ContextOK = core.ClaimsFromContext(ctx)
	obs.Result, _ = core.ResultFromContext(ctx)
	obs.ResultReported = true
	return a.Handle(obs)
}

// QueryTokenOptions returns the middleware options a harness passes for
// route r: withQueryToken(r.QueryToken) when the route opts in to a query
// token (Route.QueryToken), else none. withQueryToken is the adapter's
// WithQueryToken.
func QueryTokenOptions[O any](r Route, withQueryToken func(param string) O) []O {
	if r.QueryToken == "" {
		return nil
	}
	return []O{withQueryToken(r.QueryToken)}
}

// HandshakeOptions returns the middleware options a harness passes for app:
// withHandshake() when the application runs browser sessions
// (App.Handshake, behaviour.md §10), else none. withHandshake is the
// adapter's WithHandshake.
func HandshakeOptions[O any](app *App, withHandshake func() O) []O {
	if !app.Handshake {
		return nil
	}
	return []O{withHandshake()}
}
