// Command quickstart is the README's MCP quick start: an MCP server whose
// tools need a Clerk OAuth access token.
package main

import (
	"context"
	"log"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	clerkmcp "github.com/clerkguard/clerkguard/adapters/mcp"
	"github.com/clerkguard/clerkguard/core"
)

func main() {
	a, err := core.NewFromEnv(core.WithAcceptsToken(core.OAuthToken)) // CLERK_SECRET_KEY, CLERK_PUBLISHABLE_KEY, …
	if err != nil {
		log.Fatal(err)
	}
	p, err := clerkmcp.New(a, "https://mcp.example.com/mcp", clerkmcp.WithScopesSupported("notes:read"))
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(":8080", NewHandler(p)))
}

// NewHandler is the MCP server: the metadata document is public, every MCP
// request needs a token, and read_notes needs the notes:read scope.
func NewHandler(p *clerkmcp.Protector) http.Handler {
	server := mcp.NewServer(&mcp.Implementation{Name: "notes", Version: "v1"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "whoami"}, whoami)
	mcp.AddTool(server, &mcp.Tool{Name: "read_notes"}, clerkmcp.WithScope(readNotes, "notes:read"))

	mux := http.NewServeMux()
	mux.Handle(p.MetadataPath(), p.MetadataHandler())
	mux.Handle("/mcp", p.Middleware(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil)))
	return mux
}

type none struct{}

type user struct {
	ID string `json:"id"`
}

func whoami(_ context.Context, req *mcp.CallToolRequest, _ none) (*mcp.CallToolResult, user, error) {
	return nil, user{ID: req.Extra.TokenInfo.UserID}, nil // the Clerk user the token was issued to
}

type notes struct {
	Notes []string `json:"notes"`
}

func readNotes(_ context.Context, req *mcp.CallToolRequest, _ none) (*mcp.CallToolResult, notes, error) {
	return nil, notes{Notes: []string{"hello, " + req.Extra.TokenInfo.UserID}}, nil
}
