package clerkchi

import (
	"net/http"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// ErrorHandler renders a rejection. err is a *core.Error (use core.ReasonOf
// or errors.Is with core's sentinels). The request is stopped whatever the
// handler writes, even nothing (behaviour.md §7.4).
type ErrorHandler func(w http.ResponseWriter, r *http.Request, err error)

// MiddlewareOption configures Middleware: WithErrorHandler, WithSkipper.
type MiddlewareOption = adapter.MiddlewareOption[ErrorHandler, *http.Request]

// GuardOption configures a guard (Guard, RequireAuth, RequirePermission, …):
// WithErrorHandler. A middleware-only option such as WithSkipper does not
// compile on a guard.
type GuardOption = adapter.GuardOption[ErrorHandler]

// Option configures Middleware and the guards alike; WithErrorHandler
// returns one.
type Option = adapter.Option[ErrorHandler, *http.Request]

// WithErrorHandler replaces DefaultErrorHandler.
//
// On a guard it renders that guard's rejections. On Middleware (which never
// rejects) it becomes the default of every guard below it on the same
// request, so an application sets it once; a guard's own WithErrorHandler
// wins. A guard without the middleware in front uses its own handler or
// DefaultErrorHandler. A nil h keeps the default.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return adapter.ErrorHandlerOption[ErrorHandler, *http.Request](h)
}

// WithQueryToken makes Middleware also read the token from the URL query
// parameter param (core.QuerySource), for the WebSocket and server-sent
// events routes whose clients cannot set an Authorization header
// (behaviour.md §1.6). Give it only to the middleware of those routes, for
// example
//
//	r.With(clerkchi.Middleware(a, clerkchi.WithQueryToken("token"))).Get("/events", events)
//
// Behind an application-wide Middleware this one runs second, and its
// outcome replaces the first one's for the guards after it. The parameter
// is tried after the Authorization header and before the
// __session cookie, but never overrides a session cookie on a document
// navigation (behaviour.md §1.7), and never yields a machine token. A token
// in a URL leaks into logs and browser history: see core.QuerySource for the
// risks. It is a MiddlewareOption only, and panics for an empty parameter
// name.
func WithQueryToken(param string) MiddlewareOption {
	return adapter.QueryTokenOption[ErrorHandler, *http.Request](param)
}

// WithSkipper makes Middleware skip authentication for requests where skip
// returns true (health checks, static files): the token is not read or
// verified and the request is stored as signed out with reason
// session-token-missing. A guard on a skipped request therefore answers 401,
// exactly as for a request without a token — never 500 (the middleware is
// installed) and never a pass. It is a MiddlewareOption only.
func WithSkipper(skip func(r *http.Request) bool) MiddlewareOption {
	return adapter.SkipperOption[ErrorHandler](skip)
}

// DefaultErrorHandler writes the behaviour.md §7.3 response for err:
// core.WriteProblem(w, core.ProblemFor(err)).
func DefaultErrorHandler(w http.ResponseWriter, _ *http.Request, err error) {
	core.WriteProblem(w, core.ProblemFor(err))
}

// WithPassPreflight makes a guard let CORS preflight requests (OPTIONS with
// Origin and Access-Control-Request-Method, which never carry credentials)
// through unauthenticated, for a CORS middleware mounted after the guard.
// Off by default: the convention is to mount the
// CORS middleware before any guard (go-chi/cors or rs/cors: r.Use(cors.Handler(…)) before the routes), where it answers
// preflights itself and they never reach a guard. With it on, an OPTIONS
// request carrying those two headers reaches the next handler, so never use
// it in front of handlers registered for every method (chi's Handle and HandleFunc).
// A guard option only: it does not compile on Middleware.
func WithPassPreflight() GuardOption { return adapter.PassPreflightOption[ErrorHandler]() }

// WithHandshake makes Middleware keep the browser sessions of a
// server-rendered application alive with Clerk's handshake (behaviour.md
// §10): a page load whose session token expired, or whose cookies disagree,
// is redirected (307) to the Frontend API and comes back with fresh cookies;
// the middleware answers those requests itself (behaviour.md §7.1). Fetches
// and API calls never get a handshake: they are signed out with the same
// reason. The Authorizer needs the publishable key. A MiddlewareOption only.
func WithHandshake() MiddlewareOption { return adapter.HandshakeOption[ErrorHandler, *http.Request]() }

// WithRedirectToSignIn makes a guard send signed-out page loads (a GET of a
// document) to the sign-in page with a 307 and redirect_url set to the page
// (core.SignInRedirect, behaviour.md §10.9); url "" means the Authorizer's
// (core.WithSignInURL, CLERK_SIGN_IN_URL). Other requests, and 403 or 503
// refusals, are answered as without it. A guard option only.
func WithRedirectToSignIn(url string) GuardOption {
	return adapter.RedirectToSignInOption[ErrorHandler](url)
}

// WithResourceMetadata makes a guard's 401 answers point OAuth clients (MCP
// clients, for instance) at the protected-resource metadata at url:
// `WWW-Authenticate: Bearer resource_metadata="<url>"`, with
// error="invalid_token" once a token was presented (RFC 9728 §5.1,
// core.Guard.WithResourceMetadata). Serve the metadata document at url
// (clerkmcp builds one for Clerk). It panics when url is not an absolute
// http(s) URL a challenge can quote. A guard option only.
func WithResourceMetadata(url string) GuardOption {
	return adapter.ResourceMetadataOption[ErrorHandler](url)
}
