package frontendproxy

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// Defaults.
const (
	// DefaultPath is where the Handler is mounted, Clerk's default proxy path.
	DefaultPath = "/__clerk"
	// DefaultFrontendAPIURL is the Frontend API the proxy forwards to for
	// production and current development instances, as Clerk's proxy does.
	DefaultFrontendAPIURL = "https://frontend-api.clerk.dev"
	// DefaultMaxBodyBytes bounds a request body.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultMaxResponseBytes bounds a response body (the clerk-js bundle is
	// served through the proxy too).
	DefaultMaxResponseBytes = 16 << 20
	// DefaultTimeout bounds one proxied request, response body included.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxInFlight bounds the requests forwarded at the same time.
	DefaultMaxInFlight = 256
)

// Environment variables read by OptionsFromEnv.
const (
	EnvSecretKey      = core.EnvSecretKey
	EnvPublishableKey = core.EnvPublishableKey
	EnvProxyURL       = core.EnvProxyURL
	// EnvFrontendAPIURL overrides the Frontend API (WithFrontendAPIURL),
	// Clerk's CLERK_FAPI_URL.
	EnvFrontendAPIURL = "CLERK_FAPI_URL"
)

// ErrConfig is wrapped by every configuration error of New.
var ErrConfig = errors.New("frontendproxy: invalid configuration")

// Option configures a Handler; New validates it.
type Option func(*config) error

type config struct {
	secretKey      string
	publishableKey string
	fapiURL        string
	proxyURL       string
	path           string
	trustForwarded bool
	maxBody        int64
	maxResponse    int64
	timeout        time.Duration
	maxInFlight    int
	transport      http.RoundTripper
	logger         *slog.Logger
}

func configError(msg string) error { return fmt.Errorf("%w: %s", ErrConfig, msg) }

// WithSecretKey sets the secret key sent to the Frontend API as
// Clerk-Secret-Key (required). It is never logged or sent elsewhere.
func WithSecretKey(sk string) Option {
	return func(c *config) error {
		sk = strings.TrimSpace(sk)
		if !strings.HasPrefix(sk, "sk_") || len(sk) < 8 || strings.ContainsAny(sk, " \t\r\n") {
			return configError("secret key must look like sk_test_… or sk_live_…")
		}
		c.secretKey = sk
		return nil
	}
}

// WithPublishableKey sets the publishable key, from which the Frontend API
// URL is derived as Clerk's proxy derives it, unless WithFrontendAPIURL is
// given.
func WithPublishableKey(pk string) Option {
	return func(c *config) error {
		if _, err := core.IssuerFromPublishableKey(pk); err != nil {
			return configError(err.Error())
		}
		c.publishableKey = pk
		return nil
	}
}

// WithFrontendAPIURL sets the Frontend API to forward to: an http(s) URL
// with no path, query, fragment or credentials.
func WithFrontendAPIURL(u string) Option {
	return func(c *config) error {
		p, err := url.Parse(strings.TrimRight(strings.TrimSpace(u), "/"))
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" ||
			p.User != nil || p.Path != "" || p.RawQuery != "" || p.Fragment != "" || p.Opaque != "" {
			return configError("Frontend API URL must be http(s)://host with nothing after it")
		}
		c.fapiURL = p.Scheme + "://" + p.Host
		return nil
	}
}

// WithProxyURL sets the public URL of the proxy (https://app.example/__clerk):
// Clerk-Proxy-Url and rewritten Location headers use it, and the mount path
// defaults to its path. Without it they are derived from each request's host
// (and, with WithTrustForwardedHeaders, its X-Forwarded-Proto and
// X-Forwarded-Host), which the client chooses: set it in production. A path
// (/__clerk) sets the mount path only.
func WithProxyURL(u string) Option {
	return func(c *config) error {
		u = strings.TrimRight(strings.TrimSpace(u), "/")
		if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
			return WithPath(u)(c)
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" ||
			p.User != nil || p.RawQuery != "" || p.Fragment != "" || p.Path == "" {
			return configError("proxy URL must be http(s)://host/path")
		}
		c.proxyURL = u
		c.path = p.Path
		return nil
	}
}

// WithPath sets the mount path (default /__clerk): requests outside it are
// refused with 400.
func WithPath(p string) Option {
	return func(c *config) error {
		p = strings.TrimRight(strings.TrimSpace(p), "/")
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "?#\\ ") {
			return configError("path must start with a single /")
		}
		c.path = p
		return nil
	}
}

// WithTrustForwardedHeaders makes the Handler take the public origin from
// X-Forwarded-Proto and X-Forwarded-Host and the client address from
// CF-Connecting-IP, X-Real-IP or X-Forwarded-For, as Clerk's proxy does, for
// a Handler behind a reverse proxy that sets them. Off by default: a client
// could then choose the address the Frontend API rate-limits it by.
func WithTrustForwardedHeaders(trust bool) Option {
	return func(c *config) error { c.trustForwarded = trust; return nil }
}

// WithMaxBodyBytes bounds request bodies (default 1 MiB, at least 1); a
// larger one is refused with 413.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) error {
		if n < 1 {
			return configError("max body bytes must be at least 1")
		}
		c.maxBody = n
		return nil
	}
}

// WithMaxResponseBytes bounds response bodies (default 16 MiB, at least 1):
// a response announcing more is answered 502; one sending more is cut off.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n < 1 {
			return configError("max response bytes must be at least 1")
		}
		c.maxResponse = n
		return nil
	}
}

// WithTimeout bounds each proxied request, response body included (default
// 30 s, between 1 ms and 10 min).
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Millisecond || d > 10*time.Minute {
			return configError("timeout must be between 1ms and 10m")
		}
		c.timeout = d
		return nil
	}
}

// WithMaxInFlight bounds the requests forwarded at the same time (default
// 256, at least 1); beyond it requests are answered 503 at once.
func WithMaxInFlight(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return configError("max in flight must be at least 1")
		}
		c.maxInFlight = n
		return nil
	}
}

// WithTransport sets the RoundTripper requests go through (default: a clone
// of http.DefaultTransport). It must not follow redirects.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *config) error {
		if rt == nil {
			return configError("nil transport")
		}
		c.transport = rt
		return nil
	}
}

// WithLogger sets where failed forwards are logged (default slog.Default()):
// the kind of failure only, never a header, the secret or the upstream's
// answer.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return configError("nil logger")
		}
		c.logger = l
		return nil
	}
}

// OptionsFromEnv returns the options of CLERK_SECRET_KEY,
// CLERK_PUBLISHABLE_KEY, CLERK_PROXY_URL and CLERK_FAPI_URL read through
// getenv; unset or empty variables give no option.
func OptionsFromEnv(getenv func(string) string) []Option {
	var opts []Option
	for _, v := range []struct {
		name string
		opt  func(string) Option
	}{{EnvSecretKey, WithSecretKey}, {EnvPublishableKey, WithPublishableKey}, {EnvProxyURL, WithProxyURL}, {EnvFrontendAPIURL, WithFrontendAPIURL}} {
		if s := strings.TrimSpace(getenv(v.name)); s != "" {
			opts = append(opts, v.opt(s))
		}
	}
	return opts
}

// frontendAPIFromPublishableKey is the Frontend API Clerk's proxy forwards
// to for a publishable key: the local or staging Frontend API for those
// environments, else DefaultFrontendAPIURL.
func frontendAPIFromPublishableKey(pk string) string {
	iss, _ := core.IssuerFromPublishableKey(pk)
	host := strings.TrimPrefix(iss, "https://")
	for _, s := range []string{".lcl.dev", ".lclstage.dev", ".lclclerk.com"} {
		if strings.HasPrefix(host, "clerk.") && strings.HasSuffix(host, s) {
			return DefaultFrontendAPIURL // legacy development instances
		}
	}
	for _, s := range []string{".lcl.dev", "lclstage.dev", ".lclclerk.com", ".accounts.lclclerk.com"} {
		if strings.HasSuffix(host, s) {
			return "https://frontend-api.lclclerk.com"
		}
	}
	if strings.HasSuffix(host, ".accountsstage.dev") {
		return "https://frontend-api.clerkstage.dev"
	}
	return DefaultFrontendAPIURL
}
