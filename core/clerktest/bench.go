package clerktest

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// BenchPermission is the permission BenchAuthorizer's token carries, the one
// the adapters' benchmarks require (RequirePermission(BenchPermission)).
const BenchPermission = "org:invoices:create"

// BenchAuthorizer returns, for benchmarks of a guarded route, an Authorizer
// trusting a fresh Issuer (fixed clock, logs discarded) and a session token
// for user_bench, admin of org_1 with BenchPermission, valid for an hour on
// that clock. The first request that carries the token verifies it; every
// later one finds it in the verified-token cache (the steady state of a
// signed-in user). The Issuer closes with b.
func BenchAuthorizer(b testing.TB) (*core.Authorizer, string) {
	b.Helper()
	clock := NewClock(time.Time{})
	iss := Start(b, WithClock(clock.Now))
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		b.Fatalf("clerktest: core.New: %v", err)
	}
	return a, iss.Mint(Session{UserID: "user_bench", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{BenchPermission}, TTL: time.Hour})
}

// BenchServe measures h serving GET path with token (none when empty): one
// warm-up request, which must answer 200 (else b fails: a benchmark of a
// refusal measures the wrong thing) and puts the token in the cache, then
// b.Loop() requests, each with a fresh httptest.ResponseRecorder, allocations
// reported.
func BenchServe(b *testing.B, h http.Handler, path, token string) {
	b.Helper()
	req := NewRequest(http.MethodGet, path, token)
	if rec := Serve(h, req); rec.Code != http.StatusOK {
		b.Fatalf("clerktest: warm-up of %s: status %d, want 200: %s", path, rec.Code, rec.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
