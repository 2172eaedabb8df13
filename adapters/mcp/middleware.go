package clerkmcp

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"

	"github.com/clerkguard/clerkguard/core"
)

// tokenInfoKey carries the verified auth.TokenInfo from Middleware to the
// SDK's auth.RequireBearerToken, which stores it where the SDK reads it.
type tokenInfoKey struct{}

// Middleware protects next, typically mcp.NewStreamableHTTPHandler: it reads
// the bearer token of the Authorization header ("Bearer <token>", RFC 6750
// §2.1; MCP clients send no cookie and must not put tokens in the URL, so no
// other source is read), verifies it with Verify, and answers a refusal
// itself: 401 with `WWW-Authenticate: Bearer resource_metadata="…"` (and
// error="invalid_token" when a token was presented), 403 missing-scope with
// error="insufficient_scope" and the scopes WithRequiredScopes asks for, 503
// when keys or the Backend API are unavailable; bodies and the
// X-Clerk-Auth-* headers as behaviour.md §7.3. A verified request reaches next
// with the claims on its context (core.ClaimsFromContext, ClaimsFromContext)
// and the auth.TokenInfo the SDK gives tool handlers as
// req.Extra.TokenInfo (through the SDK's own auth.RequireBearerToken).
func (p *Protector) Middleware(next http.Handler) http.Handler {
	sdk := auth.RequireBearerToken(func(ctx context.Context, _ string, _ *http.Request) (*auth.TokenInfo, error) {
		if info, ok := ctx.Value(tokenInfoKey{}).(*auth.TokenInfo); ok {
			return info, nil
		}
		return nil, auth.ErrInvalidToken // not reached: Middleware always sets it
	}, &auth.RequireBearerTokenOptions{
		// The Authorizer has checked the expiry already, against its own
		// clock and skew (behaviour.md §3.9); the SDK's second check, against
		// the wall clock, would disagree with an injected clock.
		AllowMissingExpiration: true, ClockSkew: time.Duration(math.MaxInt64),
	})
	inner := sdk(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := p.verify(r.Context(), bearerToken(r.Header.Values("Authorization")), true)
		if err != nil {
			p.WriteError(w, err)
			return
		}
		ctx := core.ContextWithClaims(r.Context(), c)
		ctx = context.WithValue(ctx, tokenInfoKey{}, TokenInfo(c))
		inner.ServeHTTP(w, r.WithContext(ctx))
	})
}

// bearerToken is RFC 6750 §2.1 as the SDK's middleware reads it: exactly
// "Bearer" (any case), one run of white space, the token. Anything else is
// no token.
func bearerToken(values []string) string {
	if len(values) == 0 {
		return ""
	}
	f := strings.Fields(values[0])
	if len(f) != 2 || !strings.EqualFold(f[0], "Bearer") {
		return ""
	}
	return f[1]
}

// WriteError writes the refusal of err (an error of Verify) to w with the
// challenge of this Protector: the behaviour.md §7.3 response whose
// WWW-Authenticate also names the resource metadata (RFC 9728 §5.1) and, for
// missing-scope, the scopes to ask for (RFC 6750 §3.1).
func (p *Protector) WriteError(w http.ResponseWriter, err error) {
	if core.ReasonOf(err).Status() == http.StatusUnauthorized {
		err = p.challenge.Evaluate(&core.Result{Err: err}) // the 401 names the metadata (behaviour.md §14.1)
	}
	pr := core.ProblemFor(err)
	if pr.Reason == core.ReasonMissingScope {
		pr.Header.Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="insufficient_scope", scope=%q, resource_metadata=%q`,
			strings.Join(p.cfg.scopes, " "), p.metadataURL))
	}
	core.WriteProblem(w, pr)
}

// TokenVerifier returns Verify as an auth.TokenVerifier, for servers that
// mount the SDK's auth.RequireBearerToken themselves. A refusal with a 401
// reason matches auth.ErrInvalidToken (the SDK answers 401) and, like every
// refusal, unwraps to the *core.Error (core.ReasonOf works); its text, which
// the SDK writes into the response, is the reason only, never the token. The
// SDK answers anything else 500, including keys being unavailable, so prefer
// Middleware, which answers 503 then and keeps clerkguard's response bytes.
// Required scopes are the SDK's RequireBearerTokenOptions.Scopes there, so
// WithRequiredScopes is not applied.
func (p *Protector) TokenVerifier() auth.TokenVerifier {
	return func(ctx context.Context, token string, _ *http.Request) (*auth.TokenInfo, error) {
		c, err := p.verify(ctx, token, false)
		if err != nil {
			return nil, &verifierError{reason: core.ReasonOf(err), err: err}
		}
		return TokenInfo(c), nil
	}
}

// verifierError is a refusal of TokenVerifier: its text is the reason only,
// and it unwraps to the *core.Error and, for 401 reasons, to
// auth.ErrInvalidToken.
type verifierError struct {
	reason core.Reason
	err    error
}

func (e *verifierError) Error() string { return "clerkguard: " + string(e.reason) }

func (e *verifierError) Unwrap() []error {
	if e.reason.Status() == http.StatusUnauthorized {
		return []error{auth.ErrInvalidToken, e.err}
	}
	return []error{e.err}
}

// TokenInfo is the auth.TokenInfo of verified claims: their scopes, expiry
// and subject (the user ID of an OAuth access token, which the SDK binds
// each session to), and in Extra the "token_type", "client_id" and
// "token_id" when known. It returns nil for nil claims.
func TokenInfo(c *core.Claims) *auth.TokenInfo {
	if c == nil {
		return nil
	}
	extra := map[string]any{"token_type": string(c.TokenType)}
	if c.ClientID != "" {
		extra["client_id"] = c.ClientID
	}
	if c.TokenID != "" {
		extra["token_id"] = c.TokenID
	}
	return &auth.TokenInfo{Scopes: slices.Clone(c.Scopes), Expiration: c.Expiry, UserID: c.Subject, Extra: extra}
}

// ClaimsFromContext returns the claims Middleware verified for the request
// whose context is ctx (core.ClaimsFromContext).
func ClaimsFromContext(ctx context.Context) (*core.Claims, bool) {
	return core.ClaimsFromContext(ctx)
}
