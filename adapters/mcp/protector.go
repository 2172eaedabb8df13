package clerkmcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/clerkguard/clerkguard/core"
)

// MetadataWellKnown is the well-known path prefix of OAuth 2.0 protected
// resource metadata (RFC 9728 §3).
const MetadataWellKnown = "/.well-known/oauth-protected-resource"

// Protector verifies the bearer tokens of an MCP server's requests. Build it
// with New; it is safe for concurrent use.
type Protector struct {
	a           *core.Authorizer
	resource    string
	cfg         config
	metadataURL string
	challenge   core.Guard // names the metadata in 401 answers (core.Guard.WithResourceMetadata)
	accept      core.Guard
	scopeGuards []core.Guard
}

// New returns a Protector for the MCP server whose resource URL is resource
// (the URL clients connect to, e.g. "https://mcp.example.com/mcp"; it is the
// audience tokens must be issued for, RFC 8707). a verifies the tokens: it
// must accept the token types the Protector lets through (by default
// core.WithAcceptsToken(core.OAuthToken)), and opaque oat_ tokens need its
// secret key (core.WithSecretKey). New fails on a nil Authorizer, a resource
// that is not an absolute http(s) URL without a fragment, or an invalid
// option.
func New(a *core.Authorizer, resource string, opts ...Option) (*Protector, error) {
	if a == nil {
		return nil, errors.New("clerkmcp: New needs a non-nil *core.Authorizer")
	}
	if err := checkURL(resource); err != nil {
		return nil, fmt.Errorf("clerkmcp: resource: %w", err)
	}
	if u, _ := url.Parse(resource); u.Fragment != "" || strings.Contains(resource, "#") {
		return nil, fmt.Errorf("clerkmcp: resource %q must not have a fragment (RFC 8707 §2)", resource)
	}
	cfg := config{types: []core.TokenType{core.OAuthToken}}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("clerkmcp: nil Option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if len(cfg.authServers) == 0 {
		if iss := a.Issuer(); iss != "" {
			cfg.authServers = []string{iss}
		}
	}
	p := &Protector{a: a, resource: resource, cfg: cfg}
	p.metadataURL = cfg.metadataURL
	if p.metadataURL == "" {
		p.metadataURL = defaultMetadataURL(resource)
	}
	p.challenge = core.RequireAuth().WithResourceMetadata(p.metadataURL)
	if p.challenge.ResourceMetadata() == "" {
		return nil, fmt.Errorf("clerkmcp: metadata URL %q cannot be quoted in a challenge (ASCII only, no quote or backslash)", p.metadataURL)
	}
	p.accept = core.AcceptsToken(cfg.types...)
	for _, s := range cfg.scopes {
		p.scopeGuards = append(p.scopeGuards, core.RequireScope(s).WithTokenTypes(cfg.types...))
	}
	return p, nil
}

// defaultMetadataURL is RFC 9728 §3.1: the well-known path inserted between
// the resource's host and its path.
func defaultMetadataURL(resource string) string {
	u, _ := url.Parse(resource) // validated by New
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	return u.Scheme + "://" + u.Host + MetadataWellKnown + path
}

// Resource returns the resource URL the Protector was built for.
func (p *Protector) Resource() string { return p.resource }

// MetadataURL returns the URL of the protected-resource metadata that 401
// answers name in their resource_metadata parameter.
func (p *Protector) MetadataURL() string { return p.metadataURL }

// MetadataPath returns the path of MetadataURL, where to mount
// MetadataHandler on the server's mux.
func (p *Protector) MetadataPath() string {
	u, err := url.Parse(p.metadataURL)
	if err != nil || u.Path == "" {
		return MetadataWellKnown
	}
	return u.Path
}

// Verify verifies token as the Middleware does and returns its claims, or
// an *core.Error whose reason says why it is refused (behaviour.md §8):
//   - a token type the Protector does not let through: token-type-mismatch,
//     before any verification or Backend API call (behaviour.md §6.3);
//   - every reason of core's verification (expired, bad signature, keys
//     unavailable: jwk-remote-failed-to-load, a 503, …);
//   - an audience that does not name the resource: token-invalid-audience;
//   - a scope of WithRequiredScopes missing: missing-scope (403).
//
// ctx bounds any key fetch or Backend API call.
func (p *Protector) Verify(ctx context.Context, token string) (*core.Claims, error) {
	return p.verify(ctx, token, true)
}

func (p *Protector) verify(ctx context.Context, token string, scopes bool) (*core.Claims, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, core.ErrSessionTokenMissing
	}
	if tt := core.DetectTokenType(token); !slices.Contains(p.cfg.types, tt) {
		return nil, &core.Error{Reason: core.ReasonTokenTypeMismatch, Detail: "clerkmcp does not accept " + string(tt)}
	}
	c, err := p.a.VerifyToken(ctx, token)
	res := &core.Result{Claims: c, Err: err}
	if err := p.accept.Evaluate(res); err != nil {
		return nil, err
	}
	if err := p.checkAudience(c); err != nil {
		return nil, err
	}
	for _, g := range p.scopeGuards {
		if !scopes {
			break
		}
		if err := g.Evaluate(res); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// checkAudience enforces RFC 8707 on machine tokens: the audience (which
// may be absent only with WithAudienceOptional) must name the resource
// (exactly, or with a trailing slash either side). Session tokens follow the
// Authorizer's own audience rules (core.WithAudience).
func (p *Protector) checkAudience(c *core.Claims) error {
	if c.TokenType == core.SessionToken {
		return nil
	}
	var body struct {
		Aud audience `json:"aud"`
	}
	if err := c.Decode(&body); err != nil {
		return &core.Error{Reason: core.ReasonTokenInvalidAudience, Detail: "aud is not a string or an array of strings"}
	}
	if len(body.Aud) == 0 {
		if p.cfg.audienceOptional {
			return nil
		}
		return &core.Error{Reason: core.ReasonTokenInvalidAudience, Detail: "the token names no audience (RFC 8707)"}
	}
	want := strings.TrimSuffix(p.resource, "/")
	for _, a := range body.Aud {
		if strings.TrimSuffix(a, "/") == want {
			return nil
		}
	}
	return &core.Error{Reason: core.ReasonTokenInvalidAudience, Detail: "the token's audience does not name this resource"}
}

// audience decodes `aud`: absent or null (nil), a string, or an array of
// strings; anything else is an error.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*a = nil
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s != "" {
			*a = audience{s}
		}
		return nil
	default:
		var l []string
		if err := json.Unmarshal(b, &l); err != nil {
			return err
		}
		*a = l
		return nil
	}
}
