package clerkechov5_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func setup(t testing.TB, opts ...core.Option) (*clerktest.Issuer, *core.Authorizer) {
	t.Helper()
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
	opts = append(append(iss.AuthorizerOptions(), core.WithLogger(slog.New(slog.DiscardHandler))), opts...)
	a, err := core.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return iss, a
}

func serve(h http.Handler, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// behaviour.md §7.5 (echo v5 pools its *echo.Context values and clears
// their store per request) is proven by TestConformance on the echo instance
// itself: Context/NoLeakBetweenRequests serially, Concurrency with 200 mixed
// concurrent requests.
