package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// contestant builds one configuration under test; perm is "" for
// authentication only, or the permission the route requires.
type contestant struct {
	name string
	// missing is the status answered to a request without a token.
	missing int
	build   func(e *Env, perm string) (http.Handler, error)
}

var contestants = []contestant{
	{"clerkguard-chi", http.StatusUnauthorized, func(e *Env, perm string) (http.Handler, error) {
		return e.Clerkguard(perm)
	}},
	{"clerkguard-chi-nocache", http.StatusUnauthorized, func(e *Env, perm string) (http.Handler, error) {
		return e.Clerkguard(perm, core.WithTokenCache(0))
	}},
	{"clerk-sdk-go", http.StatusUnauthorized, func(e *Env, perm string) (http.Handler, error) {
		return e.ClerkSDK(perm), nil
	}},
	// go-jwt-middleware's DefaultErrorHandler answers 400 to a missing token.
	{"auth0", http.StatusBadRequest, func(e *Env, perm string) (http.Handler, error) {
		return e.Auth0(perm)
	}},
}

// byName returns the contestant called name.
func byName(tb testing.TB, name string) contestant {
	tb.Helper()
	for _, c := range contestants {
		if c.name == name {
			return c
		}
	}
	tb.Fatalf("no contestant %q", name)
	return contestant{}
}

func newEnv(tb testing.TB) *Env {
	tb.Helper()
	e, err := NewEnv()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(e.Close)
	return e
}

func build(tb testing.TB, e *Env, c contestant, perm string) http.Handler {
	tb.Helper()
	h, err := c.build(e, perm)
	if err != nil {
		tb.Fatalf("%s: %v", c.name, err)
	}
	return h
}

// bearer returns a GET request carrying token in the Authorization header
// (no header when token is empty).
func bearer(token string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/me", nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}
