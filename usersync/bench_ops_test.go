package usersync_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/usersync"
)

// BenchmarkJITPermanentFailure: the token of a user Clerk does not know,
// sent again and again (a public route, a retrying client), is refused from
// the Provisioner's memory: db-queries/op and backend-calls/op must be 0
// (behaviour.md §11.5). SignedInCached is the same Authorizer's cost for a
// known user's cached token, for the ratio.
//
//	cd usersync && go test -run '^$' -bench JITPermanentFailure -benchmem -benchtime 200ms -count 3
func BenchmarkJITPermanentFailure(b *testing.B) {
	iss, api := newIssuer(b), fakeWithAda(b)
	s := database{"sqlite", filepath.Join(b.TempDir(), "bench.db")}.open(b)
	j := newJIT(b, iss, api, s)
	for _, tc := range []struct {
		name, user string
		reason     core.Reason
	}{{"SignedInCached", "user_1", ""}, {"RefusedRemembered", "user_gone", core.ReasonIdentityNotFound}} {
		b.Run(tc.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Authorization", "Bearer "+token(iss, tc.user, ""))
			_, _ = j.auth.AuthenticateHTTP(r) // the first request provisions or learns the failure
			queries, calls := usersync.QueryCount(s), api.Requests()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_, err := j.auth.AuthenticateHTTP(r)
				if core.ReasonOf(err) != tc.reason {
					b.Fatalf("%s: %v, want reason %q", tc.name, err, tc.reason)
				}
			}
			b.ReportMetric(float64(usersync.QueryCount(s)-queries)/float64(b.N), "db-queries/op")
			b.ReportMetric(float64(api.Requests()-calls)/float64(b.N), "backend-calls/op")
		})
	}
}
