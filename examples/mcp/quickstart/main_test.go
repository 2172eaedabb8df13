package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	clerkmcp "github.com/clerkguard/clerkguard/adapters/mcp"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

type bearer string

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+string(b))
	return http.DefaultTransport.RoundTrip(r)
}

// TestQuickStart drives NewHandler with the Go SDK's client and tokens of a
// clerktest issuer: whoami with any token, read_notes only with its scope.
func TestQuickStart(t *testing.T) {
	iss := clerktest.Start(t)
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithAcceptsToken(core.OAuthToken))...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nil)
	defer srv.Close()
	p, err := clerkmcp.New(a, srv.URL+"/mcp", clerkmcp.WithScopesSupported("notes:read"))
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = NewHandler(p)

	call := func(token, tool string) (*mcp.CallToolResult, error) {
		c := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v1"}, nil)
		cs, err := c.Connect(t.Context(), &mcp.StreamableClientTransport{Endpoint: srv.URL + "/mcp", HTTPClient: &http.Client{Transport: bearer(token)}}, nil)
		if err != nil {
			return nil, err
		}
		defer cs.Close()
		return cs.CallTool(t.Context(), &mcp.CallToolParams{Name: tool})
	}
	aud := map[string]any{"aud": srv.URL + "/mcp"} // issued for this server (RFC 8707)
	plain := iss.MintOAuth(clerktest.Machine{Subject: "user_1", Claims: aud})
	reader := iss.MintOAuth(clerktest.Machine{Subject: "user_1", Scopes: []string{"notes:read"}, Claims: aud})

	if res, err := call(plain, "whoami"); err != nil || res.IsError || !strings.Contains(textOf(res), "user_1") {
		t.Errorf("whoami: %v %s", err, textOf(res))
	}
	var wire *jsonrpc.Error
	if _, err := call(plain, "read_notes"); !errors.As(err, &wire) || wire.Code != clerkmcp.CodeForbidden {
		t.Errorf("read_notes without notes:read: want JSON-RPC error %d, got %v", clerkmcp.CodeForbidden, err)
	}
	if res, err := call(reader, "read_notes"); err != nil || res.IsError || !strings.Contains(textOf(res), "hello, user_1") {
		t.Errorf("read_notes with notes:read: %v %s", err, textOf(res))
	}
	if _, err := call("not-a-token", "whoami"); err == nil {
		t.Error("a client with a bad token could call a tool")
	}
}

func textOf(res *mcp.CallToolResult) string {
	if res == nil || len(res.Content) == 0 {
		return ""
	}
	if tc, ok := res.Content[0].(*mcp.TextContent); ok {
		return tc.Text
	}
	return ""
}

// TestREADME: the README's MCP block is this program from func main on, to
// the byte.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	want := string(src[strings.Index(string(src), "\nfunc main() {")+1:])
	if !strings.Contains(string(readme), "```go\n"+want+"```\n") {
		t.Errorf("README.md has no ```go block equal to examples/mcp/quickstart/main.go from func main on:\n%s", want)
	}
}
