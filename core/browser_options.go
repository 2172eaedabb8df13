package core

import (
	"strconv"
	"strings"
)

// Environment variables of browser sessions (behaviour.md §10), read by
// NewFromEnv.
const (
	// EnvSignInURL is the sign-in page signed-out page requests are sent to
	// (WithSignInURL).
	EnvSignInURL = "CLERK_SIGN_IN_URL"
	// EnvProxyURL is the Frontend API proxy (WithProxyURL).
	EnvProxyURL = "CLERK_PROXY_URL"
	// EnvTrustForwardedHeaders, "true" or "false", says whether
	// X-Forwarded-Proto and X-Forwarded-Host are trusted
	// (WithTrustForwardedHeaders). clerkguard's name: Clerk defines none.
	EnvTrustForwardedHeaders = "CLERK_TRUST_FORWARDED_HEADERS"
)

// browserConfig is the configuration of browser sessions.
type browserConfig struct {
	signInURL      string
	proxyURL       string
	trustForwarded bool
}

// WithSignInURL sets the application's sign-in page (absolute, or a path
// such as /sign-in resolved against the request's origin): the guards of an
// adapter made with WithRedirectToSignIn("") send signed-out page requests
// there, with redirect_url set to the page (behaviour.md §10.9).
func WithSignInURL(u string) Option {
	return func(c *config) error {
		u = strings.TrimSpace(u)
		if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
			if err := validateHTTPURL(u); err != nil {
				return configError("sign-in URL: %v", err)
			}
		}
		c.browser.signInURL = u
		return nil
	}
}

// WithProxyURL sets the URL of the Frontend API proxy
// (https://app.example.com/__clerk, or a path such as /__clerk resolved
// against the request's origin): the handshake then goes there instead of the
// Frontend API host of the publishable key (behaviour.md §10.4). An absolute
// proxy URL is also an accepted issuer, next to the publishable key's: Clerk
// issues tokens requested through the proxy with it (behaviour.md §12.1).
func WithProxyURL(u string) Option {
	return func(c *config) error {
		u = strings.TrimRight(strings.TrimSpace(u), "/")
		if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
			if err := validateHTTPURL(u); err != nil {
				return configError("proxy URL: %v", err)
			}
		}
		c.browser.proxyURL = u
		return nil
	}
}

// WithTrustForwardedHeaders makes the browser rules take the request's
// scheme and host from X-Forwarded-Proto and X-Forwarded-Host (their first
// value) when present, for an application behind a reverse proxy that sets
// them (behaviour.md §10.3). Off by default: a client could otherwise choose
// the URL the handshake and the sign-in redirect send the browser back to.
func WithTrustForwardedHeaders(trust bool) Option {
	return func(c *config) error { c.browser.trustForwarded = trust; return nil }
}

// browserOptionsFromEnv returns the options of the browser-session
// variables (OptionsFromEnv).
func browserOptionsFromEnv(getenv func(string) string) []Option {
	var opts []Option
	if v := strings.TrimSpace(getenv(EnvSignInURL)); v != "" {
		opts = append(opts, WithSignInURL(v))
	}
	if v := strings.TrimSpace(getenv(EnvProxyURL)); v != "" {
		opts = append(opts, WithProxyURL(v))
	}
	if v := strings.TrimSpace(getenv(EnvTrustForwardedHeaders)); v != "" {
		opts = append(opts, func(c *config) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return configError("%s must be true or false", EnvTrustForwardedHeaders)
			}
			c.browser.trustForwarded = b
			return nil
		})
	}
	return opts
}
