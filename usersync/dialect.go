package usersync

import (
	"database/sql"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// Dialect is the SQL database a Store runs on.
type Dialect int

const (
	// SQLite is modernc.org/sqlite (driver name "sqlite"), SQLite 3.24+.
	SQLite Dialect = iota + 1
	// Postgres is PostgreSQL 9.5+ through pgx's database/sql driver
	// (github.com/jackc/pgx/v5/stdlib, driver name "pgx").
	Postgres
)

// String returns "sqlite" or "postgres".
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

// detectDialect recognises the two drivers usersync ships with.
func detectDialect(db *sql.DB) Dialect {
	switch db.Driver().(type) {
	case *sqlite.Driver:
		return SQLite
	case *stdlib.Driver:
		return Postgres
	}
	return 0
}

// rebind turns "?" placeholders into "$1", "$2", … for PostgreSQL. The
// queries it sees are usersync's own, with no "?" inside literals.
func rebind(d Dialect, q string) string {
	if d != Postgres {
		return q
	}
	var b strings.Builder
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
