package webhooks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// SQLDeduplicator is a Deduplicator in a database/sql table, so several
// instances behind a load balancer share one memory of deliveries. It runs
// on SQLite and PostgreSQL through the driver you import (any of those
// sqldb.DriverDialect knows; for another, such as a tracing wrapper, the
// database is asked once, or say which with WithDialect).
//
// The table (DefaultTable unless WithTable) is created on first use, by a
// versioned migration (sqldb.Schema, recorded in <table>_version) that
// instances starting together run once:
//
//	CREATE TABLE IF NOT EXISTS clerkguard_webhook_deliveries (
//		id VARCHAR(255) NOT NULL PRIMARY KEY,
//		state VARCHAR(16) NOT NULL,      -- 'inflight' or 'done'
//		expires_at BIGINT NOT NULL       -- Unix milliseconds
//	)
//	CREATE INDEX IF NOT EXISTS clerkguard_webhook_deliveries_expires_at ON … (expires_at)
//
// Expired rows are deleted at most once a minute, during Claim.
//
// With SQLite, concurrent writers need a busy timeout (for modernc.org/sqlite:
// "file:app.db?_pragma=busy_timeout(5000)") or db.SetMaxOpenConns(1).
type SQLDeduplicator struct {
	db  *sql.DB
	cfg dedupConfig

	schema  sqldb.Schema
	dialect sqldb.Dialect

	// The queries, set with the dialect (at construction, or by
	// EnsureSchema when it had to be asked) and read-only afterwards.
	qInsert, qSelect, qTakeOver, qComplete, qRelease, qPurge string

	mu        sync.Mutex
	ready     bool
	nextPurge time.Time
}

// NewSQLDeduplicator returns a SQLDeduplicator on db. Options: WithDialect,
// WithTable, WithTTL, WithLease, WithDedupClock. It does not touch the
// database; the schema is created on the first call (EnsureSchema).
func NewSQLDeduplicator(db *sql.DB, opts ...DedupOption) (*SQLDeduplicator, error) {
	if db == nil {
		return nil, errors.New("webhooks: NewSQLDeduplicator: nil *sql.DB")
	}
	cfg := defaultDedupConfig()
	cfg.sql = true
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	t := cfg.table
	s := &SQLDeduplicator{db: db, cfg: cfg, schema: sqldb.Schema{
		VersionTable: t + "_version",
		Migrations: []sqldb.Migration{{Version: 1, Statements: []string{
			`CREATE TABLE IF NOT EXISTS ` + t + ` (
	id VARCHAR(255) NOT NULL PRIMARY KEY,
	state VARCHAR(16) NOT NULL,
	expires_at BIGINT NOT NULL
)`,
			`CREATE INDEX IF NOT EXISTS ` + t + `_expires_at ON ` + t + ` (expires_at)`,
		}}},
	}}
	d := cfg.dialect
	if d == 0 {
		d = sqldb.DriverDialect(db)
	}
	if d != 0 {
		s.setDialect(d)
	}
	return s, nil
}

func (s *SQLDeduplicator) setDialect(d sqldb.Dialect) {
	q := func(q string) string { return d.Rebind(strings.ReplaceAll(q, "$T", s.cfg.table)) }
	s.dialect = d
	s.qInsert = q(`INSERT INTO $T (id, state, expires_at) VALUES (?, 'inflight', ?) ON CONFLICT (id) DO NOTHING`)
	s.qSelect = q(`SELECT state, expires_at FROM $T WHERE id = ?`)
	s.qTakeOver = q(`UPDATE $T SET state = 'inflight', expires_at = ? WHERE id = ? AND state = ? AND expires_at = ?`)
	s.qComplete = q(`INSERT INTO $T (id, state, expires_at) VALUES (?, 'done', ?) ON CONFLICT (id) DO UPDATE SET state = 'done', expires_at = excluded.expires_at`)
	s.qRelease = q(`DELETE FROM $T WHERE id = ? AND state = 'inflight'`)
	s.qPurge = q(`DELETE FROM $T WHERE expires_at <= ?`)
}

// EnsureSchema creates the table and its index if they do not exist (see
// SQLDeduplicator), first asking the database which dialect it is when the
// driver did not say. Claim, Complete and Release call it until it succeeds
// once; call it at startup to fail early.
func (s *SQLDeduplicator) EnsureSchema(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready {
		return nil
	}
	if s.dialect == 0 {
		d, err := sqldb.Detect(ctx, s.db)
		if err != nil {
			return fmt.Errorf("webhooks: deduplication table: %w (use WithDialect)", err)
		}
		s.setDialect(d)
	}
	if err := s.schema.Migrate(ctx, s.db, s.dialect); err != nil {
		return fmt.Errorf("webhooks: creating deduplication table: %w", err)
	}
	s.ready = true
	return nil
}

// Claim implements Deduplicator: an INSERT … ON CONFLICT DO NOTHING takes a
// new id; an expired row is taken over with a compare-and-swap UPDATE, so of
// concurrent Claims at most one wins.
func (s *SQLDeduplicator) Claim(ctx context.Context, id string) (Claim, error) {
	if id == "" {
		return 0, errEmptyID
	}
	if err := s.EnsureSchema(ctx); err != nil {
		return 0, err
	}
	now := s.cfg.clock()
	s.purge(ctx, now)
	leaseEnd := now.Add(s.cfg.lease).UnixMilli()
	for range 3 {
		res, err := s.db.ExecContext(ctx, s.qInsert, id, leaseEnd)
		if err != nil {
			return 0, fmt.Errorf("webhooks: claiming delivery: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("webhooks: claiming delivery: %w", err)
		} else if n == 1 {
			return Claimed, nil
		}
		var state string
		var expires int64
		err = s.db.QueryRowContext(ctx, s.qSelect, id).Scan(&state, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			continue // released meanwhile: try the insert again
		}
		if err != nil {
			return 0, fmt.Errorf("webhooks: reading delivery: %w", err)
		}
		if now.UnixMilli() < expires {
			if state == "done" {
				return AlreadyProcessed, nil
			}
			return InFlight, nil
		}
		res, err = s.db.ExecContext(ctx, s.qTakeOver, leaseEnd, id, state, expires)
		if err != nil {
			return 0, fmt.Errorf("webhooks: taking over delivery: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("webhooks: taking over delivery: %w", err)
		} else if n == 1 {
			return Claimed, nil
		}
	}
	// Lost every race: someone else is working on it.
	return InFlight, nil
}

// Complete implements Deduplicator.
func (s *SQLDeduplicator) Complete(ctx context.Context, id string) error {
	if id == "" {
		return errEmptyID
	}
	if err := s.EnsureSchema(ctx); err != nil {
		return err
	}
	exp := s.cfg.clock().Add(s.cfg.ttl).UnixMilli()
	if _, err := s.db.ExecContext(ctx, s.qComplete, id, exp); err != nil {
		return fmt.Errorf("webhooks: completing delivery: %w", err)
	}
	return nil
}

// Release implements Deduplicator. A completed id stays completed.
func (s *SQLDeduplicator) Release(ctx context.Context, id string) error {
	if err := s.EnsureSchema(ctx); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, s.qRelease, id); err != nil {
		return fmt.Errorf("webhooks: releasing delivery: %w", err)
	}
	return nil
}

// purge deletes expired rows at most once a minute. Errors are ignored: the
// rows are harmless and the next purge retries.
func (s *SQLDeduplicator) purge(ctx context.Context, now time.Time) {
	s.mu.Lock()
	due := !now.Before(s.nextPurge)
	if due {
		s.nextPurge = now.Add(time.Minute)
	}
	s.mu.Unlock()
	if due {
		_, _ = s.db.ExecContext(ctx, s.qPurge, now.UnixMilli())
	}
}
