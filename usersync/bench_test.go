package usersync_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/usersync"
)

// BenchmarkJITCachedToken: a known user's repeated token is a cache hit of
// the Authorizer, where the Provisioner does not run: the db-queries/op
// metric must be 0, and ns/op close to the Authorizer without it.
//
//	cd usersync && go test -run '^$' -bench JITCachedToken -benchmem
func BenchmarkJITCachedToken(b *testing.B) {
	iss, api := newIssuer(b), fakeWithAda(b)
	s := database{"sqlite", filepath.Join(b.TempDir(), "bench.db")}.open(b)
	j := newJIT(b, iss, api, s)
	plain, err := core.New(append(iss.AuthorizerOptions(), core.WithLogger(quiet))...)
	if err != nil {
		b.Fatal(err)
	}
	tok := token(iss, "user_1", "org_1")
	for _, tc := range []struct {
		name string
		auth *core.Authorizer
	}{{"WithoutJIT", plain}, {"WithJIT", j.auth}} {
		b.Run(tc.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Authorization", "Bearer "+tok)
			if _, err := tc.auth.AuthenticateHTTP(r); err != nil { // the fresh verification
				b.Fatal(err)
			}
			before := usersync.QueryCount(s)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := tc.auth.AuthenticateHTTP(r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(usersync.QueryCount(s)-before)/float64(b.N), "db-queries/op")
		})
	}
}

// BenchmarkWebhookEvents measures signed user.updated deliveries handled
// end to end (verification, dedup claim and completion, upsert), one at a
// time, as events/s.
//
//	cd usersync && go test -run '^$' -bench WebhookEvents -benchtime 2000x
//	(PostgreSQL: export CLERKGUARD_TEST_POSTGRES_URL=$(scripts/postgres) first)
func BenchmarkWebhookEvents(b *testing.B) {
	run := func(b *testing.B, db database) {
		s := db.open(b)
		h := webhookHandler(b, s)
		reqs := make([]*http.Request, 0, b.N)
		for i := range b.N {
			d := ev(fmt.Sprintf("msg_bench_%d", i), "user.updated", int64(1000+i),
				userJSON(fmt.Sprintf("user_%d", i%100), "b@x.test", "B", int64(1000+i)))
			reqs = append(reqs, signer.Request("/webhooks/clerk", d.id, now, []byte(d.body)))
		}
		b.ResetTimer()
		for _, r := range reqs {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	}
	b.Run("SQLite", func(b *testing.B) {
		run(b, database{"sqlite", filepath.Join(b.TempDir(), "bench.db")})
	})
	b.Run("Postgres", func(b *testing.B) { run(b, database{"postgres", freshSchema(b)}) })
}
