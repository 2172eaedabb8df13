package adapter

import (
	"net/http"

	"github.com/clerkguard/clerkguard/core"
)

// For adapter authors: browser sessions (behaviour.md §10). A middleware
// made with HandshakeOption authenticates with
// core.Authorizer.AuthenticateBrowser and keeps the core.Answer in the State
// (State.Answer): the adapter writes it as it is (core.Answer.WriteTo for
// net/http, core.Answer.Each for others) and stops when it Stops. A guard
// made with RedirectToSignInOption asks GuardConfig.SignInRedirect before
// rendering a rejection.

// URLRequest is an optional extension of core.Request for browser sessions
// (behaviour.md §10.3): the handshake and the sign-in redirect need the URL
// the browser asked for. core.HTTPRequest implements it, and so does every
// adapter's view; a view without it never gets a handshake or a sign-in
// redirect.
type URLRequest interface {
	core.Request
	// Scheme returns "https" when the request came over TLS, else "http":
	// never from forwarded headers (core reads them when configured).
	Scheme() string
	// Host returns the Host header (host, or host:port).
	Host() string
	// RequestURI returns the path and the raw query, as sent
	// ("/dashboard?tab=1"; OriginForm for a raw request target).
	RequestURI() string
}

type handshakeOption[H, R any] struct{}

//lint:ignore U1000 used through the option interfaces (staticcheck misses generic methods)
func (handshakeOption[H, R]) applyMiddleware(c *MiddlewareConfig[H, R]) { c.Handshake = true }

// HandshakeOption returns the option behind an adapter's WithHandshake: a
// middleware option only.
func HandshakeOption[H, R any]() MiddlewareOption[H, R] { return handshakeOption[H, R]{} }

type redirectToSignInOption[H any] struct{ url string }

//lint:ignore U1000 used through the option interfaces (staticcheck misses generic methods)
func (o redirectToSignInOption[H]) applyGuard(c *GuardConfig[H]) {
	c.RedirectToSignIn, c.SignInURL = true, o.url
}

// RedirectToSignInOption returns the option behind an adapter's
// WithRedirectToSignIn: a guard option only.
func RedirectToSignInOption[H any](signInURL string) GuardOption[H] {
	return redirectToSignInOption[H]{signInURL}
}

// MustBrowserSessions panics with a message naming the adapter when c asks
// for the handshake and a cannot run it (core.Authorizer.BrowserSessions: no
// publishable key): a programming error caught at startup. Adapters call it
// in Middleware.
func (c MiddlewareConfig[H, R]) MustBrowserSessions(adapter string, a *core.Authorizer) {
	if c.Handshake && !a.BrowserSessions() {
		panic(adapter + ": WithHandshake needs an Authorizer with a publishable key (core.WithPublishableKey, CLERK_PUBLISHABLE_KEY)")
	}
}

// SignInRedirect is core.SignInRedirect for a guard configured by c, with
// the Authorizer that authenticated s: false unless the guard was made with
// RedirectToSignInOption and the middleware ran.
func (c GuardConfig[H]) SignInRedirect(s *State, req core.Request, err error) (core.Answer, bool) {
	if !c.RedirectToSignIn || s == nil || s.auth == nil {
		return core.Answer{}, false
	}
	return core.SignInRedirect(s.auth, req, c.SignInURL, err)
}

// Answer is what the middleware must answer or add to the response for
// this request (behaviour.md §7.1, §10): the zero Answer unless the
// middleware runs the handshake.
func (s *State) Answer() core.Answer {
	if s == nil {
		return core.Answer{}
	}
	return s.ans
}

// WriteAnswer applies s's Answer to w (core.Answer.WriteTo) and reports
// whether the request stops there, for net/http adapters.
func (s *State) WriteAnswer(w http.ResponseWriter) bool { return s.Answer().WriteTo(w) }

// OriginForm returns the path and query of a request target as sent on the
// request line: unchanged for the usual origin form ("/p?q=1"), without the
// scheme and authority for an absolute one ("http://host/p?q=1" gives
// "/p?q=1"), "/" when nothing is left. For views whose framework hands out
// the raw request target (fasthttp's RequestURI).
func OriginForm(target string) string { return core.OriginForm(target) }
