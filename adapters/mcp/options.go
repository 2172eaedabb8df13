package clerkmcp

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/clerkguard/clerkguard/core"
)

// Option configures a Protector. Options are validated by New.
type Option func(*config) error

type config struct {
	types            []core.TokenType
	scopes           []string // required on every request
	scopesSupported  []string
	authServers      []string
	metadataURL      string
	resourceName     string
	audienceOptional bool
}

// WithTokenTypes sets the token types the Protector lets through, default
// core.OAuthToken only: MCP clients authenticate with OAuth access tokens.
// Add core.SessionToken to serve a first-party web client with Clerk session
// tokens too. The Authorizer must accept the same types
// (core.WithAcceptsToken); a type it does not accept is still refused.
func WithTokenTypes(types ...core.TokenType) Option {
	return func(c *config) error {
		if len(types) == 0 {
			return errors.New("clerkmcp: WithTokenTypes needs at least one token type")
		}
		for _, t := range types {
			switch t {
			case core.SessionToken, core.M2MToken, core.OAuthToken, core.APIKey:
			default:
				return fmt.Errorf("clerkmcp: WithTokenTypes: unknown token type %q", t)
			}
		}
		c.types = slices.Clone(types)
		return nil
	}
}

// WithRequiredScopes makes every request need all of scopes: a token that
// lacks one is answered 403 missing-scope with the challenge
// `error="insufficient_scope", scope="…"` (RFC 6750 §3.1), which MCP
// clients answer by asking the user for more access. Per-tool scopes are
// RequireScope's job.
func WithRequiredScopes(scopes ...string) Option {
	return func(c *config) error {
		c.scopes = slices.Clone(scopes)
		return checkScopes("WithRequiredScopes", scopes)
	}
}

// WithScopesSupported lists the scopes the metadata document advertises
// (RFC 9728 scopes_supported). Required scopes are always advertised too.
func WithScopesSupported(scopes ...string) Option {
	return func(c *config) error {
		c.scopesSupported = slices.Clone(scopes)
		return checkScopes("WithScopesSupported", scopes)
	}
}

// WithAuthorizationServers replaces the authorization servers the metadata
// document names (RFC 9728 authorization_servers). The default is the
// Authorizer's issuer: the Clerk Frontend API URL (from the publishable key
// or core.WithIssuer), which is the issuer of Clerk's OAuth server metadata.
func WithAuthorizationServers(urls ...string) Option {
	return func(c *config) error {
		if len(urls) == 0 {
			return errors.New("clerkmcp: WithAuthorizationServers needs at least one URL")
		}
		for _, u := range urls {
			if err := checkURL(u); err != nil {
				return fmt.Errorf("clerkmcp: WithAuthorizationServers: %w", err)
			}
		}
		c.authServers = slices.Clone(urls)
		return nil
	}
}

// WithMetadataURL replaces the URL of the protected-resource metadata that
// 401 answers point at. The default is the RFC 9728 §3.1 location for the
// resource: its origin, then /.well-known/oauth-protected-resource, then the
// resource's path. Set it when the document is served elsewhere (then mount
// MetadataHandler at that URL's path yourself).
func WithMetadataURL(u string) Option {
	return func(c *config) error {
		if err := checkURL(u); err != nil {
			return fmt.Errorf("clerkmcp: WithMetadataURL: %w", err)
		}
		c.metadataURL = u
		return nil
	}
}

// WithResourceName sets the human-readable resource_name of the metadata
// document.
func WithResourceName(name string) Option {
	return func(c *config) error {
		c.resourceName = name
		return nil
	}
}

// WithAudienceOptional accepts OAuth and machine tokens that name no
// audience at all. By default a Protector requires the token's audience to
// name the resource: the MCP authorization specification asks servers to
// refuse tokens not issued for them (RFC 8707), and Clerk's own SDKs refuse
// an opaque OAuth token without an audience once an audience is expected.
// Use it only for a Clerk instance whose access tokens carry no `aud`. A
// token whose audience names other resources only is refused either way.
func WithAudienceOptional() Option {
	return func(c *config) error {
		c.audienceOptional = true
		return nil
	}
}

// checkScopes refuses any scope that is not an RFC 6749 scope-token.
func checkScopes(option string, scopes []string) error {
	for _, s := range scopes {
		if !validScope(s) {
			return fmt.Errorf("clerkmcp: %s: invalid scope %q", option, s)
		}
	}
	return nil
}

func validScope(s string) bool {
	// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x21 || b == 0x22 || b == 0x5c || b > 0x7e {
			return false
		}
	}
	return true
}

func checkURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || (p.Scheme != "https" && p.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute http(s) URL", u)
	}
	if strings.ContainsAny(u, "\"\\\r\n") {
		return fmt.Errorf("%q contains a quote, a backslash or a line break", u)
	}
	return nil
}
