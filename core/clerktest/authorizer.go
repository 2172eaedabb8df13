package clerktest

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// Authorizer returns an Authorizer that trusts i (AuthorizerOptions, then
// opts) and logs nothing, for tests of handlers behind it. It fails t when
// core.New does.
func (i *Issuer) Authorizer(t testing.TB, opts ...core.Option) *core.Authorizer {
	t.Helper()
	base := append(i.AuthorizerOptions(), core.WithLogger(slog.New(slog.DiscardHandler)))
	a, err := core.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("clerktest: core.New: %v", err)
	}
	return a
}

// NewRequest is httptest.NewRequest(method, target, nil) carrying token as
// its bearer token ("Authorization: Bearer <token>"; no header when token is
// empty).
func NewRequest(method, target, token string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

// Serve serves req through h and returns what h wrote.
func Serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
