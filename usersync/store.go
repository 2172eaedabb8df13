package usersync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
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
	dialect Dialect
	prefix  string
	q       queries
	// queries counts round trips, for the tests and benchmarks that check
	// which paths touch the database.
	queries atomic.Int64
}

// New returns a Store on db after bringing its schema to SchemaVersion
// (see Migrate). db must be modernc.org/sqlite or pgx's stdlib driver (or
// say which with WithDialect). With SQLite, concurrent writers need a busy
// timeout, as Open sets: "file:app.db?_pragma=busy_timeout(5000)".
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
		cfg.dialect = detectDialect(db)
		if cfg.dialect == 0 {
			return nil, fmt.Errorf("usersync: New: unknown driver %T: use WithDialect", db.Driver())
		}
	}
	s := &Store{db: db, dialect: cfg.dialect, prefix: cfg.prefix}
	s.q = buildQueries(cfg.dialect, cfg.prefix)
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Open opens the database named by url and returns a Store on it (see New):
// PostgreSQL for a postgres:// or postgresql:// URL, else SQLite at the path
// (a "sqlite:" or "sqlite://" prefix is allowed; empty means usersync.db),
// with WAL and a 5 s busy timeout. Close the Store to close the database.
//
// The database's pool is capped at DefaultMaxOpenConns connections (well
// under PostgreSQL's default max_connections of 100, leaving room for other
// instances and tools; WithMaxOpenConns changes it): a burst of requests
// waits for a connection, within each request's context, instead of
// exhausting the server (behaviour.md §11.3). New leaves the pool of the
// *sql.DB it is given as it is.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	driver, dsn := "sqlite", ""
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		driver, dsn = "pgx", url
	default:
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//")
		if path == "" {
			path = "usersync.db"
		}
		dsn = "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)"
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

// DB returns the database the Store works on.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect returns the database kind.
func (s *Store) Dialect() Dialect { return s.dialect }

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
