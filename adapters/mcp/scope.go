package clerkmcp

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/clerkguard/clerkguard/core"
)

// CodeForbidden is the JSON-RPC error code of a tool call refused because
// its token lacks a scope (RequireScope). JSON-RPC leaves -32000 to -32099
// to servers and the MCP specification defines no authorization code for
// tool calls; the Go SDK itself takes -32001 to -32005 (-32003 is "client is
// closing", which a client would read as a dropped connection), -32020 to
// -32022 and -32042, so this code stays clear of them.
const CodeForbidden int64 = -32031

// RequireScope returns nil when the token of the tool call req carries
// every scope of scopes, and otherwise a *jsonrpc.Error (code CodeForbidden,
// message "missing-scope: the token does not carry a required scope", data
// {"reason":"missing-scope","scopes":[…the missing ones…]}) that a tool
// handler returns as is: the SDK sends it to the client as a JSON-RPC error
// rather than as a failed tool result. A call without token information
// (the Middleware did not run) is refused the same way.
func RequireScope(req *mcp.CallToolRequest, scopes ...string) error {
	missing := scopes
	if req != nil && req.Extra != nil && req.Extra.TokenInfo != nil {
		missing = nil
		for _, s := range scopes {
			if !slices.Contains(req.Extra.TokenInfo.Scopes, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) == 0 {
			return nil
		}
	}
	if missing == nil {
		missing = []string{}
	}
	data, _ := json.Marshal(struct {
		Reason core.Reason `json:"reason"`
		Scopes []string    `json:"scopes"`
	}{core.ReasonMissingScope, missing})
	return &jsonrpc.Error{Code: CodeForbidden, Message: string(core.ReasonMissingScope) + ": the token does not carry a required scope", Data: data}
}

// WithScope wraps a typed tool handler so that it runs only for calls whose
// token carries every scope of scopes; other calls get RequireScope's error.
//
//	mcp.AddTool(server, &mcp.Tool{Name: "create_invoice"}, clerkmcp.WithScope(createInvoice, "invoices:write"))
func WithScope[In, Out any](h mcp.ToolHandlerFor[In, Out], scopes ...string) mcp.ToolHandlerFor[In, Out] {
	return func(ctx context.Context, req *mcp.CallToolRequest, in In) (*mcp.CallToolResult, Out, error) {
		if err := RequireScope(req, scopes...); err != nil {
			var zero Out
			return nil, zero, err
		}
		return h(ctx, req, in)
	}
}
