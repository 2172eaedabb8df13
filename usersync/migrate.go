package usersync

import (
	"context"
	"fmt"
	"strings"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
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

// schema is the prefix's migrations for sqldb, which applies the missing
// ones in one transaction excluding every other instance migrating the
// same database (a transaction-scoped advisory lock on PostgreSQL, BEGIN
// IMMEDIATE on SQLite): instances starting together apply each version
// exactly once, and the others find it done.
func schema(prefix string) *sqldb.Schema {
	sc := &sqldb.Schema{
		VersionTable: prefix + "schema_migrations",
		// The advisory lock name of usersync before sqldb, so that an
		// older instance starting beside this one is excluded too.
		LockName: "clerkguard/usersync migrations " + prefix,
	}
	for _, m := range migrations {
		stmts := make([]string, len(m.stmts))
		for i, st := range m.stmts {
			stmts[i] = strings.ReplaceAll(st, "{p}", prefix)
		}
		sc.Migrations = append(sc.Migrations, sqldb.Migration{Version: m.version, Statements: stmts})
	}
	return sc
}

func (s *Store) migrate(ctx context.Context) error {
	if err := s.schema.Migrate(ctx, s.db, s.dialect); err != nil {
		return fmt.Errorf("usersync: %w", err)
	}
	return nil
}

// Version returns the schema version the database is at.
func (s *Store) Version(ctx context.Context) (int, error) {
	v, err := s.schema.Version(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("usersync: %w", err)
	}
	return v, nil
}
