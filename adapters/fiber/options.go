package clerkfiber

import (
	"github.com/gofiber/fiber/v2"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// ErrorHandler renders a rejection and returns what the guard returns to
// fiber. err is a *core.Error. c.Next() is never called after a rejection,
// whatever the handler writes or returns (behaviour.md §7.4).
type ErrorHandler func(c *fiber.Ctx, err error) error

// MiddlewareOption configures Middleware: WithErrorHandler, WithSkipper.
type MiddlewareOption = adapter.MiddlewareOption[ErrorHandler, *fiber.Ctx]

// GuardOption configures a guard (Guard, RequireAuth, RequirePermission, …):
// WithErrorHandler. A middleware-only option such as WithSkipper does not
// compile on a guard.
type GuardOption = adapter.GuardOption[ErrorHandler]

// Option configures Middleware and the guards alike; WithErrorHandler
// returns one.
type Option = adapter.Option[ErrorHandler, *fiber.Ctx]

// WithErrorHandler replaces DefaultErrorHandler. On a guard it renders that
// guard's rejections; on Middleware it becomes the default of every guard
// after it on the same request (a guard's own handler wins). A nil h keeps
// the default.
func WithErrorHandler(h func(c *fiber.Ctx, err error) error) Option {
	return adapter.ErrorHandlerOption[ErrorHandler, *fiber.Ctx](h)
}

// WithQueryToken makes Middleware also read the token from the URL query
// parameter param (core.QuerySource), for the WebSocket and server-sent
// events routes whose clients cannot set an Authorization header
// (behaviour.md §1.6). Give it only to the middleware of those routes, for
// example
//
//	app.Get("/events", clerkfiber.Middleware(a, clerkfiber.WithQueryToken("token")), events)
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
	return adapter.QueryTokenOption[ErrorHandler, *fiber.Ctx](param)
}

// WithSkipper makes Middleware skip authentication for requests where skip
// returns true: the request counts as signed out (session-token-missing), so
// a guard on it answers 401. It is a MiddlewareOption only.
func WithSkipper(skip func(c *fiber.Ctx) bool) MiddlewareOption {
	return adapter.SkipperOption[ErrorHandler](skip)
}

// DefaultErrorHandler writes the behaviour.md §7.3 response for err (core.ProblemFor)
// directly: status, every header of Problem.Header and the body bytes, the
// same as every clerkguard adapter. It returns nil, so the app's
// ErrorHandler (plain text by default) does not run.
func DefaultErrorHandler(c *fiber.Ctx, err error) error {
	p := core.ProblemFor(err)
	adapter.ReplaceHeader(&c.Response().Header, p.Header)
	c.Status(p.Status)
	return c.Send(p.Body)
}

// WithPassPreflight makes a guard let CORS preflight requests (OPTIONS with
// Origin and Access-Control-Request-Method, which never carry credentials)
// through unauthenticated, for a CORS middleware mounted after the guard.
// Off by default: the convention is to mount the
// CORS middleware before any guard (app.Use(cors.New()) first), where it answers
// preflights itself and they never reach a guard. With it on, an OPTIONS
// request carrying those two headers reaches the next handler, so never use
// it in front of handlers registered for every method (fiber's All and Use).
// A guard option only: it does not compile on Middleware.
func WithPassPreflight() GuardOption { return adapter.PassPreflightOption[ErrorHandler]() }

// WithHandshake makes Middleware keep the browser sessions of a
// server-rendered application alive with Clerk's handshake (behaviour.md
// §10): a page load whose session token expired, or whose cookies disagree,
// is redirected (307) to the Frontend API and comes back with fresh cookies;
// the middleware answers those requests itself (behaviour.md §7.1). Fetches
// and API calls never get a handshake: they are signed out with the same
// reason. The Authorizer needs the publishable key. A MiddlewareOption only.
func WithHandshake() MiddlewareOption { return adapter.HandshakeOption[ErrorHandler, *fiber.Ctx]() }

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
