package usersync

import (
	"errors"
	"fmt"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// Option configures New and Open. A bad value is an error from New.
type Option func(*config) error

type config struct {
	prefix  string
	dialect sqldb.Dialect
	maxOpen int // Open's connection cap (pool.go)
}

// DefaultTablePrefix starts the name of every table usersync creates:
// clerk_users, clerk_organizations, clerk_organization_memberships,
// clerk_schema_migrations, clerk_webhook_deliveries, clerk_backfill_progress.
const DefaultTablePrefix = "clerk_"

// WithTablePrefix sets the prefix of every table name (default
// DefaultTablePrefix). It must be letters, digits and underscores, not
// starting with a digit, at most 32 bytes. Empty keeps the default.
func WithTablePrefix(prefix string) Option {
	return func(c *config) error {
		if prefix == "" {
			return nil
		}
		if len(prefix) > 32 || !sqldb.ValidIdentifier(prefix) {
			return fmt.Errorf("usersync: WithTablePrefix %q: not letters, digits and underscores (at most 32, not starting with a digit)", prefix)
		}
		c.prefix = prefix
		return nil
	}
}

// WithDialect says which database db is: sqldb.SQLite or sqldb.Postgres
// (default: inferred from the driver's package, see sqldb.DriverDialect,
// else asked of the database once in New). Needed only when neither works.
func WithDialect(d sqldb.Dialect) Option {
	return func(c *config) error {
		if !d.Valid() {
			return errors.New("usersync: WithDialect: unknown dialect")
		}
		c.dialect = d
		return nil
	}
}
