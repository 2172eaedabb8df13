package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Dialect is the kind of SQL database behind a *sql.DB. The zero value is
// "unknown".
type Dialect int

const (
	// SQLite is SQLite 3.24 or later, through any database/sql driver
	// (modernc.org/sqlite, github.com/mattn/go-sqlite3, …).
	SQLite Dialect = iota + 1
	// Postgres is PostgreSQL 9.5 or later, through any database/sql driver
	// (github.com/jackc/pgx/v5/stdlib, github.com/lib/pq, …).
	Postgres
)

// String returns "sqlite", "postgres" or "unknown".
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

// Valid reports whether d is SQLite or Postgres.
func (d Dialect) Valid() bool { return d == SQLite || d == Postgres }

// Rebind rewrites the "?" placeholders of q as "$1", "$2", … for
// PostgreSQL, and returns q unchanged for SQLite. It is meant for the
// caller's own constant queries: a "?" inside a string literal or an
// identifier would be rewritten too.
func (d Dialect) Rebind(q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// ErrUnknownDialect is returned by Detect when neither the driver nor the
// database says which dialect it is.
var ErrUnknownDialect = errors.New("sqldb: unknown SQL dialect")

// driverPackages maps the import paths of the database/sql drivers we know
// to their dialect, so that inference needs none of them linked.
var driverPackages = map[string]Dialect{
	"modernc.org/sqlite":                   SQLite,
	"github.com/mattn/go-sqlite3":          SQLite,
	"github.com/ncruces/go-sqlite3/driver": SQLite,
	"github.com/glebarez/go-sqlite":        SQLite,
	"github.com/jackc/pgx/v5/stdlib":       Postgres,
	"github.com/jackc/pgx/v4/stdlib":       Postgres,
	"github.com/lib/pq":                    Postgres,
}

// DriverDialect infers the dialect from the package of db's driver, without
// touching the database; 0 when the driver is not one it knows (a wrapper,
// for example).
func DriverDialect(db *sql.DB) Dialect {
	if db == nil {
		return 0
	}
	return driverDialect(db.Driver())
}

func driverDialect(drv driver.Driver) Dialect {
	t := reflect.TypeOf(drv)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return 0
	}
	return driverPackages[t.PkgPath()]
}

// Detect returns db's dialect: from its driver's package when DriverDialect
// knows it, else by asking the database (sqlite_version() exists only in
// SQLite; version() answers "PostgreSQL …" only in PostgreSQL). It fails
// with ErrUnknownDialect when neither answers.
func Detect(ctx context.Context, db *sql.DB) (Dialect, error) {
	if db == nil {
		return 0, errors.New("sqldb: Detect: nil *sql.DB")
	}
	if d := DriverDialect(db); d != 0 {
		return d, nil
	}
	var v string
	if err := db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v); err == nil {
		return SQLite, nil
	} else if ctx.Err() != nil {
		return 0, fmt.Errorf("sqldb: Detect: %w", ctx.Err())
	}
	if err := db.QueryRowContext(ctx, `SELECT version()`).Scan(&v); err == nil && strings.HasPrefix(v, "PostgreSQL") {
		return Postgres, nil
	} else if ctx.Err() != nil {
		return 0, fmt.Errorf("sqldb: Detect: %w", ctx.Err())
	}
	return 0, fmt.Errorf("%w: driver %T: say which with the dialect option", ErrUnknownDialect, db.Driver())
}
