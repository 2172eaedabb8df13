package core

import "strings"

// initBrowser derives what the browser rules need from the configuration
// (behaviour.md §10): the cookie suffix and the Frontend API host of the
// publishable key, and whether the instance is a development one (pk_test_).
// Without a publishable key only the unsuffixed cookies are read and no
// handshake is made.
func (a *Authorizer) initBrowser() {
	a.upstream = newUpstream(a.cfg.machine.withDefaults(), a.cfg.clock)
	pk := a.cfg.publishableKey
	if pk == "" {
		return
	}
	iss, err := IssuerFromPublishableKey(pk) // validated by WithPublishableKey
	if err != nil {
		return
	}
	a.cookieSuffix = CookieSuffix(pk)
	a.frontendAPIHost = strings.TrimPrefix(iss, "https://")
	a.devInstance = strings.HasPrefix(pk, "pk_test_")
}

// BrowserSessions reports whether the Authorizer can run the handshake of
// behaviour.md §10.4: it knows the Frontend API (WithPublishableKey). An
// adapter's WithHandshake panics at construction when it cannot.
func (a *Authorizer) BrowserSessions() bool { return a.frontendAPIHost != "" }

// SignInURL returns the sign-in URL of WithSignInURL (CLERK_SIGN_IN_URL), or
// "".
func (a *Authorizer) SignInURL() string { return a.cfg.browser.signInURL }
