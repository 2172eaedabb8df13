package usersync

import (
	"database/sql"
	"fmt"
)

// DefaultMaxOpenConns is the connection cap Open sets on the database's
// pool: well under PostgreSQL's default max_connections (100), so several
// instances and a backfill fit beside each other, and above
// DefaultMaxConcurrent, so just-in-time provisioning never waits for a
// connection behind itself.
const DefaultMaxOpenConns = 10

// WithMaxOpenConns sets the connection cap of the pool Open creates
// (default DefaultMaxOpenConns); idle connections are kept up to the same
// number. It does nothing for New, whose *sql.DB is yours to size
// (db.SetMaxOpenConns). Zero keeps the default; negative or above 1000 is an
// error.
func WithMaxOpenConns(n int) Option {
	return func(c *config) error {
		if n < 0 || n > 1000 {
			return fmt.Errorf("usersync: WithMaxOpenConns %d: want 1 to 1000", n)
		}
		if n > 0 {
			c.maxOpen = n
		}
		return nil
	}
}

// capPool applies Open's connection cap (WithMaxOpenConns or the default).
func capPool(db *sql.DB, opts []Option) error {
	cfg := config{maxOpen: DefaultMaxOpenConns}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return err
		}
	}
	db.SetMaxOpenConns(cfg.maxOpen)
	db.SetMaxIdleConns(cfg.maxOpen)
	return nil
}
