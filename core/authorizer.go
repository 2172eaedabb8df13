package core

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// Authorizer authenticates requests carrying Clerk tokens. It is safe for
// concurrent use; create one per Clerk instance with New and share it.
type Authorizer struct {
	cfg     config
	keys    keySource
	cache   *tokenCache
	backend *backendAPI
	headers jwtdecode.HeaderCache
	issuer  string
	logger  *slog.Logger
	sampler *logSampler  // rejection log lines, behaviour.md §7.6
	shared  *slog.Logger // logger through a sampledHandler: what Logger returns

	// Several domains and instances (behaviour.md §12; issuers.go, multi.go).
	issuers []string
	multi   *multiRoute

	// Browser sessions (behaviour.md §10; browser_init.go).
	cookieSuffix    string
	frontendAPIHost string
	devInstance     bool
	upstream        *upstream
}

// New builds an Authorizer. All configuration is validated here: a bad key,
// URL or option is an error wrapping ErrConfig. New never touches the
// network: remote keys are fetched lazily by the first request that needs
// them, so a service boots while Clerk is unreachable.
//
// A key source is required: WithJWTKey (networkless), WithJWKSURL, or
// WithSecretKey (Backend API JWKS). When several are given, the JWT key wins,
// then the JWKS URL, then the secret key.
//
// New logs one warning through the logger (WithLogger) for each check left
// off by the configuration: no issuer (WithIssuer or WithPublishableKey), so
// iss is not checked; cookie authentication without authorized parties
// (WithAuthorizedParties), which is open to CSRF. A fully configured
// Authorizer logs nothing at construction.
func New(opts ...Option) (*Authorizer, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	a := &Authorizer{cfg: cfg, cache: newTokenCache(cfg.cacheSize), logger: cfg.logger}
	if a.logger == nil {
		a.logger = slog.Default()
	}
	a.sampler = newLogSampler(cfg.logSampling, cfg.clock)
	a.shared = slog.New(sampledHandler{Handler: a.logger.Handler(), s: a.sampler})
	client := cfg.httpClient
	if client == nil {
		client = &http.Client{}
	}
	client = a.wireEvents(client)
	switch {
	case cfg.jwtKeyPEM != "":
		k, err := parsePublicKey(cfg.jwtKeyPEM)
		if err != nil {
			return nil, configError("JWT key: %v", err)
		}
		a.keys = staticKey{k}
	case cfg.jwksURL != "":
		rk, err := newRemoteKeys(cfg.jwksURL, "", client, cfg.refresh, cfg.clock, a.logger)
		if err != nil {
			return nil, configError("JWKS: %v", err)
		}
		a.keys = rk
		a.cache.bindKeys(&rk.view, rk.policy.TTL)
	case cfg.secretKey != "":
		rk, err := newRemoteKeys(cfg.apiURL+"/v1/jwks", cfg.secretKey, client, cfg.refresh, cfg.clock, a.logger)
		if err != nil {
			return nil, configError("JWKS: %v", err)
		}
		a.keys = rk
		a.cache.bindKeys(&rk.view, rk.policy.TTL)
	default:
		return nil, configError("no key source: use WithJWTKey, WithJWKSURL or WithSecretKey (CLERK_JWT_KEY, CLERK_JWKS_URL or CLERK_SECRET_KEY)")
	}
	a.issuer = cfg.issuer
	if a.issuer == "" && cfg.publishableKey != "" {
		iss, err := IssuerFromPublishableKey(cfg.publishableKey)
		if err != nil {
			return nil, configError("%v", err)
		}
		a.issuer = iss
	}
	a.backend = newBackendAPI(cfg, client)
	a.wireRateLimits()
	a.initBrowser()
	if err := a.initIssuers(); err != nil {
		return nil, err
	}
	if slices.Contains(cfg.accepts, APIKey) && cfg.secretKey == "" {
		return nil, configError("accepting API keys needs WithSecretKey (CLERK_SECRET_KEY): they are verified through the Backend API")
	}
	if len(a.issuers) == 0 {
		a.logger.Warn("clerkguard: no issuer is configured, so the iss claim of tokens is not checked. " +
			"Use WithPublishableKey (CLERK_PUBLISHABLE_KEY) or WithIssuer to check it.")
	}
	if cfg.cookieAuth && len(cfg.parties) == 0 {
		a.logger.Warn("clerkguard: cookie authentication is on but no authorized parties are configured; " +
			"cookie-authenticated requests are open to CSRF. Use WithAuthorizedParties (CLERK_AUTHORIZED_PARTIES).")
	}
	return a, nil
}

// Issuer returns the issuer that tokens must carry, or "" when no issuer is
// checked (behaviour.md §3.8).
func (a *Authorizer) Issuer() string { return a.issuer }

// Authenticate reads the token of req (behaviour.md §1) and verifies it (behaviour.md §3). It
// returns the claims of a signed-in request, or an *Error whose Reason says
// why the request is signed out (ReasonSessionTokenMissing when no token was
// sent). ctx bounds any key fetch the verification needs.
func (a *Authorizer) Authenticate(ctx context.Context, req Request) (*Claims, error) {
	c, _, err := a.authenticate(ctx, req, nil, false)
	return c, err
}

// authenticate is Authenticate with the token sources of the request's
// route (behaviour.md §1.6); with browser it runs the browser flow of
// behaviour.md §10 (AuthenticateBrowser) and returns its Answer.
func (a *Authorizer) authenticate(ctx context.Context, req Request, route []TokenSource, browser bool) (*Claims, Answer, error) {
	obs := a.observeStart(ctx)
	token, source := a.extract(req, route)
	var (
		c   *Claims
		hit bool
		tt  TokenType
		err error
		ans Answer
	)
	switch {
	case token == "" && a.cfg.cookieAuth:
		f := flow{a: a, ctx: obs.context(ctx), req: req, browser: browser && a.frontendAPIHost != ""}
		c, hit, tt, source, err = f.run()
		ans = f.ans
	case token == "":
		err = &Error{Reason: ReasonSessionTokenMissing, Detail: "no Authorization bearer token and no __session cookie"}
	default:
		c, hit, tt, err = a.verify(obs.context(ctx), token, source)
		if err != nil && browser && source == SourceHeader && tt == SessionToken && a.frontendAPIHost != "" {
			// behaviour.md §10.4: clerk/javascript hands a page load with an
			// expired header token a handshake too.
			f := flow{a: a, ctx: obs.context(ctx), req: req, browser: true}
			c, err = f.headerError(token, err)
			ans = f.ans
		}
	}
	a.report(ctx, req, source, tt, c, hit, err, obs)
	return c, ans, err
}

// AuthenticateHTTP is Authenticate for a *http.Request, bounded by its
// context.
func (a *Authorizer) AuthenticateHTTP(r *http.Request) (*Claims, error) {
	return a.Authenticate(r.Context(), HTTPRequest(r))
}

// VerifyToken verifies a bare token as if it came in the Authorization
// header (machine tokens are allowed, as there). Its rejections are logged
// and observed without a source: the token did not come from a request.
func (a *Authorizer) VerifyToken(ctx context.Context, token string) (*Claims, error) {
	obs := a.observeStart(ctx)
	token = strings.TrimSpace(token)
	if token == "" {
		err := &Error{Reason: ReasonSessionTokenMissing, Detail: "empty token"}
		a.report(ctx, nil, "", "", nil, false, err, obs)
		return nil, err
	}
	// Verified by the header's rules (machine tokens allowed), but reported
	// with no source: the token did not come from a request.
	c, hit, tt, err := a.verify(obs.context(ctx), token, SourceHeader)
	a.report(ctx, nil, "", tt, c, hit, err, obs)
	return c, err
}

// Logger returns the logger the Authorizer writes to: the one given to
// WithLogger, else slog.Default() as it was when New ran. Code around the
// Authorizer (an adapter's guards logging their 403 decisions, an
// application's own handlers) logs there so that one logger sees every
// authentication line. Its rejection lines, messages "clerkguard: request
// signed out" and "clerkguard: request forbidden", are sampled per reason
// with the Authorizer's own (WithLogSampling, behaviour.md §7.6); every other
// line goes through unchanged.
func (a *Authorizer) Logger() *slog.Logger { return a.shared }

// report logs rejections and feeds the observer. The token is never logged.
func (a *Authorizer) report(ctx context.Context, req Request, source string, tt TokenType, c *Claims, hit bool, err error, obs *authObservation) {
	if err != nil {
		a.logRejection(ctx, req, source, err)
	}
	a.observeAuth(ctx, obs, source, tt, c, hit, err)
}

// logRejection writes the "request signed out" line of err, at info level
// (error level for 5xx reasons), sampled per reason (behaviour.md §7.6). A
// request without a token is no rejection and is not logged.
func (a *Authorizer) logRejection(ctx context.Context, req Request, source string, err error) {
	reason := ReasonOf(err)
	if reason == ReasonSessionTokenMissing {
		return
	}
	level := slog.LevelInfo
	if reason.Status() >= 500 {
		level = slog.LevelError
	}
	if !a.logger.Enabled(ctx, level) {
		return
	}
	ok, suppressed := a.sampler.admit(reason)
	if !ok {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("reason", string(reason)))
	if source != "" {
		attrs = append(attrs, slog.String("source", source))
	}
	if pr, ok := req.(pathRequest); ok {
		attrs = append(attrs, slog.String("path", pr.Path()))
	}
	var e *Error
	if errors.As(err, &e) && e.Detail != "" {
		attrs = append(attrs, slog.String("detail", e.Detail))
	}
	if uid := userIDFromError(err); uid != "" {
		attrs = append(attrs, slog.String("user_id", uid))
	}
	attrs = appendSuppressed(attrs, suppressed)
	a.logger.LogAttrs(ctx, level, msgSignedOut, attrs...)
}

func userIDFromError(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.subject
	}
	return ""
}

// accepts reports whether the Authorizer accepts tokens of type t.
func (a *Authorizer) accepts(t TokenType) bool {
	return slices.Contains(a.cfg.accepts, t)
}

// AcceptedTokenTypes returns the token types the Authorizer accepts.
func (a *Authorizer) AcceptedTokenTypes() []TokenType { return slices.Clone(a.cfg.accepts) }
