package usersync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// migration is one schema version. Statements use {p} for the table prefix
// and must run on both SQLite and PostgreSQL. Released versions are never
// edited: a schema change is a new version.
type migration struct {
	version int
	stmts   []string
}

var migrations = []migration{
	{1, []string{
		`CREATE TABLE {p}users (
	id TEXT NOT NULL PRIMARY KEY,
	external_id TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	first_name TEXT NOT NULL DEFAULT '',
	last_name TEXT NOT NULL DEFAULT '',
	username TEXT NOT NULL DEFAULT '',
	image_url TEXT NOT NULL DEFAULT '',
	public_metadata TEXT NOT NULL DEFAULT '{}',
	private_metadata TEXT NOT NULL DEFAULT '{}',
	created_at BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL DEFAULT 0,
	deleted_at BIGINT,
	event_ts BIGINT NOT NULL
)`,
		`CREATE TABLE {p}organizations (
	id TEXT NOT NULL PRIMARY KEY,
	name TEXT NOT NULL DEFAULT '',
	slug TEXT NOT NULL DEFAULT '',
	image_url TEXT NOT NULL DEFAULT '',
	public_metadata TEXT NOT NULL DEFAULT '{}',
	private_metadata TEXT NOT NULL DEFAULT '{}',
	created_at BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL DEFAULT 0,
	deleted_at BIGINT,
	event_ts BIGINT NOT NULL
)`,
		`CREATE TABLE {p}organization_memberships (
	id TEXT NOT NULL PRIMARY KEY,
	organization_id TEXT NOT NULL DEFAULT '',
	user_id TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL DEFAULT '',
	public_metadata TEXT NOT NULL DEFAULT '{}',
	private_metadata TEXT NOT NULL DEFAULT '{}',
	created_at BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL DEFAULT 0,
	deleted_at BIGINT,
	event_ts BIGINT NOT NULL
)`,
		`CREATE INDEX {p}organization_memberships_org ON {p}organization_memberships (organization_id)`,
		`CREATE INDEX {p}organization_memberships_user ON {p}organization_memberships (user_id)`,
	}},
	{2, []string{
		`CREATE TABLE {p}backfill_progress (
	name TEXT NOT NULL PRIMARY KEY,
	next_offset BIGINT NOT NULL,
	done INTEGER NOT NULL DEFAULT 0
)`,
		`CREATE INDEX {p}users_email ON {p}users (email)`,
	}},
}

// SchemaVersion is the newest schema version this usersync knows.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// migrate applies the missing migrations, each with its version row, in one
// transaction that excludes every other instance migrating the same
// database: a transaction-scoped advisory lock on PostgreSQL, a BEGIN
// IMMEDIATE write lock on SQLite. Instances starting together therefore
// apply each version exactly once, and the others find it done.
func (s *Store) migrate(ctx context.Context) error {
	if s.dialect == Postgres {
		return s.migratePostgres(ctx)
	}
	return s.migrateSQLite(ctx)
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) migratePostgres(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("usersync: migrate: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, s.lockKey()); err != nil {
		return fmt.Errorf("usersync: migrate: advisory lock: %w", err)
	}
	if err := s.applyMigrations(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("usersync: migrate: commit: %w", err)
	}
	return nil
}

func (s *Store) migrateSQLite(ctx context.Context) error {
	// Instances opening a new database together race to switch it to WAL
	// (Open's journal_mode pragma), which answers SQLITE_BUSY at once
	// rather than waiting; BEGIN IMMEDIATE waits with a busy_timeout, not
	// without one. Both are retried while busy.
	var conn *sql.Conn
	err := retryBusy(ctx, func() error {
		c, err := s.db.Conn(ctx)
		if err != nil {
			return err
		}
		if _, err := c.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
			c.Close()
			return err
		}
		conn = c
		return nil
	})
	if err != nil {
		return fmt.Errorf("usersync: migrate: begin: %w", err)
	}
	defer conn.Close()
	if err := s.applyMigrations(ctx, conn); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		return err
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		return fmt.Errorf("usersync: migrate: commit: %w", err)
	}
	return nil
}

// busyRetryLimit bounds how long a start-up waits for other instances'
// SQLite locks.
const busyRetryLimit = 30 * time.Second

// retryBusy runs fn until it succeeds, fails with something other than
// SQLITE_BUSY, the context ends or busyRetryLimit passes.
func retryBusy(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(busyRetryLimit)
	for {
		err := fn()
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// applyMigrations runs inside the exclusive transaction.
func (s *Store) applyMigrations(ctx context.Context, x execer) error {
	t := s.prefix + "schema_migrations"
	if _, err := x.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+t+` (
	version INTEGER NOT NULL PRIMARY KEY,
	applied_at BIGINT NOT NULL
)`); err != nil {
		return fmt.Errorf("usersync: migrate: %w", err)
	}
	var current int
	if err := x.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+t).Scan(&current); err != nil {
		return fmt.Errorf("usersync: migrate: %w", err)
	}
	if current > SchemaVersion() {
		return fmt.Errorf("%w: database at version %d, this usersync knows %d", ErrSchemaTooNew, current, SchemaVersion())
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		for _, stmt := range m.stmts {
			if _, err := x.ExecContext(ctx, strings.ReplaceAll(stmt, "{p}", s.prefix)); err != nil {
				return fmt.Errorf("usersync: migrate to version %d: %w", m.version, err)
			}
		}
		if _, err := x.ExecContext(ctx, rebind(s.dialect, `INSERT INTO `+t+` (version, applied_at) VALUES (?, ?)`),
			m.version, time.Now().UnixMilli()); err != nil {
			return fmt.Errorf("usersync: migrate to version %d: %w", m.version, err)
		}
	}
	return nil
}

// lockKey is the PostgreSQL advisory lock of this prefix's migrations.
func (s *Store) lockKey() int64 {
	h := fnv.New64a()
	h.Write([]byte("clerkguard/usersync migrations " + s.prefix))
	return int64(h.Sum64())
}

// Version returns the schema version the database is at.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+s.prefix+`schema_migrations`).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("usersync: schema version: %w", err)
	}
	return v, nil
}
