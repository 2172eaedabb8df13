package clerkmcp

import (
	"net/http"
	"slices"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// Metadata returns the OAuth 2.0 protected resource metadata of the server
// (RFC 9728 §2): its resource URL, the authorization servers (the Clerk
// Frontend API by default, WithAuthorizationServers), the scopes of
// WithScopesSupported and WithRequiredScopes, and bearer_methods_supported
// ["header"]: tokens are read from the Authorization header only.
func (p *Protector) Metadata() *oauthex.ProtectedResourceMetadata {
	scopes := slices.Clone(p.cfg.scopesSupported)
	for _, s := range p.cfg.scopes {
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	return &oauthex.ProtectedResourceMetadata{
		Resource:               p.resource,
		AuthorizationServers:   slices.Clone(p.cfg.authServers),
		ScopesSupported:        scopes,
		BearerMethodsSupported: []string{"header"},
		ResourceName:           p.cfg.resourceName,
	}
}

// MetadataHandler serves Metadata as JSON for GET (and CORS preflights:
// the document is public, RFC 9728 §3), through the SDK's
// auth.ProtectedResourceMetadataHandler. Mount it at MetadataPath, outside
// Middleware: clients read it before they have a token.
func (p *Protector) MetadataHandler() http.Handler {
	return auth.ProtectedResourceMetadataHandler(p.Metadata())
}
