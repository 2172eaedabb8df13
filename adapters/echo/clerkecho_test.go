package clerkecho_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func setup(t testing.TB, opts ...core.Option) (*clerktest.Issuer, *core.Authorizer) {
	iss := clerktest.Start(t)
	return iss, iss.Authorizer(t, opts...)
}

func serve(h http.Handler, path, token string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, clerktest.NewRequest(http.MethodGet, path, token))
	return rec
}
