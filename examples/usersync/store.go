package main

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/clerkguard/clerkguard/webhooks"
)

// Store keeps the users, organizations and organization_memberships tables.
//
// Every row carries event_ts, the Clerk event timestamp (ms) of the newest
// event whose data it holds. An upsert only changes a row when its event is
// newer (for two events of the same millisecond: when the object's own
// updated_at is newer), so replays are idempotent and an older user.updated
// never overwrites a newer one. Deletions are soft (deleted_at) and terminal, and
// kept apart from the data: a deletion that arrives before the creation
// leaves a tombstone that stays deleted, and upserts never clear
// deleted_at. The final state therefore does not depend on the order in
// which events arrive: the newest data, plus deleted_at if any deletion came.
//
// Deleting a user or an organization also soft-deletes its memberships, and
// a membership event for a user or organization already deleted stores the
// membership as deleted, whatever the order of arrival.
//
// The SQL is the common subset of SQLite (3.24+) and PostgreSQL (9.5+).
type Store struct {
	db       *sql.DB
	postgres bool
}

// NewStore returns a Store; postgres selects "$1" placeholders.
func NewStore(db *sql.DB, postgres bool) *Store { return &Store{db: db, postgres: postgres} }

var schema = []string{
	`CREATE TABLE IF NOT EXISTS users (
	id TEXT NOT NULL PRIMARY KEY,
	email TEXT NOT NULL DEFAULT '',
	first_name TEXT NOT NULL DEFAULT '',
	last_name TEXT NOT NULL DEFAULT '',
	username TEXT NOT NULL DEFAULT '',
	image_url TEXT NOT NULL DEFAULT '',
	public_metadata TEXT NOT NULL DEFAULT '{}',
	created_at BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL DEFAULT 0,
	deleted_at BIGINT,
	event_ts BIGINT NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS organizations (
	id TEXT NOT NULL PRIMARY KEY,
	name TEXT NOT NULL DEFAULT '',
	slug TEXT NOT NULL DEFAULT '',
	image_url TEXT NOT NULL DEFAULT '',
	public_metadata TEXT NOT NULL DEFAULT '{}',
	created_at BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL DEFAULT 0,
	deleted_at BIGINT,
	event_ts BIGINT NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS organization_memberships (
	id TEXT NOT NULL PRIMARY KEY,
	organization_id TEXT NOT NULL DEFAULT '',
	user_id TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL DEFAULT 0,
	deleted_at BIGINT,
	event_ts BIGINT NOT NULL
)`,
	`CREATE INDEX IF NOT EXISTS organization_memberships_org ON organization_memberships (organization_id)`,
	`CREATE INDEX IF NOT EXISTS organization_memberships_user ON organization_memberships (user_id)`,
}

// Migrate creates the tables if they do not exist.
func (s *Store) Migrate(ctx context.Context) error {
	for _, q := range schema {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// q rewrites "?" placeholders for PostgreSQL.
func (s *Store) q(query string) string {
	if !s.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Store) exec(ctx context.Context, query string, args ...any) error {
	_, err := s.db.ExecContext(ctx, s.q(query), args...)
	return err
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func metadata(raw []byte) string {
	if len(raw) == 0 || string(raw) == "null" {
		return "{}"
	}
	return string(raw)
}

// UpsertUser applies user.created or user.updated at event time ts.
func (s *Store) UpsertUser(ctx context.Context, u *webhooks.User, ts int64) error {
	return s.exec(ctx, `INSERT INTO users
	(id, email, first_name, last_name, username, image_url, public_metadata, created_at, updated_at, event_ts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
	username = excluded.username, image_url = excluded.image_url,
	public_metadata = excluded.public_metadata, created_at = excluded.created_at,
	updated_at = excluded.updated_at, event_ts = excluded.event_ts
WHERE (users.event_ts, users.updated_at) < (excluded.event_ts, excluded.updated_at)`,
		u.ID, u.PrimaryEmail(), str(u.FirstName), str(u.LastName), str(u.Username), u.ImageURL,
		metadata(u.PublicMetadata), u.CreatedAt, u.UpdatedAt, ts)
}

// softDelete marks id deleted at ts in table (a tombstone row if the id was
// never seen); the first deletion wins and the data columns are untouched.
func (s *Store) softDelete(ctx context.Context, table, id string, ts int64) error {
	return s.exec(ctx, `INSERT INTO `+table+` (id, deleted_at, event_ts) VALUES (?, ?, 0)
ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at
WHERE `+table+`.deleted_at IS NULL`, id, ts)
}

// DeleteUser applies user.deleted, and soft-deletes the user's memberships.
func (s *Store) DeleteUser(ctx context.Context, id string, ts int64) error {
	if err := s.softDelete(ctx, "users", id, ts); err != nil {
		return err
	}
	return s.exec(ctx, `UPDATE organization_memberships SET deleted_at = ?
WHERE user_id = ? AND deleted_at IS NULL`, ts, id)
}

// UpsertOrganization applies organization.created or organization.updated.
func (s *Store) UpsertOrganization(ctx context.Context, o *webhooks.Organization, ts int64) error {
	return s.exec(ctx, `INSERT INTO organizations
	(id, name, slug, image_url, public_metadata, created_at, updated_at, event_ts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	name = excluded.name, slug = excluded.slug, image_url = excluded.image_url,
	public_metadata = excluded.public_metadata, created_at = excluded.created_at,
	updated_at = excluded.updated_at, event_ts = excluded.event_ts
WHERE (organizations.event_ts, organizations.updated_at) < (excluded.event_ts, excluded.updated_at)`,
		o.ID, o.Name, str(o.Slug), o.ImageURL, metadata(o.PublicMetadata), o.CreatedAt, o.UpdatedAt, ts)
}

// DeleteOrganization applies organization.deleted, and soft-deletes the
// organization's memberships.
func (s *Store) DeleteOrganization(ctx context.Context, id string, ts int64) error {
	if err := s.softDelete(ctx, "organizations", id, ts); err != nil {
		return err
	}
	return s.exec(ctx, `UPDATE organization_memberships SET deleted_at = ?
WHERE organization_id = ? AND deleted_at IS NULL`, ts, id)
}

// UpsertMembership applies organizationMembership.created or .updated.
func (s *Store) UpsertMembership(ctx context.Context, m *webhooks.OrganizationMembership, ts int64) error {
	if err := s.exec(ctx, `INSERT INTO organization_memberships
	(id, organization_id, user_id, role, created_at, updated_at, event_ts)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	organization_id = excluded.organization_id, user_id = excluded.user_id, role = excluded.role,
	created_at = excluded.created_at, updated_at = excluded.updated_at, event_ts = excluded.event_ts
WHERE (organization_memberships.event_ts, organization_memberships.updated_at) < (excluded.event_ts, excluded.updated_at)`,
		m.ID, m.Organization.ID, m.PublicUserData.UserID, m.Role, m.CreatedAt, m.UpdatedAt, ts); err != nil {
		return err
	}
	// The user or the organization was deleted before this (older) event
	// arrived: the membership is gone too.
	return s.exec(ctx, `UPDATE organization_memberships SET deleted_at = (
	SELECT MIN(deleted_at) FROM (
		SELECT deleted_at FROM users WHERE id = ? AND deleted_at IS NOT NULL
		UNION ALL
		SELECT deleted_at FROM organizations WHERE id = ? AND deleted_at IS NOT NULL
	) gone)
WHERE id = ? AND deleted_at IS NULL AND (
	EXISTS (SELECT 1 FROM users WHERE id = ? AND deleted_at IS NOT NULL) OR
	EXISTS (SELECT 1 FROM organizations WHERE id = ? AND deleted_at IS NOT NULL))`,
		m.PublicUserData.UserID, m.Organization.ID, m.ID, m.PublicUserData.UserID, m.Organization.ID)
}

// DeleteMembership applies organizationMembership.deleted, whose data is the
// removed membership: it is upserted like an update, then soft-deleted.
func (s *Store) DeleteMembership(ctx context.Context, m *webhooks.OrganizationMembership, ts int64) error {
	if err := s.UpsertMembership(ctx, m, ts); err != nil {
		return err
	}
	return s.softDelete(ctx, "organization_memberships", m.ID, ts)
}
