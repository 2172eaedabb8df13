package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

// postgresURL returns the URL of a real PostgreSQL server for this test
// (scripts/postgres starts one; CI always does). Outside CI a missing
// server skips the test; in CI it fails, so the gap can never hide.
func postgresURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("CLERKGUARD_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CLERKGUARD_TEST_POSTGRES_URL is not set in CI: .ci/run must start scripts/postgres")
		}
		t.Skip("no PostgreSQL: export CLERKGUARD_TEST_POSTGRES_URL=$(scripts/postgres)")
	}
	return u
}

// freshSchema creates an empty schema for one test and returns a URL whose
// connections use it.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "usersync_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	return base + "&search_path=" + schema
}

// The same signed stream, with duplicates, in order and then shuffled and
// concurrent, gives the same tables on PostgreSQL as on SQLite; the SQL
// deduplicator runs on PostgreSQL's dialect.
func TestReplayOnPostgres(t *testing.T) {
	base := postgresURL(t)
	for _, mode := range []string{"InOrder", "DoubledConcurrent"} {
		t.Run(mode, func(t *testing.T) {
			env := map[string]string{"CLERK_WEBHOOK_SIGNING_SECRET": secret, "DATABASE_URL": freshSchema(t, base)}
			a, err := newApp(t.Context(), func(k string) string { return env[k] }, quiet, webhooks.WithClock(func() time.Time { return now }))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.db.Close() })
			s, _ := webhookstest.NewSigner(secret)
			all := stream()
			if mode == "DoubledConcurrent" {
				all = append(all, stream()...)
				for i := range all { // deterministic reversal: newest first
					j := len(all) - 1 - i
					if i < j {
						all[i], all[j] = all[j], all[i]
					}
				}
			}
			work := make(chan delivery)
			done := make(chan struct{})
			for range 4 {
				go func() {
					for d := range work {
						if code := send(t, a.handler, s, d); code != 200 {
							t.Errorf("%s: %d", d.id, code)
						}
					}
					done <- struct{}{}
				}()
			}
			for _, d := range all {
				work <- d
			}
			close(work)
			for range 4 {
				<-done
			}
			checkState(t, a.db)
		})
	}
}

// Tombstones, same-millisecond updates and cascading membership deletions
// behave on PostgreSQL as on SQLite.
func TestTombstonesOnPostgres(t *testing.T) {
	base := postgresURL(t)
	env := map[string]string{"CLERK_WEBHOOK_SIGNING_SECRET": secret, "DATABASE_URL": freshSchema(t, base)}
	a, err := newApp(t.Context(), func(k string) string { return env[k] }, quiet, webhooks.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.db.Close() })
	s, _ := webhookstest.NewSigner(secret)
	d := tombstoneStream()
	for i, j := 0, len(d)-1; i < j; i, j = i+1, j-1 {
		d[i], d[j] = d[j], d[i]
	}
	for _, x := range append(d, tombstoneStream()...) {
		if code := send(t, a.handler, s, x); code != 200 {
			t.Fatalf("%s: %d", x.id, code)
		}
	}
	checkTombstones(t, a.db)
}
