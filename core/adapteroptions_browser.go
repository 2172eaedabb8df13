package core

// For adapter authors: the options of browser sessions (behaviour.md §10).

type handshakeOption[H, R any] struct{}

func (handshakeOption[H, R]) applyMiddleware(c *MiddlewareConfig[H, R]) { c.Handshake = true }

// HandshakeOption returns the option behind an adapter's WithHandshake: a
// middleware option only.
func HandshakeOption[H, R any]() MiddlewareOption[H, R] { return handshakeOption[H, R]{} }

type redirectToSignInOption[H any] struct{ url string }

func (o redirectToSignInOption[H]) applyGuard(c *GuardConfig[H]) {
	c.RedirectToSignIn, c.SignInURL = true, o.url
}

// RedirectToSignInOption returns the option behind an adapter's
// WithRedirectToSignIn: a guard option only.
func RedirectToSignInOption[H any](signInURL string) GuardOption[H] {
	return redirectToSignInOption[H]{signInURL}
}

// MustBrowserSessions panics with a message naming the adapter when a
// middleware made WithHandshake is given an Authorizer that cannot run the
// handshake (Authorizer.BrowserSessions): a programming error caught at
// startup.
func MustBrowserSessions(adapter string, a *Authorizer) {
	if !a.BrowserSessions() {
		panic(adapter + ": WithHandshake needs an Authorizer with a publishable key (core.WithPublishableKey, CLERK_PUBLISHABLE_KEY)")
	}
}
