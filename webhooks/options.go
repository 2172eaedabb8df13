package webhooks

import (
	"errors"
	"log/slog"
	"time"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// VerifierOption configures NewVerifier. A bad value is an error from
// NewVerifier.
type VerifierOption func(*verifierConfig) error

type verifierConfig struct {
	clock     func() time.Time
	tolerance time.Duration
}

// WithClock sets the clock used for the timestamp check (default
// time.Now). A nil clock keeps the default. Meant for tests.
func WithClock(now func() time.Time) VerifierOption {
	return func(c *verifierConfig) error {
		if now != nil {
			c.clock = now
		}
		return nil
	}
}

// WithTolerance sets how far the signed timestamp may be from the clock, on
// either side, before a delivery is refused as a replay (default
// DefaultTolerance, 5 minutes, as in the Svix and Standard Webhooks
// libraries). Zero or negative is an error: the check cannot be switched
// off.
func WithTolerance(d time.Duration) VerifierOption {
	return func(c *verifierConfig) error {
		if d <= 0 {
			return errors.New("webhooks: WithTolerance: the tolerance must be positive")
		}
		c.tolerance = d
		return nil
	}
}

// HandlerOption configures Handler. A bad value is an error from Handler.
type HandlerOption func(*handlerConfig) error

type handlerConfig struct {
	maxBody      int64
	dedup        Deduplicator
	logger       *slog.Logger
	inFlightWait time.Duration
}

// DefaultInFlightWait is how long Handler lets a duplicate delivery wait
// for the in-flight delivery of the same svix-id before answering 409.
// Svix gives up on an attempt after 15 seconds.
const DefaultInFlightWait = 10 * time.Second

// WithInFlightWait sets how long a delivery whose svix-id is being handled
// by another request waits for it to finish (default DefaultInFlightWait).
// When the other one succeeds, the waiting one answers 200 "duplicate"
// without running anything; when it fails, the waiting one runs the
// handlers itself; when the wait runs out (or the request is cancelled), it
// answers 409 so that Svix retries later. Zero keeps the default; negative
// is an error. Use a tiny value such as time.Nanosecond to answer 409 at
// once.
func WithInFlightWait(d time.Duration) HandlerOption {
	return func(c *handlerConfig) error {
		if d < 0 {
			return errors.New("webhooks: WithInFlightWait: negative duration")
		}
		if d > 0 {
			c.inFlightWait = d
		}
		return nil
	}
}

// DefaultMaxBodyBytes is the default request body limit of Handler (1 MiB);
// a larger body is answered 413.
const DefaultMaxBodyBytes = 1 << 20

// WithMaxBodyBytes sets the request body limit (default DefaultMaxBodyBytes).
// Zero keeps the default; a negative value is an error.
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(c *handlerConfig) error {
		if n < 0 {
			return errors.New("webhooks: WithMaxBodyBytes: negative limit")
		}
		if n > 0 {
			c.maxBody = n
		}
		return nil
	}
}

// WithDeduplicator sets where processed deliveries are remembered (default:
// a MemoryDeduplicator with default settings, which is per process: use
// NewSQLDeduplicator when several instances share the endpoint). Nil keeps
// the default.
func WithDeduplicator(d Deduplicator) HandlerOption {
	return func(c *handlerConfig) error {
		if d != nil {
			c.dedup = d
		}
		return nil
	}
}

// WithLogger sets the logger for rejected deliveries, handler failures,
// recovered panics and deduplicator errors (default slog.Default()). Log
// records carry the reason, the event type and the svix-id, never the
// payload, a signature or the secret. A nil logger is an error, as it is
// for core.WithLogger; to discard the records, pass
// slog.New(slog.DiscardHandler).
func WithLogger(l *slog.Logger) HandlerOption {
	return func(c *handlerConfig) error {
		if l == nil {
			return errors.New("webhooks: WithLogger: logger must not be nil")
		}
		c.logger = l
		return nil
	}
}

// DedupOption configures NewMemoryDeduplicator and NewSQLDeduplicator. An
// option that does not apply to the implementation it is given to is an
// error.
type DedupOption func(*dedupConfig) error

type dedupConfig struct {
	sql        bool
	ttl        time.Duration
	lease      time.Duration
	clock      func() time.Time
	maxEntries int
	dialect    sqldb.Dialect
	table      string
}

// Deduplicator defaults.
const (
	// DefaultDedupTTL is how long a processed svix-id is remembered. Svix
	// retries a failing message for about 28 hours, so 72 hours also covers
	// a manual replay soon after.
	DefaultDedupTTL = 72 * time.Hour
	// DefaultLease is how long a claim stays in flight before another
	// delivery may take it over (a crashed instance's claim expires).
	DefaultLease = time.Minute
	// DefaultMaxEntries bounds the MemoryDeduplicator.
	DefaultMaxEntries = 100_000
	// DefaultTable is the SQLDeduplicator's table name.
	DefaultTable = "clerkguard_webhook_deliveries"
)

func defaultDedupConfig() dedupConfig {
	return dedupConfig{
		ttl:        DefaultDedupTTL,
		lease:      DefaultLease,
		clock:      time.Now,
		maxEntries: DefaultMaxEntries,
		table:      DefaultTable,
	}
}

// WithTTL sets how long a processed delivery is remembered (default
// DefaultDedupTTL). Zero keeps the default; negative is an error.
func WithTTL(d time.Duration) DedupOption {
	return func(c *dedupConfig) error {
		if d < 0 {
			return errors.New("webhooks: WithTTL: negative duration")
		}
		if d > 0 {
			c.ttl = d
		}
		return nil
	}
}

// WithLease sets how long an in-flight claim blocks duplicates before it may
// be taken over (default DefaultLease). Keep it longer than your slowest
// handler. Zero keeps the default; negative is an error.
func WithLease(d time.Duration) DedupOption {
	return func(c *dedupConfig) error {
		if d < 0 {
			return errors.New("webhooks: WithLease: negative duration")
		}
		if d > 0 {
			c.lease = d
		}
		return nil
	}
}

// WithDedupClock sets the deduplicator's clock (default time.Now). Nil keeps
// the default. Meant for tests.
func WithDedupClock(now func() time.Time) DedupOption {
	return func(c *dedupConfig) error {
		if now != nil {
			c.clock = now
		}
		return nil
	}
}

// WithMaxEntries bounds a MemoryDeduplicator (default DefaultMaxEntries).
// When full, expired entries go first, then the oldest. Zero keeps the
// default; negative is an error; the option is an error for the SQL one.
func WithMaxEntries(n int) DedupOption {
	return func(c *dedupConfig) error {
		if c.sql {
			return errors.New("webhooks: WithMaxEntries applies to NewMemoryDeduplicator only")
		}
		if n < 0 {
			return errors.New("webhooks: WithMaxEntries: negative size")
		}
		if n > 0 {
			c.maxEntries = n
		}
		return nil
	}
}

// WithDialect says which database a NewSQLDeduplicator's *sql.DB is,
// sqldb.SQLite or sqldb.Postgres (default: inferred from its driver, see
// sqldb.DriverDialect, else asked of the database on first use). It is an
// error for the memory one.
func WithDialect(d sqldb.Dialect) DedupOption {
	return func(c *dedupConfig) error {
		if !c.sql {
			return errors.New("webhooks: WithDialect applies to NewSQLDeduplicator only")
		}
		if !d.Valid() {
			return errors.New("webhooks: WithDialect: unknown dialect")
		}
		c.dialect = d
		return nil
	}
}

// WithTable sets the SQLDeduplicator's table name (default DefaultTable). It
// must be a plain identifier: letters, digits and underscores, not starting
// with a digit, at most 55 bytes (the schema's version table adds
// "_version"). Empty keeps the default.
func WithTable(name string) DedupOption {
	return func(c *dedupConfig) error {
		if !c.sql {
			return errors.New("webhooks: WithTable applies to NewSQLDeduplicator only")
		}
		if name == "" {
			return nil
		}
		if len(name) > sqldb.MaxIdentifier-len("_version") || !sqldb.ValidIdentifier(name) {
			return errors.New("webhooks: WithTable: not a plain SQL identifier")
		}
		c.table = name
		return nil
	}
}
