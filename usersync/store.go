package usersync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// Store keeps users, organizations and organization memberships in a
// database/sql database, in step with Clerk. It is safe for concurrent use,
// also by several processes on one database.
//
// Every row carries event_ts, the Clerk time (ms) of the newest data it
// holds. An upsert changes a row only when its data is newer (for two events
// of the same millisecond: when the object's updated_at is newer), so replays
// are idempotent and an older update never overwrites a newer one. Deletions
// are soft (deleted_at) and terminal: a deletion that arrives before the
// creation leaves a tombstone that stays deleted, and upserts never clear
// deleted_at. Deleting a user or an organization also deletes its
// memberships, and a membership written after its user or organization was
// deleted is stored deleted, whatever the order of arrival.
type Store struct {
	db      *sql.DB
	dialect sqldb.Dialect
	prefix  string
	schema  *sqldb.Schema
	q       queries
	// queries counts round trips, for the tests and benchmarks that check
	// which paths touch the database.
	queries atomic.Int64
}

// New returns a Store on db after bringing its schema to SchemaVersion
// (versioned migrations, see Store.Version). db is SQLite 3.24+ or
// PostgreSQL 9.5+ through the database/sql driver you import; the dialect
// is inferred from the driver (sqldb.DriverDialect), else asked of the
// database, or set with WithDialect.
//
// With SQLite, concurrent writers need a busy timeout, and writes are fast
// in WAL mode with synchronous=NORMAL (durable across a crash of the
// program, not of the machine), as Open sets; for modernc.org/sqlite:
// "file:app.db?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)".
func New(ctx context.Context, db *sql.DB, opts ...Option) (*Store, error) {
	if db == nil {
		return nil, errors.New("usersync: New: nil *sql.DB")
	}
	cfg := config{prefix: DefaultTablePrefix}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.dialect == 0 {
		d, err := sqldb.Detect(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("usersync: New: %w (use WithDialect)", err)
		}
		cfg.dialect = d
	}
	s := &Store{db: db, dialect: cfg.dialect, prefix: cfg.prefix, schema: schema(cfg.prefix)}
	s.q = buildQueries(cfg.dialect, cfg.prefix)
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Open opens the database named by url and returns a Store on it (see New):
// PostgreSQL for a postgres:// or postgresql:// URL, through pgx (import
// _ "github.com/jackc/pgx/v5/stdlib"); else SQLite at the path (a "sqlite:"
// or "sqlite://" prefix is allowed; empty means usersync.db), through
// modernc.org/sqlite (import _ "modernc.org/sqlite"), in WAL mode with
// synchronous=NORMAL and a 5 s busy timeout. Only the driver you import is
// linked into your program; without it Open fails and says which import is
// missing. Close the Store to close the database. For another driver, open
// the *sql.DB yourself and call New.
//
// The database's pool is capped at DefaultMaxOpenConns connections (well
// under PostgreSQL's default max_connections of 100, leaving room for other
// instances and tools; WithMaxOpenConns changes it): a burst of requests
// waits for a connection, within each request's context, instead of
// exhausting the server (behaviour.md §11.3). New leaves the pool of the
// *sql.DB it is given as it is.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	driver, dsn, pkg := "sqlite", "", "modernc.org/sqlite"
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		driver, dsn, pkg = "pgx", url, "github.com/jackc/pgx/v5/stdlib"
	default:
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//")
		if path == "" {
			path = "usersync.db"
		}
		dsn = "file:" + path + "?" + sqlitePragmas
	}
	if !slices.Contains(sql.Drivers(), driver) {
		return nil, fmt.Errorf("usersync: Open: no %q database/sql driver registered: import _ %q in your program", driver, pkg)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("usersync: Open: %w", err)
	}
	if err := capPool(db, opts); err != nil {
		db.Close()
		return nil, err
	}
	s, err := New(ctx, db, opts...)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// sqlitePragmas are Open's SQLite settings, in modernc.org/sqlite's DSN
// syntax: wait up to 5 s for another writer; WAL, so readers never wait for
// writers; synchronous=NORMAL, so a commit does not wait for the disk (a
// committed write survives a crash of the program; only a power loss or an
// OS crash may undo the last commits, which a Backfill WithRestart
// repairs).
const sqlitePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"

// DB returns the database the Store works on.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect returns the database kind.
func (s *Store) Dialect() sqldb.Dialect { return s.dialect }

// Table returns the full name of one of usersync's tables ("users",
// "organizations", "organization_memberships", …) with the prefix, for your
// own joins.
func (s *Store) Table(name string) string { return s.prefix + name }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) exec(ctx context.Context, query string, args ...any) error {
	s.queries.Add(1)
	_, err := s.db.ExecContext(ctx, query, args...)
	return err
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	s.queries.Add(1)
	return s.db.QueryRowContext(ctx, query, args...)
}
