package usersync

import (
	"strings"

	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// queries are the Store's statements, with the prefix and placeholders of
// one Store filled in once.
type queries struct {
	upsertUser, upsertOrg, upsertMembership, membershipGone   multiRow
	deleteUser, deleteOrg, deleteMembership                   string
	cascadeUser, cascadeOrg                                   string
	user, org, membership, membershipByID, memberships, state string
	progressGet, progressSet, progressReset, activeOrgsAfter  string
}

func buildQueries(d sqldb.Dialect, prefix string) queries {
	q := func(s string) string { return d.Rebind(strings.ReplaceAll(s, "{p}", prefix)) }
	multi := func(head, row, sep, tail string) multiRow {
		p := func(s string) string { return strings.ReplaceAll(s, "{p}", prefix) }
		m := multiRow{d: d, head: p(head), row: row, sep: sep, tail: p(tail)}
		m.one, m.full = m.build(1), m.build(rowsPerStatement)
		return m
	}
	softDelete := func(table string) string {
		return q(`INSERT INTO {p}` + table + ` (id, deleted_at, event_ts) VALUES (?, ?, 0)
ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at
WHERE {p}` + table + `.deleted_at IS NULL`)
	}
	return queries{
		upsertUser: multi(`INSERT INTO {p}users
	(id, external_id, email, first_name, last_name, username, image_url, public_metadata, private_metadata, created_at, updated_at, event_ts)
VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, `, `, `
ON CONFLICT (id) DO UPDATE SET
	external_id = excluded.external_id, email = excluded.email, first_name = excluded.first_name,
	last_name = excluded.last_name, username = excluded.username, image_url = excluded.image_url,
	public_metadata = excluded.public_metadata, private_metadata = excluded.private_metadata,
	created_at = excluded.created_at, updated_at = excluded.updated_at, event_ts = excluded.event_ts
WHERE ({p}users.event_ts, {p}users.updated_at) < (excluded.event_ts, excluded.updated_at)`),
		upsertOrg: multi(`INSERT INTO {p}organizations
	(id, name, slug, image_url, public_metadata, private_metadata, created_at, updated_at, event_ts)
VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?)`, `, `, `
ON CONFLICT (id) DO UPDATE SET
	name = excluded.name, slug = excluded.slug, image_url = excluded.image_url,
	public_metadata = excluded.public_metadata, private_metadata = excluded.private_metadata,
	created_at = excluded.created_at, updated_at = excluded.updated_at, event_ts = excluded.event_ts
WHERE ({p}organizations.event_ts, {p}organizations.updated_at) < (excluded.event_ts, excluded.updated_at)`),
		upsertMembership: multi(`INSERT INTO {p}organization_memberships
	(id, organization_id, user_id, role, public_metadata, private_metadata, created_at, updated_at, event_ts)
VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?)`, `, `, `
ON CONFLICT (id) DO UPDATE SET
	organization_id = excluded.organization_id, user_id = excluded.user_id, role = excluded.role,
	public_metadata = excluded.public_metadata, private_metadata = excluded.private_metadata,
	created_at = excluded.created_at, updated_at = excluded.updated_at, event_ts = excluded.event_ts
WHERE ({p}organization_memberships.event_ts, {p}organization_memberships.updated_at) < (excluded.event_ts, excluded.updated_at)`),
		// The user or the organization of these memberships was deleted
		// before their (older) data arrived: they are gone too, at the
		// earlier of the two deletions.
		membershipGone: multi(`UPDATE {p}organization_memberships SET deleted_at = (
	SELECT MIN(gone.deleted_at) FROM (
		SELECT u.deleted_at FROM {p}users u
			WHERE u.id = {p}organization_memberships.user_id AND u.deleted_at IS NOT NULL
		UNION ALL
		SELECT o.deleted_at FROM {p}organizations o
			WHERE o.id = {p}organization_memberships.organization_id AND o.deleted_at IS NOT NULL
	) gone)
WHERE deleted_at IS NULL AND (
	EXISTS (SELECT 1 FROM {p}users u WHERE u.id = {p}organization_memberships.user_id AND u.deleted_at IS NOT NULL) OR
	EXISTS (SELECT 1 FROM {p}organizations o WHERE o.id = {p}organization_memberships.organization_id AND o.deleted_at IS NOT NULL))
AND id IN (`, `?`, `, `, `)`),
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

// rowsPerStatement bounds the rows of one multi-row statement: 64 rows of
// at most 12 values stay under the 999 parameters of the smallest SQLite
// builds (PostgreSQL allows 65535).
const rowsPerStatement = 64

// multiRow is a statement over 1 to rowsPerStatement rows: head, then row
// repeated with sep between, then tail; the forms for 1 and for
// rowsPerStatement rows are built once, the others when needed.
type multiRow struct {
	d                    sqldb.Dialect
	head, row, sep, tail string
	one, full            string
}

// sql returns the statement for n rows (1 ≤ n ≤ rowsPerStatement).
func (m *multiRow) sql(n int) string {
	switch n {
	case 1:
		return m.one
	case rowsPerStatement:
		return m.full
	}
	return m.build(n)
}

func (m *multiRow) build(n int) string {
	var b strings.Builder
	b.WriteString(m.head)
	for i := range n {
		if i > 0 {
			b.WriteString(m.sep)
		}
		b.WriteString(m.row)
	}
	b.WriteString(m.tail)
	return m.d.Rebind(b.String())
}
