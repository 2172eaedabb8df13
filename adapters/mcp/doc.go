// Package clerkmcp protects Model Context Protocol servers built with the
// official Go SDK (github.com/modelcontextprotocol/go-sdk, v1) with Clerk
// OAuth access tokens.
//
// An MCP client (an AI assistant, an IDE) obtains an OAuth access token from
// the Clerk instance acting as its authorization server and sends it as
// "Authorization: Bearer <token>" on every streamable-HTTP request. A
// [Protector] verifies that token with a *core.Authorizer (JWT access tokens
// locally against the instance keys, opaque oat_ tokens against the Backend
// API, both bounded as behaviour.md §6 describes), checks that it was issued
// for this server (its audience names the resource URL, RFC 8707), and hands
// the SDK an auth.TokenInfo (scopes, expiry, user ID) so that the SDK's
// session checks and tool handlers see who is calling.
//
//	p, err := clerkmcp.New(a, "https://mcp.example.com/mcp",
//		clerkmcp.WithScopesSupported("invoices:read", "invoices:write"))
//	mux.Handle(p.MetadataPath(), p.MetadataHandler())
//	mux.Handle("/mcp", p.Middleware(mcp.NewStreamableHTTPHandler(getServer, nil)))
//
// Refusals are clerkguard's responses (behaviour.md §7.3: JSON body, the
// X-Clerk-Auth-Reason header, never the token) with the challenge MCP
// clients follow to discover the authorization server: "WWW-Authenticate:
// Bearer resource_metadata=…" pointing at the RFC 9728 protected-resource
// metadata that [Protector.MetadataHandler] serves.
//
// Inside a tool handler, [RequireScope] (or the [WithScope] wrapper) refuses a
// call whose token lacks a scope with a JSON-RPC error carrying the reason
// missing-scope, the SDK's shape for protocol errors.
//
// [Protector.TokenVerifier] is the same verification as an auth.TokenVerifier,
// for servers that mount the SDK's own auth.RequireBearerToken.
package clerkmcp
