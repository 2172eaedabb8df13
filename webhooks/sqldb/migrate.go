package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// Migration is one schema version. Released versions are never edited: a
// schema change is a new version.
type Migration struct {
	// Version is positive and higher than the previous migration's.
	Version int
	// Statements run in order, in the migration's transaction. They must
	// run on every dialect the schema supports.
	Statements []string
}

// Schema is a versioned schema: its migrations and the table recording
// which of them a database has.
type Schema struct {
	// VersionTable records the applied versions (created when missing):
	// (version INTEGER PRIMARY KEY, applied_at BIGINT Unix milliseconds).
	VersionTable string
	// LockName names the PostgreSQL advisory lock that serializes
	// migrations of this schema (default: VersionTable).
	LockName string
	// Migrations in increasing Version order.
	Migrations []Migration
}

// ErrSchemaTooNew: the database holds a version newer than the Schema
// knows (it was migrated by a newer program).
var ErrSchemaTooNew = errors.New("sqldb: database schema is newer than this program knows")

// Latest returns the highest version of the schema (0 without migrations).
func (sc *Schema) Latest() int {
	if len(sc.Migrations) == 0 {
		return 0
	}
	return sc.Migrations[len(sc.Migrations)-1].Version
}

// Migrate applies the migrations db is missing, each with its version row,
// in one transaction that excludes every other instance migrating the same
// schema: a transaction-scoped advisory lock on PostgreSQL, a BEGIN
// IMMEDIATE write lock on SQLite (retried while another holds it, for at
// most 30 s). Instances starting together therefore apply each version
// exactly once, and the others find it done. A database at a version newer
// than Latest fails with an error wrapping ErrSchemaTooNew.
func (sc *Schema) Migrate(ctx context.Context, db *sql.DB, d Dialect) error {
	if err := sc.check(); err != nil {
		return err
	}
	switch d {
	case Postgres:
		return sc.migratePostgres(ctx, db)
	case SQLite:
		return sc.migrateSQLite(ctx, db)
	}
	return fmt.Errorf("sqldb: migrate %s: %w", sc.VersionTable, ErrUnknownDialect)
}

func (sc *Schema) check() error {
	if !ValidIdentifier(sc.VersionTable) {
		return fmt.Errorf("sqldb: Schema.VersionTable %q is not a plain SQL identifier", sc.VersionTable)
	}
	prev := 0
	for _, m := range sc.Migrations {
		if m.Version <= prev {
			return fmt.Errorf("sqldb: schema %s: migration %d after %d", sc.VersionTable, m.Version, prev)
		}
		prev = m.Version
	}
	return nil
}

// execer is what a migration runs on: a *sql.Tx or a *sql.Conn.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (sc *Schema) migratePostgres(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqldb: migrate %s: %w", sc.VersionTable, err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, sc.lockKey()); err != nil {
		return fmt.Errorf("sqldb: migrate %s: advisory lock: %w", sc.VersionTable, err)
	}
	if err := sc.apply(ctx, tx, Postgres); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqldb: migrate %s: commit: %w", sc.VersionTable, err)
	}
	return nil
}

func (sc *Schema) migrateSQLite(ctx context.Context, db *sql.DB) error {
	// Instances opening a new database together race to switch it to WAL,
	// which answers SQLITE_BUSY at once rather than waiting; BEGIN
	// IMMEDIATE waits with a busy_timeout, not without one. Both are
	// retried while busy.
	var conn *sql.Conn
	err := retryBusy(ctx, func() error {
		c, err := db.Conn(ctx)
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
		return fmt.Errorf("sqldb: migrate %s: begin: %w", sc.VersionTable, err)
	}
	defer conn.Close()
	if err := sc.apply(ctx, conn, SQLite); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		return err
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		return fmt.Errorf("sqldb: migrate %s: commit: %w", sc.VersionTable, err)
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
		t := time.NewTimer(10 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY ("database is
// locked"), whatever the driver.
func isBusy(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// apply runs inside the exclusive transaction.
func (sc *Schema) apply(ctx context.Context, x execer, d Dialect) error {
	t := sc.VersionTable
	if _, err := x.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+t+` (
	version INTEGER NOT NULL PRIMARY KEY,
	applied_at BIGINT NOT NULL
)`); err != nil {
		return fmt.Errorf("sqldb: migrate %s: %w", t, err)
	}
	var current int
	if err := x.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+t).Scan(&current); err != nil {
		return fmt.Errorf("sqldb: migrate %s: %w", t, err)
	}
	if current > sc.Latest() {
		return fmt.Errorf("%w: %s at version %d, this program knows %d", ErrSchemaTooNew, t, current, sc.Latest())
	}
	insert := d.Rebind(`INSERT INTO ` + t + ` (version, applied_at) VALUES (?, ?)`)
	for _, m := range sc.Migrations {
		if m.Version <= current {
			continue
		}
		for _, stmt := range m.Statements {
			if _, err := x.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("sqldb: migrate %s to version %d: %w", t, m.Version, err)
			}
		}
		if _, err := x.ExecContext(ctx, insert, m.Version, time.Now().UnixMilli()); err != nil {
			return fmt.Errorf("sqldb: migrate %s to version %d: %w", t, m.Version, err)
		}
	}
	return nil
}

// lockKey is the PostgreSQL advisory lock of this schema's migrations.
func (sc *Schema) lockKey() int64 {
	name := sc.LockName
	if name == "" {
		name = sc.VersionTable
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// Version returns the version db is at (0 when the version table is empty;
// an error when it does not exist).
func (sc *Schema) Version(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+sc.VersionTable).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("sqldb: schema version of %s: %w", sc.VersionTable, err)
	}
	return v, nil
}
