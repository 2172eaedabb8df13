package usersync

import (
	"errors"
	"fmt"
)

// Option configures New and Open. A bad value is an error from New.
type Option func(*config) error

type config struct {
	prefix  string
	dialect Dialect
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
		if len(prefix) > 32 || !plainIdent(prefix) {
			return fmt.Errorf("usersync: WithTablePrefix %q: not letters, digits and underscores (at most 32, not starting with a digit)", prefix)
		}
		c.prefix = prefix
		return nil
	}
}

// WithDialect says which database db is (default: detected from its driver,
// which works for modernc.org/sqlite and pgx's stdlib driver). Needed only
// when the *sql.DB comes from another registration of those drivers.
func WithDialect(d Dialect) Option {
	return func(c *config) error {
		if d != SQLite && d != Postgres {
			return errors.New("usersync: WithDialect: unknown dialect")
		}
		c.dialect = d
		return nil
	}
}

func plainIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b == '_', b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z':
		case b >= '0' && b <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}
