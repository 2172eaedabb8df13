package sqldb_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"sync"
	"testing"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// eachDialect runs fn on a fresh SQLite file and on PostgreSQL, with a
// table-name prefix unique to the run.
func eachDialect(t *testing.T, fn func(t *testing.T, open func() *sql.DB, d sqldb.Dialect, prefix string)) {
	t.Run("SQLite", func(t *testing.T) {
		path := t.TempDir() + "/m.db"
		open := func() *sql.DB {
			db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		fn(t, open, sqldb.SQLite, "m_")
	})
	t.Run("Postgres", func(t *testing.T) {
		u := postgresURL(t)
		b := make([]byte, 5)
		_, _ = rand.Read(b)
		prefix := "m" + hex.EncodeToString(b) + "_"
		open := func() *sql.DB {
			db, err := sql.Open("pgx", u)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		admin := open()
		t.Cleanup(func() {
			_, _ = admin.Exec(`DROP TABLE IF EXISTS ` + prefix + `versions, ` + prefix + `things`)
		})
		fn(t, open, sqldb.Postgres, prefix)
	})
}

func schema(prefix string, upTo int) *sqldb.Schema {
	all := []sqldb.Migration{
		{Version: 1, Statements: []string{`CREATE TABLE ` + prefix + `things (id TEXT NOT NULL PRIMARY KEY)`}},
		{Version: 2, Statements: []string{`ALTER TABLE ` + prefix + `things ADD COLUMN n BIGINT NOT NULL DEFAULT 0`}},
	}
	return &sqldb.Schema{VersionTable: prefix + "versions", Migrations: all[:upTo]}
}

// Instances starting together apply each version exactly once (a second
// CREATE TABLE would fail), later versions apply on top, and a database
// newer than the program is refused.
func TestMigrate(t *testing.T) {
	eachDialect(t, func(t *testing.T, open func() *sql.DB, d sqldb.Dialect, prefix string) {
		ctx := t.Context()
		const instances = 6
		var wg sync.WaitGroup
		errs := make([]error, instances)
		for i := range instances {
			db := open()
			wg.Go(func() { errs[i] = schema(prefix, 1).Migrate(ctx, db, d) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("instance %d: %v", i, err)
			}
		}
		db := open()
		if v, err := schema(prefix, 1).Version(ctx, db); v != 1 || err != nil {
			t.Fatalf("version %d %v, want 1", v, err)
		}
		if err := schema(prefix, 2).Migrate(ctx, db, d); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, d.Rebind(`INSERT INTO `+prefix+`things (id, n) VALUES (?, ?)`), "a", 7); err != nil {
			t.Fatalf("version 2 not applied: %v", err)
		}
		var rows int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+prefix+`versions`).Scan(&rows); err != nil || rows != 2 {
			t.Fatalf("%d version rows (%v), want 2", rows, err)
		}
		if err := schema(prefix, 1).Migrate(ctx, db, d); !errors.Is(err, sqldb.ErrSchemaTooNew) {
			t.Fatalf("older program on a newer database: %v, want ErrSchemaTooNew", err)
		}
	})
}

func TestMigrateRefusesBadSchemas(t *testing.T) {
	db := openSQLite(t)
	for _, tc := range []struct {
		name string
		sc   sqldb.Schema
	}{
		{"NoVersionTable", sqldb.Schema{}},
		{"InjectedVersionTable", sqldb.Schema{VersionTable: "v; DROP TABLE x"}},
		{"VersionsOutOfOrder", sqldb.Schema{VersionTable: "v", Migrations: []sqldb.Migration{{Version: 2}, {Version: 1}}}},
		{"VersionZero", sqldb.Schema{VersionTable: "v", Migrations: []sqldb.Migration{{Version: 0}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.sc.Migrate(t.Context(), db, sqldb.SQLite); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	t.Run("UnknownDialect", func(t *testing.T) {
		sc := sqldb.Schema{VersionTable: "v"}
		if err := sc.Migrate(t.Context(), db, 0); !errors.Is(err, sqldb.ErrUnknownDialect) {
			t.Fatalf("%v, want ErrUnknownDialect", err)
		}
	})
}
