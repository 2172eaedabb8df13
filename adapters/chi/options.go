package clerkchi

import (
	"net/http"

	"github.com/clerkguard/clerkguard/core"
)

// ErrorHandler renders a rejection. err is a *core.Error (use core.ReasonOf
// or errors.Is with core's sentinels). The request is stopped whatever the
// handler writes, even nothing (behaviour.md §7.4).
type ErrorHandler func(w http.ResponseWriter, r *http.Request, err error)

// MiddlewareOption configures Middleware: WithErrorHandler, WithSkipper,
// WithHandshake.
type MiddlewareOption = core.MiddlewareOption[ErrorHandler, *http.Request]

// GuardOption configures a guard (Guard, RequireAuth, RequirePermission, …):
// WithErrorHandler, WithPassPreflight, WithRedirectToSignIn. A middleware-only option such as WithSkipper does not
// compile on a guard.
type GuardOption = core.GuardOption[ErrorHandler]

// Option configures Middleware and the guards alike; WithErrorHandler
// returns one.
type Option = core.AdapterOption[ErrorHandler, *http.Request]

// WithErrorHandler replaces DefaultErrorHandler.
//
// On a guard it renders that guard's rejections. On Middleware (which never
// rejects) it becomes the default of every guard below it on the same
// request, so an application sets it once; a guard's own WithErrorHandler
// wins. A guard without the middleware in front uses its own handler or
// DefaultErrorHandler. A nil h keeps the default.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return core.ErrorHandlerOption[ErrorHandler, *http.Request](h)
}

// WithSkipper makes Middleware skip authentication for requests where skip
// returns true (health checks, static files): the token is not read or
// verified and the request is stored as signed out with reason
// session-token-missing. A guard on a skipped request therefore answers 401,
// exactly as for a request without a token — never 500 (the middleware is
// installed) and never a pass. It is a MiddlewareOption only.
func WithSkipper(skip func(r *http.Request) bool) MiddlewareOption {
	return core.SkipperOption[ErrorHandler](skip)
}

// DefaultErrorHandler writes the behaviour.md §7.3 response for err:
// core.WriteProblem(w, core.ProblemFor(err)).
func DefaultErrorHandler(w http.ResponseWriter, _ *http.Request, err error) {
	core.WriteProblem(w, core.ProblemFor(err))
}

// WithPassPreflight makes a guard let CORS preflight requests (OPTIONS with
// Origin and Access-Control-Request-Method, which never carry credentials)
// through unauthenticated, for a CORS middleware mounted after the guard
// (core.Guard.PassPreflight). Off by default: the convention is to mount the
// CORS middleware before any guard (go-chi/cors or rs/cors: r.Use(cors.Handler(…)) before the routes), where it answers
// preflights itself and they never reach a guard. With it on, an OPTIONS
// request carrying those two headers reaches the next handler, so never use
// it in front of handlers registered for every method (chi's Handle and HandleFunc).
// A guard option only: it does not compile on Middleware.
func WithPassPreflight() GuardOption { return core.PassPreflightOption[ErrorHandler]() }

// WithHandshake makes Middleware keep the browser sessions of a
// server-rendered application alive with Clerk's handshake (behaviour.md
// §10): a page load whose session token expired, or whose cookies disagree,
// is redirected (307) to the Frontend API and comes back with fresh cookies;
// the middleware answers those requests itself (behaviour.md §7.1). Fetches
// and API calls never get a handshake: they are signed out with the same
// reason. The Authorizer needs the publishable key. A MiddlewareOption only.
func WithHandshake() MiddlewareOption { return core.HandshakeOption[ErrorHandler, *http.Request]() }

// WithRedirectToSignIn makes a guard send signed-out page loads (a GET of a
// document) to the sign-in page with a 307 and redirect_url set to the page
// (core.SignInRedirect, behaviour.md §10.9); url "" means the Authorizer's
// (core.WithSignInURL, CLERK_SIGN_IN_URL). Other requests, and 403 or 503
// refusals, are answered as without it. A guard option only.
func WithRedirectToSignIn(url string) GuardOption {
	return core.RedirectToSignInOption[ErrorHandler](url)
}
