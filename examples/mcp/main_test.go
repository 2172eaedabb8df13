package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	clerkmcp "github.com/clerkguard/clerkguard/adapters/mcp"
)

// started is the example as its doc tells a person to run it: dev mode, the
// export lines on stdout.
type started struct {
	base   string
	tokens map[string]string // TOKEN_READ, TOKEN_WRITE, MCP_URL
}

func start(t *testing.T) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	baseC := make(chan string, 1)
	done := make(chan error, 1)
	env := map[string]string{"ADDR": "127.0.0.1:0"}
	go func() {
		done <- run(ctx, func(k string) string { return env[k] }, pw, func(b string) { baseC <- b })
		pw.Close()
	}()
	s := &started{tokens: map[string]string{}}
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && strings.HasPrefix(line, "export ") {
			s.tokens[k] = v
		}
		if strings.HasPrefix(line, "listening on ") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	select {
	case s.base = <-baseC:
	case err := <-done:
		t.Fatalf("run ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not start")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	for _, k := range []string{"MCP_URL", "TOKEN_READ", "TOKEN_WRITE"} {
		if s.tokens[k] == "" {
			t.Fatalf("dev mode printed no %s line", k)
		}
	}
	return s
}

// bearer adds the token to every request of the MCP client.
type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

func connect(t *testing.T, s *started, token string) *mcp.ClientSession {
	t.Helper()
	client := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "v1"}, nil)
	cs, err := client.Connect(t.Context(), &mcp.StreamableClientTransport{Endpoint: s.tokens["MCP_URL"],
		HTTPClient: &http.Client{Transport: bearer{token}, Timeout: 10 * time.Second}}, nil)
	if err != nil {
		t.Fatalf("initialize: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func TestToolsWithAndWithoutScope(t *testing.T) {
	s := start(t)
	read := connect(t, s, s.tokens["TOKEN_READ"])
	tools, err := read.ListTools(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
	}
	if strings.Join(names, ",") != "create_invoice,whoami" {
		t.Errorf("tools/list: %v", names)
	}

	res, err := read.CallTool(t.Context(), &mcp.CallToolParams{Name: "whoami"})
	if err != nil || res.IsError {
		t.Fatalf("whoami: %v %+v", err, res)
	}
	var who whoamiOut
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &who); err != nil || who.UserID != "user_dev" || who.ClientID != "client_dev" || strings.Join(who.Scopes, " ") != ScopeRead {
		t.Errorf("whoami: %s", b)
	}

	_, err = read.CallTool(t.Context(), &mcp.CallToolParams{Name: "create_invoice", Arguments: map[string]any{"amount": 100}})
	var wire *jsonrpc.Error
	if !errors.As(err, &wire) || wire.Code != clerkmcp.CodeForbidden || !strings.Contains(string(wire.Data), `"missing-scope"`) || !strings.Contains(string(wire.Data), ScopeWrite) {
		t.Errorf("create_invoice without %s: want a JSON-RPC error %d missing-scope, got %v", ScopeWrite, clerkmcp.CodeForbidden, err)
	}

	write := connect(t, s, s.tokens["TOKEN_WRITE"])
	res, err = write.CallTool(t.Context(), &mcp.CallToolParams{Name: "create_invoice", Arguments: map[string]any{"amount": 100}})
	if err != nil || res.IsError {
		t.Fatalf("create_invoice with %s: %v %+v", ScopeWrite, err, res)
	}
	b, _ = json.Marshal(res.StructuredContent)
	var inv invoiceOut
	if err := json.Unmarshal(b, &inv); err != nil || inv.By != "user_dev" || inv.Amount != 100 {
		t.Errorf("create_invoice: %s", b)
	}
}

func TestWithoutTokenPointsAtMetadata(t *testing.T) {
	s := start(t)
	resp, err := http.Post(s.tokens["MCP_URL"], "application/json",
		strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	meta := s.base + "/.well-known/oauth-protected-resource/mcp"
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != `Bearer resource_metadata="`+meta+`"` {
		t.Fatalf("no token: %d %q, want 401 naming %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), meta)
	}
	if resp.Header.Get("X-Clerk-Auth-Reason") != "session-token-missing" {
		t.Errorf("X-Clerk-Auth-Reason %q", resp.Header.Get("X-Clerk-Auth-Reason"))
	}
	m, err := http.Get(meta)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Body.Close()
	var doc struct {
		Resource             string   `json:"resource"`
		AuthorizationServers []string `json:"authorization_servers"`
		Scopes               []string `json:"scopes_supported"`
	}
	if err := json.NewDecoder(m.Body).Decode(&doc); err != nil || doc.Resource != s.tokens["MCP_URL"] || len(doc.AuthorizationServers) != 1 ||
		strings.Join(doc.Scopes, " ") != ScopeRead+" "+ScopeWrite {
		t.Errorf("metadata: %+v %v", doc, err)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "anonymous", Version: "v1"}, nil)
	if cs, err := client.Connect(t.Context(), &mcp.StreamableClientTransport{Endpoint: s.tokens["MCP_URL"]}, nil); err == nil {
		cs.Close()
		t.Error("an MCP client without a token could initialize a session")
	}
	health, err := http.Get(s.base + "/health")
	if err != nil {
		t.Fatal(err)
	}
	health.Body.Close()
	if health.StatusCode != 200 {
		t.Errorf("/health: %d", health.StatusCode)
	}
}

func TestTamperedTokenRefused(t *testing.T) {
	s := start(t)
	req, _ := http.NewRequest(http.MethodPost, s.tokens["MCP_URL"], strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer "+s.tokens["TOKEN_READ"]+"x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("a tampered token: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}

func TestDevModeLoopbackOnly(t *testing.T) {
	err := run(t.Context(), func(k string) string { return map[string]string{"ADDR": "0.0.0.0:0"}[k] }, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("dev mode on 0.0.0.0 must refuse to start, got %v", err)
	}
}
