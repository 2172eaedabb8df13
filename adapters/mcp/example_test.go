package clerkmcp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	clerkmcp "github.com/clerkguard/clerkguard/adapters/mcp"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// An MCP server whose tools need a Clerk OAuth access token, and one tool
// that needs the invoices:write scope.
func Example() {
	iss, _ := clerktest.NewIssuer() // stands in for your Clerk instance
	defer iss.Close()
	a, _ := core.New(append(iss.AuthorizerOptions(), core.WithAcceptsToken(core.OAuthToken))...)

	srv := httptest.NewServer(nil)
	defer srv.Close()
	p, err := clerkmcp.New(a, srv.URL+"/mcp", clerkmcp.WithScopesSupported("invoices:read", "invoices:write"))
	if err != nil {
		panic(err)
	}

	type in struct{}
	type out struct {
		User string `json:"user"`
	}
	server := mcp.NewServer(&mcp.Implementation{Name: "shop", Version: "v1"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "create_invoice"}, clerkmcp.WithScope(
		func(_ context.Context, req *mcp.CallToolRequest, _ in) (*mcp.CallToolResult, out, error) {
			return nil, out{User: req.Extra.TokenInfo.UserID}, nil
		}, "invoices:write"))

	mux := http.NewServeMux()
	mux.Handle(p.MetadataPath(), p.MetadataHandler())
	mux.Handle("/mcp", p.Middleware(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil)))
	srv.Config.Handler = mux

	resp, _ := http.Post(srv.URL+"/mcp", "application/json", nil)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Clerk-Auth-Reason"))
	fmt.Println(resp.Header.Get("WWW-Authenticate") == `Bearer resource_metadata="`+srv.URL+`/.well-known/oauth-protected-resource/mcp"`)

	meta, _ := http.Get(p.MetadataURL())
	meta.Body.Close()
	fmt.Println(meta.StatusCode)
	// Output:
	// 401 session-token-missing
	// true
	// 200
}
