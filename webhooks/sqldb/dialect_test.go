package sqldb_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

func TestRebind(t *testing.T) {
	for _, tc := range []struct {
		name    string
		d       sqldb.Dialect
		in, out string
	}{
		{"SQLiteUnchanged", sqldb.SQLite, "a = ? AND b = ?", "a = ? AND b = ?"},
		{"Postgres", sqldb.Postgres, "a = ? AND b = ?", "a = $1 AND b = $2"},
		{"PostgresTen", sqldb.Postgres, strings.Repeat("?,", 10), "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,"},
		{"PostgresNone", sqldb.Postgres, "no placeholders", "no placeholders"},
		{"UnknownUnchanged", 0, "a = ?", "a = ?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.d.Rebind(tc.in); got != tc.out {
				t.Errorf("%v.Rebind(%q) = %q, want %q", tc.d, tc.in, got, tc.out)
			}
		})
	}
}

func TestDialectString(t *testing.T) {
	for d, want := range map[sqldb.Dialect]string{sqldb.SQLite: "sqlite", sqldb.Postgres: "postgres", 0: "unknown", 3: "unknown"} {
		if d.String() != want || d.Valid() != (want != "unknown") {
			t.Errorf("%d: %s, Valid %v", int(d), d.String(), d.Valid())
		}
	}
}

func TestValidIdentifier(t *testing.T) {
	for _, tc := range []struct {
		s  string
		ok bool
	}{
		{"clerk_users", true}, {"_x", true}, {"A1", true},
		{strings.Repeat("a", 63), true}, {strings.Repeat("a", 64), false},
		{"", false}, {"1x", false}, {"x-y", false}, {"x y", false}, {"x;DROP", false}, {"é", false},
	} {
		if got := sqldb.ValidIdentifier(tc.s); got != tc.ok {
			t.Errorf("ValidIdentifier(%q) = %v", tc.s, got)
		}
	}
}

// wrapped stands for a driver the package does not know (a tracing
// wrapper): its dialect must come from the database.
type wrapped struct{ driver.Driver }

func openSQLite(t testing.TB) *sql.DB {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "t.db") + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postgresURL is CLERKGUARD_TEST_POSTGRES_URL (scripts/postgres starts a
// server; CI always sets it). Without it the PostgreSQL cases skip, except
// in CI, where they fail so the gap cannot hide.
func postgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("CLERKGUARD_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CLERKGUARD_TEST_POSTGRES_URL is not set in CI: start scripts/postgres")
		}
		t.Skip("no PostgreSQL: export CLERKGUARD_TEST_POSTGRES_URL=$(scripts/postgres)")
	}
	return u
}

func TestDetect(t *testing.T) {
	ctx := t.Context()
	t.Run("SQLiteDriver", func(t *testing.T) {
		db := openSQLite(t)
		if d := sqldb.DriverDialect(db); d != sqldb.SQLite {
			t.Fatalf("DriverDialect = %v", d)
		}
	})
	t.Run("PostgresDriverWithoutServer", func(t *testing.T) {
		db, err := sql.Open("pgx", "postgres://nobody@127.0.0.1:1/x") // never connected
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if d, err := sqldb.Detect(ctx, db); d != sqldb.Postgres || err != nil {
			t.Fatalf("Detect = %v %v: the driver alone must say Postgres", d, err)
		}
	})
	t.Run("WrappedSQLiteAsksTheDatabase", func(t *testing.T) {
		dsn := "file:" + filepath.Join(t.TempDir(), "w.db")
		db := sql.OpenDB(dsnConnector{wrapped{&sqlite.Driver{}}, dsn})
		defer db.Close()
		if d := sqldb.DriverDialect(db); d != 0 {
			t.Fatalf("DriverDialect of a wrapper = %v, want 0", d)
		}
		if d, err := sqldb.Detect(ctx, db); d != sqldb.SQLite || err != nil {
			t.Fatalf("Detect = %v %v", d, err)
		}
	})
	t.Run("WrappedPostgresAsksTheDatabase", func(t *testing.T) {
		db := sql.OpenDB(dsnConnector{wrapped{stdlib.GetDefaultDriver()}, postgresURL(t)})
		defer db.Close()
		if d, err := sqldb.Detect(ctx, db); d != sqldb.Postgres || err != nil {
			t.Fatalf("Detect = %v %v", d, err)
		}
	})
	t.Run("UnknownDatabase", func(t *testing.T) {
		db := sql.OpenDB(dsnConnector{wrapped{failing{}}, ""})
		defer db.Close()
		if d, err := sqldb.Detect(ctx, db); d != 0 || !errors.Is(err, sqldb.ErrUnknownDialect) {
			t.Fatalf("Detect = %v %v, want ErrUnknownDialect", d, err)
		}
	})
	t.Run("Nil", func(t *testing.T) {
		if _, err := sqldb.Detect(ctx, nil); err == nil || sqldb.DriverDialect(nil) != 0 {
			t.Fatal("nil db")
		}
	})
}

type dsnConnector struct {
	drv driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

// failing is a database that answers no query.
type failing struct{}

func (failing) Open(string) (driver.Conn, error) { return nil, errors.New("no database here") }
