package webhooks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Dialect is the SQL placeholder style of a SQLDeduplicator.
type Dialect int

const (
	// DialectSQLite uses "?" placeholders (SQLite 3.24+, the default).
	DialectSQLite Dialect = iota
	// DialectPostgres uses "$1" placeholders (PostgreSQL 9.5+).
	DialectPostgres
)

// SQLDeduplicator is a Deduplicator in a database/sql table, so several
// instances behind a load balancer share one memory of deliveries. The SQL is
// portable between SQLite and PostgreSQL (INSERT … ON CONFLICT); choose the
// placeholder style with WithDialect.
//
// The table (DefaultTable unless WithTable) is created on first use:
//
//	CREATE TABLE IF NOT EXISTS clerkguard_webhook_deliveries (
//		id VARCHAR(255) NOT NULL PRIMARY KEY,
//		state VARCHAR(16) NOT NULL,      -- 'inflight' or 'done'
//		expires_at BIGINT NOT NULL       -- Unix milliseconds
//	)
//
// Expired rows are deleted at most once a minute, during Claim.
//
// With SQLite, concurrent writers need a busy timeout (for modernc.org/sqlite:
// "file:app.db?_pragma=busy_timeout(5000)") or db.SetMaxOpenConns(1).
type SQLDeduplicator struct {
	db  *sql.DB
	cfg dedupConfig

	qCreate, qIndex, qInsert, qSelect, qTakeOver, qComplete, qRelease, qPurge string

	mu        sync.Mutex
	ready     bool
	nextPurge time.Time
}

// NewSQLDeduplicator returns a SQLDeduplicator on db. Options: WithDialect,
// WithTable, WithTTL, WithLease, WithDedupClock. It does not touch the
// database; the schema is created on the first call.
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
	q := func(s string) string { return rebind(cfg.dialect, strings.ReplaceAll(s, "$T", t)) }
	return &SQLDeduplicator{
		db:  db,
		cfg: cfg,
		qCreate: q(`CREATE TABLE IF NOT EXISTS $T (
	id VARCHAR(255) NOT NULL PRIMARY KEY,
	state VARCHAR(16) NOT NULL,
	expires_at BIGINT NOT NULL
)`),
		qIndex:    q(`CREATE INDEX IF NOT EXISTS $T_expires_at ON $T (expires_at)`),
		qInsert:   q(`INSERT INTO $T (id, state, expires_at) VALUES (?, 'inflight', ?) ON CONFLICT (id) DO NOTHING`),
		qSelect:   q(`SELECT state, expires_at FROM $T WHERE id = ?`),
		qTakeOver: q(`UPDATE $T SET state = 'inflight', expires_at = ? WHERE id = ? AND state = ? AND expires_at = ?`),
		qComplete: q(`INSERT INTO $T (id, state, expires_at) VALUES (?, 'done', ?) ON CONFLICT (id) DO UPDATE SET state = 'done', expires_at = excluded.expires_at`),
		qRelease:  q(`DELETE FROM $T WHERE id = ? AND state = 'inflight'`),
		qPurge:    q(`DELETE FROM $T WHERE expires_at <= ?`),
	}, nil
}

// rebind turns "?" placeholders into "$1", "$2", … for PostgreSQL.
func rebind(d Dialect, q string) string {
	if d != DialectPostgres {
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

// EnsureSchema creates the table and its index if they do not exist, retrying
// briefly when another instance is creating them at the same moment. Claim,
// Complete and Release call it until it succeeds once; call it at startup to
// fail early.
func (s *SQLDeduplicator) EnsureSchema(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready {
		return nil
	}
	// Instances starting together race to create the table: PostgreSQL's
	// CREATE … IF NOT EXISTS can then fail with a unique violation in its
	// catalog while the other creation commits. Once that one committed, IF
	// NOT EXISTS succeeds, so a failure is retried a few times.
	var err error
	for attempt := range 4 {
		if attempt > 0 {
			t := time.NewTimer(time.Duration(attempt*attempt) * 10 * time.Millisecond)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("webhooks: creating deduplication table: %w", err)
			case <-t.C:
			}
		}
		if _, err = s.db.ExecContext(ctx, s.qCreate); err != nil {
			err = fmt.Errorf("webhooks: creating deduplication table: %w", err)
			continue
		}
		if _, err = s.db.ExecContext(ctx, s.qIndex); err != nil {
			err = fmt.Errorf("webhooks: creating deduplication index: %w", err)
			continue
		}
		s.ready = true
		return nil
	}
	return err
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
