package core_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// backendRequest is one call the scripted Backend API received.
type backendRequest struct {
	Method, Path, Authorization, ContentType string
	Body                                     map[string]any
}

// scriptedBackend is an httptest Backend API whose answers a test scripts
// with a handler; it records every request it receives. Unlike clerktest's
// fake it can answer anything (redirects, oversized or broken bodies).
type scriptedBackend struct {
	srv *httptest.Server

	mu      sync.Mutex
	reqs    []backendRequest
	handler http.HandlerFunc
}

func newScriptedBackend(t *testing.T, h http.HandlerFunc) *scriptedBackend {
	t.Helper()
	b := &scriptedBackend{handler: h}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		b.mu.Lock()
		b.reqs = append(b.reqs, backendRequest{Method: r.Method, Path: r.URL.Path,
			Authorization: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type"), Body: body})
		h := b.handler
		b.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *scriptedBackend) requests() []backendRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]backendRequest(nil), b.reqs...)
}

func (b *scriptedBackend) calls() int { return len(b.requests()) }

// answer is a handler that writes status and body as JSON.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

const testSecretKey = "sk_test_scripted_backend"

// scriptedAuthorizer trusts iss for JWTs (through its JWKS URL, so key
// fetches are countable) and verifies opaque tokens against b.
func scriptedAuthorizer(t *testing.T, iss *clerktest.Issuer, b *scriptedBackend, opts ...core.Option) *core.Authorizer {
	t.Helper()
	base := append(iss.AuthorizerOptions(), core.WithAPIURL(b.srv.URL), core.WithSecretKey(testSecretKey),
		core.WithLogger(quietLogger()))
	a, err := core.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	return a
}
