package usersync

import (
	"strings"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// queries are the Store's statements, with the prefix and placeholders of
// one Store filled in once.
type queries struct {
	upsertUser, upsertOrg, upsertMembership, membershipGone   string
	deleteUser, deleteOrg, deleteMembership                   string
	cascadeUser, cascadeOrg                                   string
	user, org, membership, membershipByID, memberships, state string
	progressGet, progressSet, progressReset, activeOrgsAfter  string
}

func buildQueries(d sqldb.Dialect, prefix string) queries {
	q := func(s string) string { return d.Rebind(strings.ReplaceAll(s, "{p}", prefix)) }
	softDelete := func(table string) string {
		return q(`INSERT INTO {p}` + table + ` (id, deleted_at, event_ts) VALUES (?, ?, 0)
ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at
WHERE {p}` + table + `.deleted_at IS NULL`)
	}
	return queries{
		upsertUser: q(`INSERT INTO {p}users
	(id, external_id, email, first_name, last_name, username, image_url, public_metadata, private_metadata, created_at, updated_at, event_ts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	external_id = excluded.external_id, email = excluded.email, first_name = excluded.first_name,
	last_name = excluded.last_name, username = excluded.username, image_url = excluded.image_url,
	public_metadata = excluded.public_metadata, private_metadata = excluded.private_metadata,
	created_at = excluded.created_at, updated_at = excluded.updated_at, event_ts = excluded.event_ts
WHERE ({p}users.event_ts, {p}users.updated_at) < (excluded.event_ts, excluded.updated_at)`),
		upsertOrg: q(`INSERT INTO {p}organizations
	(id, name, slug, image_url, public_metadata, private_metadata, created_at, updated_at, event_ts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	name = excluded.name, slug = excluded.slug, image_url = excluded.image_url,
	public_metadata = excluded.public_metadata, private_metadata = excluded.private_metadata,
	created_at = excluded.created_at, updated_at = excluded.updated_at, event_ts = excluded.event_ts
WHERE ({p}organizations.event_ts, {p}organizations.updated_at) < (excluded.event_ts, excluded.updated_at)`),
		upsertMembership: q(`INSERT INTO {p}organization_memberships
	(id, organization_id, user_id, role, public_metadata, private_metadata, created_at, updated_at, event_ts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	organization_id = excluded.organization_id, user_id = excluded.user_id, role = excluded.role,
	public_metadata = excluded.public_metadata, private_metadata = excluded.private_metadata,
	created_at = excluded.created_at, updated_at = excluded.updated_at, event_ts = excluded.event_ts
WHERE ({p}organization_memberships.event_ts, {p}organization_memberships.updated_at) < (excluded.event_ts, excluded.updated_at)`),
		// The user or the organization was deleted before this (older)
		// membership data arrived: the membership is gone too.
		membershipGone: q(`UPDATE {p}organization_memberships SET deleted_at = (
	SELECT MIN(deleted_at) FROM (
		SELECT deleted_at FROM {p}users WHERE id = ? AND deleted_at IS NOT NULL
		UNION ALL
		SELECT deleted_at FROM {p}organizations WHERE id = ? AND deleted_at IS NOT NULL
	) gone)
WHERE id = ? AND deleted_at IS NULL AND (
	EXISTS (SELECT 1 FROM {p}users WHERE id = ? AND deleted_at IS NOT NULL) OR
	EXISTS (SELECT 1 FROM {p}organizations WHERE id = ? AND deleted_at IS NOT NULL))`),
		deleteUser:       softDelete("users"),
		deleteOrg:        softDelete("organizations"),
		deleteMembership: softDelete("organization_memberships"),
		cascadeUser: q(`UPDATE {p}organization_memberships SET deleted_at = ?
WHERE user_id = ? AND deleted_at IS NULL`),
		cascadeOrg: q(`UPDATE {p}organization_memberships SET deleted_at = ?
WHERE organization_id = ? AND deleted_at IS NULL`),
		user: q(`SELECT id, external_id, email, first_name, last_name, username, image_url,
	public_metadata, private_metadata, created_at, updated_at, deleted_at
FROM {p}users WHERE id = ?`),
		org: q(`SELECT id, name, slug, image_url, public_metadata, private_metadata, created_at, updated_at, deleted_at
FROM {p}organizations WHERE id = ?`),
		membership: q(`SELECT ` + membershipCols + ` FROM {p}organization_memberships
WHERE organization_id = ? AND user_id = ?
ORDER BY CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END, event_ts DESC LIMIT 1`),
		membershipByID: q(`SELECT ` + membershipCols + ` FROM {p}organization_memberships WHERE id = ?`),
		memberships: q(`SELECT ` + membershipCols + ` FROM {p}organization_memberships
WHERE user_id = ? AND deleted_at IS NULL ORDER BY organization_id`),
		// state: one round trip for the just-in-time check; each column is
		// NULL (no row), 0 (tombstone without data), 1 (present), 2
		// (deleted), for the user, the organization and the membership.
		state: q(`SELECT
	(SELECT ` + stateExpr + ` FROM {p}users WHERE id = ?),
	(SELECT ` + stateExpr + ` FROM {p}organizations WHERE id = ?),
	(SELECT MIN(` + stateExpr + `) FROM {p}organization_memberships
		WHERE organization_id = ? AND user_id = ? AND event_ts > 0)`),
		progressGet:     q(`SELECT next_offset, done FROM {p}backfill_progress WHERE name = ?`),
		progressSet:     q(`INSERT INTO {p}backfill_progress (name, next_offset, done) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET next_offset = excluded.next_offset, done = excluded.done`),
		progressReset:   q(`DELETE FROM {p}backfill_progress`),
		activeOrgsAfter: q(`SELECT id FROM {p}organizations WHERE id > ? AND deleted_at IS NULL AND event_ts > 0 ORDER BY id LIMIT ?`),
	}
}

const membershipCols = `id, organization_id, user_id, role, public_metadata, private_metadata, created_at, updated_at, deleted_at`

// stateExpr ranks a row for the just-in-time check: present (1) sorts
// before deleted (2) so MIN picks a live membership when there is one.
const stateExpr = `CASE WHEN deleted_at IS NOT NULL THEN 2 WHEN event_ts > 0 THEN 1 ELSE 0 END`
