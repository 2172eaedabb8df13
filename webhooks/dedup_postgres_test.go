package webhooks_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/sqldb"
	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver
)

// postgresDB opens the PostgreSQL server named by
// CLERKGUARD_TEST_POSTGRES_URL (scripts/postgres starts one). Without it the
// test is skipped, except in CI, where it fails so the gap cannot hide.
func postgresDB(t testing.TB) *sql.DB {
	t.Helper()
	u := os.Getenv("CLERKGUARD_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CLERKGUARD_TEST_POSTGRES_URL is not set in CI: start scripts/postgres")
		}
		t.Skip("no PostgreSQL: export CLERKGUARD_TEST_POSTGRES_URL=$(scripts/postgres)")
	}
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// freshTable returns an unused table name, dropped after the test.
func freshTable(t testing.TB, db *sql.DB) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "dedup_test_" + hex.EncodeToString(b)
	t.Cleanup(func() { _, _ = db.Exec("DROP TABLE IF EXISTS " + name + ", " + name + "_version") })
	return name
}

func init() {
	dedupImpls = append(dedupImpls, struct {
		name string
		new  dedupFactory
	}{"Postgres", func(t *testing.T, c *clock, opts ...webhooks.DedupOption) webhooks.Deduplicator {
		db := postgresDB(t)
		d, err := webhooks.NewSQLDeduplicator(db, append(opts,
			webhooks.WithTable(freshTable(t, db)), webhooks.WithDedupClock(c.Now))...) // dialect inferred from pgx
		if err != nil {
			t.Fatal(err)
		}
		return d
	}})
}

// The table is created on first use, on PostgreSQL too, and several
// instances racing to create it and to claim one id agree: one winner, no
// errors.
func TestSQLDeduplicatorPostgresSchemaRace(t *testing.T) {
	db := postgresDB(t)
	table := freshTable(t, db)
	ctx := t.Context()
	var reg sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT to_regclass($1)::text`, table).Scan(&reg); err != nil || reg.Valid {
		t.Fatalf("table exists before first use: %v %v", reg, err)
	}
	const instances = 8
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range instances {
		d, err := webhooks.NewSQLDeduplicator(db, webhooks.WithDialect(sqldb.Postgres), webhooks.WithTable(table), webhooks.WithDedupClock(fixedClock(t0)))
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			got, err := d.Claim(context.Background(), "msg_pg")
			if err != nil {
				t.Errorf("Claim: %v", err)
				return
			}
			if got == webhooks.Claimed {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d winners, want 1", wins.Load())
	}
	if err := db.QueryRowContext(ctx, `SELECT to_regclass($1)::text`, table).Scan(&reg); err != nil || !reg.Valid {
		t.Fatalf("table not created: %v %v", reg, err)
	}
}
