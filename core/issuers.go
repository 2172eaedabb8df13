package core

import (
	"github.com/clerkguard/clerkguard/core/internal/shared"

	"slices"
	"strconv"
	"strings"
)

// Environment variables of several domains (behaviour.md §12), read by
// NewFromEnv.
const (
	// EnvDomain is the satellite domain of the application (WithDomain).
	EnvDomain = "CLERK_DOMAIN"
	// EnvIsSatellite, "true" or "false", says whether the application runs
	// on a satellite domain (WithSatellite).
	EnvIsSatellite = "CLERK_IS_SATELLITE"
	// EnvIssuers is a comma-separated list of further accepted issuers
	// (WithIssuers). clerkguard's name: Clerk defines none.
	EnvIssuers = "CLERK_ISSUERS"
)

// MaxIssuers bounds the issuers one Authorizer accepts (WithIssuers and the
// derived ones together, behaviour.md §12.3).
const MaxIssuers = 16

// issuerConfig is the configuration of the accepted issuers beyond
// WithIssuer and WithPublishableKey.
type issuerConfig struct {
	domain    string
	satellite bool
	extra     []string
}

// WithDomain sets the satellite domain of the application (satellite.example,
// or https://satellite.example): with WithSatellite(true) and a production
// publishable key (pk_live_), the Frontend API is clerk.<domain> and tokens
// must carry the issuer https://clerk.<domain>, as Clerk derives them
// (behaviour.md §12.2). A development instance keeps the Frontend API of its
// publishable key.
func WithDomain(domain string) Option {
	return func(c *config) error {
		d, err := satelliteDomain(domain)
		if err != nil {
			return configError("domain: %v", err)
		}
		c.issuers.domain = d
		return nil
	}
}

// WithSatellite says whether the application runs on a satellite domain
// (WithDomain, behaviour.md §12.2). New refuses a satellite without a domain
// or without a publishable key.
func WithSatellite(satellite bool) Option {
	return func(c *config) error { c.issuers.satellite = satellite; return nil }
}

// WithIssuers accepts tokens whose iss equals one of issuers exactly, on top
// of the issuer of WithIssuer or WithPublishableKey and of an absolute
// WithProxyURL (behaviour.md §12.3). It is for issuers Clerk does not derive
// for you, such as a custom Frontend API domain during a migration. Each must
// be an absolute http(s) URL; at most MaxIssuers in all. Given more than once,
// the lists add up.
func WithIssuers(issuers ...string) Option {
	return func(c *config) error {
		for _, iss := range issuers {
			iss = strings.TrimSpace(iss)
			if err := validateHTTPURL(iss); err != nil {
				return configError("issuer %q: %v", truncate(iss), err)
			}
			if !slices.Contains(c.issuers.extra, iss) {
				c.issuers.extra = append(c.issuers.extra, iss)
			}
		}
		if len(c.issuers.extra) > MaxIssuers {
			return configError("at most %d issuers", MaxIssuers)
		}
		return nil
	}
}

// satelliteDomain validates a domain given as a host or as an http(s) URL
// with no path, and returns its host.
func satelliteDomain(d string) (string, error) {
	d = strings.TrimSpace(d)
	if h, ok := cutPrefixFold(d, "https://"); ok {
		d = h
	} else if h, ok := cutPrefixFold(d, "http://"); ok {
		d = h
	}
	d = strings.TrimSuffix(d, "/")
	if d == "" || len(d) > 253 {
		return "", errString("must be a host name")
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == ':') {
			return "", errString("must be a host name")
		}
	}
	return d, nil
}

// initIssuers derives the accepted issuers (behaviour.md §12.1–12.3) once
// a.issuer and the browser fields are set: for a production satellite the
// issuer and Frontend API become clerk.<domain>; an absolute proxy URL and
// the WithIssuers list are accepted too.
func (a *Authorizer) initIssuers() error {
	ic := a.cfg.issuers
	if ic.satellite {
		if ic.domain == "" && a.cfg.browser.proxyURL == "" {
			return configError("a satellite needs its domain or a proxy URL: use WithDomain (CLERK_DOMAIN) or WithProxyURL (CLERK_PROXY_URL)")
		}
		if a.cfg.publishableKey == "" {
			return configError("a satellite needs the publishable key: use WithPublishableKey (CLERK_PUBLISHABLE_KEY)")
		}
		if a.devInstance {
			// The development sync goes through the primary's sign-in page,
			// on another origin (behaviour.md §12.13).
			if si := a.cfg.browser.signInURL; si == "" || strings.HasPrefix(si, "/") {
				return configError("a development satellite needs the primary's absolute sign-in URL: use WithSignInURL (CLERK_SIGN_IN_URL)")
			}
		} else if ic.domain != "" {
			if a.cfg.browser.proxyURL == "" {
				a.frontendAPIHost = "clerk." + ic.domain
			}
			if a.cfg.issuer == "" {
				a.issuer = "https://clerk." + ic.domain
			}
		}
	}
	var list []string
	add := func(iss string) {
		if iss != "" && !slices.Contains(list, iss) {
			list = append(list, iss)
		}
	}
	add(a.issuer)
	add(a.cfg.proxyURLForIssuer())
	for _, iss := range ic.extra {
		add(iss)
	}
	if len(list) > MaxIssuers {
		return configError("at most %d issuers", MaxIssuers)
	}
	a.issuers = list
	return nil
}

// proxyURLForIssuer is the proxy URL when it is absolute: the issuer Clerk
// puts in tokens issued through the proxy. A path (/__clerk) names no issuer:
// its host would come from the request.
func (c *config) proxyURLForIssuer() string {
	if strings.HasPrefix(c.browser.proxyURL, "/") {
		return ""
	}
	return c.browser.proxyURL
}

// issuerAccepted reports whether iss is one of the accepted issuers; with
// none configured every issuer is (behaviour.md §3.8).
func (a *Authorizer) issuerAccepted(iss string) bool {
	if len(a.issuers) == 0 {
		return true
	}
	for _, s := range a.issuers {
		if s == iss {
			return iss != ""
		}
	}
	return false
}

// Issuers returns every issuer a token may carry (behaviour.md §12.3), in a
// fresh slice; none when no issuer is checked. For an Authorizer made by
// NewMulti it is the issuers of all its instances.
func (a *Authorizer) Issuers() []string {
	if a.multi != nil {
		return slices.Clone(a.multi.all)
	}
	return slices.Clone(a.issuers)
}

// issuerOptionsFromEnv returns the options of CLERK_DOMAIN,
// CLERK_IS_SATELLITE and CLERK_ISSUERS (OptionsFromEnv).
func issuerOptionsFromEnv(getenv func(string) string) []Option {
	var opts []Option
	if v := strings.TrimSpace(getenv(EnvDomain)); v != "" {
		opts = append(opts, WithDomain(v))
	}
	if v := strings.TrimSpace(getenv(EnvIsSatellite)); v != "" {
		opts = append(opts, func(c *config) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return configError("%s must be true or false", EnvIsSatellite)
			}
			c.issuers.satellite = b
			return nil
		})
	}
	if list := shared.SplitList(getenv(EnvIssuers)); len(list) > 0 {
		opts = append(opts, WithIssuers(list...))
	}
	return opts
}
