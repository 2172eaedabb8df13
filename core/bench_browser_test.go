package core_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/core"
)

// The browser-session benchmarks (behaviour.md §10):
//
//	go test -run '^$' -bench 'CachedCookie|Handshake' -benchmem ./core
//
// BenchmarkAuthenticateCachedCookie is the cookie request of a signed-in
// browser (__session and __client_uat, the publishable key configured so the
// suffix rules run); compare it with the same benchmark on a revision before
// browser sessions, which read __session alone.

func browserBenchRequest(b *testing.B, cookies string) (*core.Authorizer, *http.Request) {
	b.Helper()
	iss, _, tok := benchSetup(b)
	a, err := core.New(core.WithJWTKey(iss.PublicKeyPEM()), core.WithClock(iss.Now),
		core.WithPublishableKey(iss.PublishableKey()), core.WithLogger(quietLogger()))
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "http://app.example/dashboard", nil)
	r.Header.Set("Sec-Fetch-Dest", "document")
	r.Header.Set("Cookie", "__session="+tok+"; "+cookies)
	return a, r
}

func BenchmarkAuthenticateCachedCookie(b *testing.B) {
	a, r := browserBenchRequest(b, "__client_uat=1")
	req := core.HTTPRequest(r)
	ctx := context.Background()
	if _, err := a.Authenticate(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Authenticate(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// benchBrowser measures a.AuthenticateBrowser on r, b.N times; ok says
// whether an outcome is the one the benchmark is about.
func benchBrowser(b *testing.B, a *core.Authorizer, r *http.Request, ok func(core.Answer, error) bool) {
	b.Helper()
	req := core.HTTPRequest(r)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ans, err := a.AuthenticateBrowser(ctx, req); !ok(ans, err) {
			b.Fatalf("unexpected outcome: answer %d, error %v", ans.Status, err)
		}
	}
}

// signedIn and handshake are the outcomes benchBrowser checks.
func signedIn(ans core.Answer, err error) bool { return err == nil && !ans.Stops() }
func handshake(ans core.Answer, _ error) bool  { return ans.Stops() }

// BenchmarkAuthenticateBrowserCachedCookie is the same request through the
// handshake middleware's entry point (a development instance, so the
// dev-browser cookie is read too).
func BenchmarkAuthenticateBrowserCachedCookie(b *testing.B) {
	a, r := browserBenchRequest(b, "__client_uat=1; __clerk_db_jwt=db_1")
	benchBrowser(b, a, r, signedIn)
}

// BenchmarkHandshakeRedirect is a page load whose __client_uat is newer
// than its session token: no verification, one handshake redirect.
func BenchmarkHandshakeRedirect(b *testing.B) {
	a, r := browserBenchRequest(b, "__client_uat=99999999999; __clerk_db_jwt=db_1")
	benchBrowser(b, a, r, handshake)
}

// BenchmarkHandshakeRedirectNoSession is the commonest handshake: the
// browser's session cookie expired (__client_uat, no __session).
func BenchmarkHandshakeRedirectNoSession(b *testing.B) {
	a, r := browserBenchRequest(b, "__client_uat=1; __clerk_db_jwt=db_1")
	r.Header.Set("Cookie", "__client_uat=1; __clerk_db_jwt=db_1")
	benchBrowser(b, a, r, handshake)
}
