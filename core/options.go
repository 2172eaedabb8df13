package core

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Option configures an Authorizer. Options are validated by New: a bad value
// is an error from New, never a 401 later.
type Option func(*config) error

// Defaults.
const (
	// DefaultAPIURL is Clerk's Backend API.
	DefaultAPIURL = "https://api.clerk.com"
	// DefaultClockSkew is the leeway applied to exp, nbf and iat (behaviour.md §3.9).
	DefaultClockSkew = 5 * time.Second
	// DefaultMaxTokenSize bounds the size of a token before any decoding
	// (behaviour.md §3.1).
	DefaultMaxTokenSize = 16 << 10
	// DefaultCacheSize is the number of verified tokens kept by default.
	DefaultCacheSize = 10_000
	// SessionCookie is the cookie Clerk stores the session token in (behaviour.md §1.2).
	SessionCookie = "__session"
)

type config struct {
	secretKey      string
	jwtKeyPEM      string
	jwksURL        string
	apiURL         string
	parties        []string
	audiences      []string
	sources        []TokenSource
	issuer         string
	publishableKey string
	skew           time.Duration
	clock          func() time.Time
	acceptPending  bool
	cookieAuth     bool
	httpClient     *http.Client
	logger         *slog.Logger
	refresh        JWKSRefresh
	cacheSize      int
	observer       func(Outcome)
	events         Observer                             // WithEvents, see events.go
	onVerified     func(context.Context, *Claims) error // see onverified.go
	maxTokenSize   int
	logSampling    time.Duration // see logsample.go

	accepts          []TokenType
	machineSecretKey string
	machine          MachineVerification

	browser browserConfig // see browser_options.go
	issuers issuerConfig  // see issuers.go
}

func defaultConfig() config {
	return config{
		apiURL:       DefaultAPIURL,
		skew:         DefaultClockSkew,
		clock:        time.Now,
		cookieAuth:   true,
		cacheSize:    DefaultCacheSize,
		maxTokenSize: DefaultMaxTokenSize,
		accepts:      []TokenType{SessionToken},
	}
}

// WithSecretKey sets the Clerk secret key (sk_test_… or sk_live_…). Keys are
// then fetched from the Backend API's /v1/jwks (behaviour.md §2.2) unless WithJWTKey or
// WithJWKSURL is also given; the secret key is also used to verify opaque
// machine tokens (behaviour.md §6.4). It is never logged.
func WithSecretKey(sk string) Option {
	return func(c *config) error {
		sk = strings.TrimSpace(sk)
		if !strings.HasPrefix(sk, "sk_") || len(sk) < 8 || containsSpace(sk) {
			return configError("secret key must look like sk_test_… or sk_live_…")
		}
		c.secretKey = sk
		return nil
	}
}

// WithJWTKey sets the PEM-encoded RSA public key of the instance (the "JWT
// public key" of the Clerk Dashboard), used for any kid without any network
// call (behaviour.md §2.1). The bare one-line base64 body is accepted too.
func WithJWTKey(pem string) Option {
	return func(c *config) error {
		if _, err := parsePublicKey(pem); err != nil {
			return configError("JWT key: %v", err)
		}
		c.jwtKeyPEM = pem
		return nil
	}
}

// WithJWKSURL fetches keys from any JWKS URL, for example the Frontend API's
// https://<frontend-api>/.well-known/jwks.json (behaviour.md §2.3).
func WithJWKSURL(u string) Option {
	return func(c *config) error {
		if err := validateHTTPURL(u); err != nil {
			return configError("JWKS URL: %v", err)
		}
		c.jwksURL = u
		return nil
	}
}

// WithAPIURL overrides the Backend API base URL (default
// https://api.clerk.com).
func WithAPIURL(u string) Option {
	return func(c *config) error {
		if err := validateHTTPURL(u); err != nil {
			return configError("API URL: %v", err)
		}
		c.apiURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithAuthorizedParties restricts the `azp` claim to these origins, compared
// exactly (behaviour.md §3.7). Set it whenever cookie authentication is on: it is the
// CSRF protection of cookie-authenticated requests.
func WithAuthorizedParties(origins ...string) Option {
	return func(c *config) (err error) {
		c.parties, err = nonEmpty("authorized party", origins)
		return err
	}
}

// WithAudience requires the `aud` claim of every JWT that carries one (a
// string, or an array of strings) to contain one of aud, compared exactly;
// otherwise the request is signed out with reason token-invalid-audience
// (behaviour.md §3.12). As in Clerk's SDKs, a JWT without `aud` (absent,
// null, "", [] or only empty strings) is not checked, so Clerk's session
// tokens, which carry none unless customized, keep working; an `aud` of
// another JSON type fails.
// JWT templates and JWT OAuth access tokens carry `aud`; so do opaque OAuth
// access tokens (oat_), whose `aud` is the one the Backend API reports
// (behaviour.md §6.8), and one without `aud` is refused, as in Clerk's SDK.
// Opaque M2M tokens and API keys carry none and are not
// checked. Without this option (or with no value) no audience
// is checked. Empty values are a configuration error. There is no
// environment variable for it (Clerk defines none): pass it to NewFromEnv.
func WithAudience(aud ...string) Option {
	return func(c *config) (err error) {
		c.audiences, err = nonEmpty("audience", aud)
		return err
	}
}

// nonEmpty returns a copy of vals, or a configuration error naming what when
// one of them is blank.
func nonEmpty(what string, vals []string) ([]string, error) {
	for _, v := range vals {
		if strings.TrimSpace(v) == "" {
			return nil, configError("%s must not be empty", what)
		}
	}
	return slices.Clone(vals), nil
}

// WithIssuer requires the `iss` claim to equal iss exactly (behaviour.md §3.8),
// or one of the issuers of WithProxyURL and WithIssuers (behaviour.md §12.3).
// Without any of them or WithPublishableKey no issuer is checked, and New logs
// a warning saying so.
func WithIssuer(iss string) Option {
	return func(c *config) error {
		if err := validateHTTPURL(iss); err != nil {
			return configError("issuer: %v", err)
		}
		c.issuer = iss
		return nil
	}
}

// WithPublishableKey sets the publishable key (pk_test_… or pk_live_…); the
// issuer is derived from it and checked unless WithIssuer is also given (behaviour.md
// §3.8).
func WithPublishableKey(pk string) Option {
	return func(c *config) error {
		if _, err := IssuerFromPublishableKey(pk); err != nil {
			return configError("%v", err)
		}
		c.publishableKey = pk
		return nil
	}
}

// WithClockSkew sets the leeway for exp, nbf and iat (default 5 s, behaviour.md §3.9).
// Negative values and values above 5 minutes are rejected.
func WithClockSkew(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 || d > 5*time.Minute {
			return configError("clock skew must be between 0 and 5m, got %s", d)
		}
		c.skew = d
		return nil
	}
}

// WithClock injects the clock used for every time check (tests).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return configError("clock must not be nil")
		}
		c.clock = now
		return nil
	}
}

// WithPendingSessions decides whether sessions with status "pending" are
// signed in (true) or signed out with reason session-pending (false, the
// default; behaviour.md §3.10).
func WithPendingSessions(accept bool) Option {
	return func(c *config) error { c.acceptPending = accept; return nil }
}

// WithCookieAuth switches reading the __session cookie on (default) or off
// (behaviour.md §1.2).
func WithCookieAuth(enabled bool) Option {
	return func(c *config) error { c.cookieAuth = enabled; return nil }
}

// WithHTTPClient sets the client used for JWKS and Backend API calls. Its
// Timeout, if any, still applies; per-request bounds come from JWKSRefresh.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return configError("HTTP client must not be nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLogger sets the logger for rejections and key-loading failures
// (default slog.Default()). Tokens are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return configError("logger must not be nil")
		}
		c.logger = l
		return nil
	}
}

// WithJWKSRefresh tunes how remote keys are fetched and refreshed (behaviour.md §2.4).
// Zero fields keep their defaults.
func WithJWKSRefresh(r JWKSRefresh) Option {
	return func(c *config) error {
		if r.TTL < 0 || r.UnknownKIDInterval < 0 || r.MaxWait < 0 || r.FetchTimeout < 0 || r.RetryInterval < 0 {
			return configError("JWKS refresh durations must not be negative")
		}
		c.refresh = r
		return nil
	}
}

// WithTokenCache sets how many verified tokens are remembered (default
// 10 000). A cached token skips signature verification until it expires; the
// azp, issuer, time and status checks still run on every use, and an entry
// never outlives the token's exp. Zero disables the cache.
func WithTokenCache(size int) Option {
	return func(c *config) error {
		if size < 0 {
			return configError("token cache size must not be negative")
		}
		c.cacheSize = size
		return nil
	}
}

// WithObserver registers a function called once per authentication with its
// Outcome: feed it to Prometheus, OpenTelemetry or anything else. It runs on
// the request path; keep it fast. WithEvents is the fuller form: the
// request's context, the claims, and events for upstream calls, rate limits
// and guard decisions (package clerkotel uses it).
func WithObserver(fn func(Outcome)) Option {
	return func(c *config) error {
		if fn == nil {
			return configError("observer must not be nil")
		}
		c.observer = fn
		return nil
	}
}

// WithMaxTokenSize bounds the size of a token in bytes (default 16 KiB);
// larger tokens are rejected before any decoding (behaviour.md §3.1).
func WithMaxTokenSize(n int) Option {
	return func(c *config) error {
		if n < 512 || n > 1<<20 {
			return configError("max token size must be between 512 B and 1 MiB")
		}
		c.maxTokenSize = n
		return nil
	}
}

func validateHTTPURL(u string) error {
	if strings.TrimSpace(u) == "" {
		return errString("URL must not be empty")
	}
	p, err := url.Parse(u)
	if err != nil {
		return errString("URL does not parse")
	}
	if p.Scheme != "https" && p.Scheme != "http" {
		return errString("URL must use http or https")
	}
	if p.Host == "" {
		return errString("URL must have a host")
	}
	return nil
}

type errString string

func (e errString) Error() string { return string(e) }
