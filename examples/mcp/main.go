// Command mcp is an MCP server (Model Context Protocol, streamable HTTP)
// whose tools need a Clerk OAuth access token, built on the official Go SDK
// and clerkmcp.
//
//	go run ./examples/mcp
//
// With no CLERK_* variable set it starts in local dev mode: an in-process
// dev issuer stands in for Clerk (loopback only), and it prints two OAuth
// access tokens valid for a day, one with the scope invoices:read and one
// with invoices:read and invoices:write, to use as "Authorization: Bearer
// <token>" from an MCP client (for example the MCP Inspector). Set
// CLERK_SECRET_KEY and CLERK_PUBLISHABLE_KEY (and the other variables of
// core.NewFromEnv) to use a real Clerk instance whose OAuth applications
// issue the tokens. ADDR sets the listen address (default 127.0.0.1:8080),
// MCP_RESOURCE_URL the public URL of the MCP endpoint (default
// http://ADDR/mcp): the audience tokens are checked against and the
// resource the metadata document names.
//
// Endpoints: POST/GET/DELETE /mcp (the MCP endpoint, tokens required),
// GET /.well-known/oauth-protected-resource/mcp (RFC 9728 metadata, public),
// GET /health (public). Tools: whoami (any valid token) and create_invoice
// (scope invoices:write; without it the call is a JSON-RPC error with reason
// missing-scope).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	clerkmcp "github.com/clerkguard/clerkguard/adapters/mcp"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

// Scopes of the example's tools.
const (
	ScopeRead  = "invoices:read"
	ScopeWrite = "invoices:write"
)

// devTokenTTL is how long the dev-mode tokens live: long enough for a
// session at a terminal or in an MCP client.
const devTokenTTL = 24 * time.Hour

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "mcp:", err)
		os.Exit(1)
	}
}

// run starts the server and serves until ctx ends. ready, when set,
// receives the base URL once the server listens.
func run(ctx context.Context, getenv func(string) string, stdout io.Writer, ready func(base string)) error {
	addr := exampleapp.Addr(getenv)
	dev := len(exampleapp.Configured(getenv)) == 0
	var ln net.Listener
	var err error
	if !dev {
		ln, err = net.Listen("tcp", addr)
	} else {
		ln, err = exampleapp.ListenDev(addr) // dev mode trusts self-minted tokens: loopback only
	}
	if err != nil {
		return err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()
	resource := getenv("MCP_RESOURCE_URL")
	if resource == "" {
		resource = base + "/mcp"
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var a *core.Authorizer
	if dev {
		iss, err := clerktest.NewIssuer()
		if err != nil {
			return err
		}
		defer iss.Close()
		a, err = core.New(append(iss.AuthorizerOptions(), core.WithAcceptsToken(core.OAuthToken), core.WithLogger(logger))...)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "dev mode: tokens are minted by an in-process issuer; do not use in production\n")
		fmt.Fprintf(stdout, "export MCP_URL=%s\n", resource)
		fmt.Fprintf(stdout, "export TOKEN_READ=%s\n", devToken(iss, resource, ScopeRead))
		fmt.Fprintf(stdout, "export TOKEN_WRITE=%s\n", devToken(iss, resource, ScopeRead, ScopeWrite))
	} else {
		a, err = core.NewFromEnv(core.WithAcceptsToken(core.OAuthToken), core.WithLogger(logger))
		if err != nil {
			return err
		}
	}
	h, err := handler(a, resource)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "listening on %s\n", base)
	if ready != nil {
		ready(base)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// devToken mints a JWT OAuth access token for the dev user, bound to the
// resource.
func devToken(iss *clerktest.Issuer, resource string, scopes ...string) string {
	return iss.MintOAuth(clerktest.Machine{Subject: "user_dev", ClientID: "client_dev", Scopes: scopes, TTL: devTokenTTL,
		Claims: map[string]any{"aud": resource}})
}

// handler is the example's mux: the metadata and health endpoints are
// public, the MCP endpoint sits behind the Protector.
func handler(a *core.Authorizer, resource string) (http.Handler, error) {
	p, err := clerkmcp.New(a, resource, clerkmcp.WithScopesSupported(ScopeRead, ScopeWrite), clerkmcp.WithResourceName("clerkguard example shop"))
	if err != nil {
		return nil, err
	}
	server := newServer()
	mux := http.NewServeMux()
	mux.Handle("GET "+p.MetadataPath(), p.MetadataHandler())
	mux.Handle("OPTIONS "+p.MetadataPath(), p.MetadataHandler())
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	})
	mux.Handle("/mcp", p.Middleware(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil)))
	return mux, nil
}

type whoamiIn struct{}

type whoamiOut struct {
	UserID   string   `json:"user_id"`
	ClientID string   `json:"client_id,omitempty"`
	Scopes   []string `json:"scopes"`
}

type invoiceIn struct {
	Amount int `json:"amount" jsonschema:"amount in cents"`
}

type invoiceOut struct {
	ID     string `json:"id"`
	Amount int    `json:"amount"`
	By     string `json:"created_by"`
}

func newServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "clerkguard-example-shop", Version: "v1"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "whoami", Description: "Who the token belongs to"},
		func(_ context.Context, req *mcp.CallToolRequest, _ whoamiIn) (*mcp.CallToolResult, whoamiOut, error) {
			info := req.Extra.TokenInfo
			client, _ := info.Extra["client_id"].(string)
			return nil, whoamiOut{UserID: info.UserID, ClientID: client, Scopes: info.Scopes}, nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "create_invoice", Description: "Create an invoice (needs " + ScopeWrite + ")"},
		clerkmcp.WithScope(func(_ context.Context, req *mcp.CallToolRequest, in invoiceIn) (*mcp.CallToolResult, invoiceOut, error) {
			if in.Amount <= 0 {
				return nil, invoiceOut{}, errors.New("amount must be positive")
			}
			id := "inv_" + strings.TrimPrefix(req.Extra.TokenInfo.UserID, "user_")
			return nil, invoiceOut{ID: id, Amount: in.Amount, By: req.Extra.TokenInfo.UserID}, nil
		}, ScopeWrite))
	return s
}
