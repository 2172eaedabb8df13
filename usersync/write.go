package usersync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// The write methods take Clerk's objects in the shapes of the webhooks
// package (the JSON Clerk sends in events and answers from the Backend API)
// and the time of the data in Unix milliseconds: the event's timestamp for a
// webhook, the object's updated_at for a Backend API read.
//
// Each write method is one transaction, cascades included: a reader sees a
// deleted user with all of its memberships deleted, or neither. A Batch
// makes many writes in one transaction.

// UpsertUser applies user.created or user.updated data at time ts.
func (s *Store) UpsertUser(ctx context.Context, u *webhooks.User, ts int64) error {
	return s.apply(ctx, []write{{kind: wUpsertUser, user: u, ts: ts}})
}

// DeleteUser applies user.deleted at ts, and deletes the user's memberships.
func (s *Store) DeleteUser(ctx context.Context, id string, ts int64) error {
	return s.apply(ctx, []write{{kind: wDeleteUser, id: id, ts: ts}})
}

// UpsertOrganization applies organization.created or organization.updated
// data at time ts.
func (s *Store) UpsertOrganization(ctx context.Context, o *webhooks.Organization, ts int64) error {
	return s.apply(ctx, []write{{kind: wUpsertOrg, org: o, ts: ts}})
}

// DeleteOrganization applies organization.deleted at ts, and deletes the
// organization's memberships.
func (s *Store) DeleteOrganization(ctx context.Context, id string, ts int64) error {
	return s.apply(ctx, []write{{kind: wDeleteOrg, id: id, ts: ts}})
}

// UpsertMembership applies organizationMembership.created or .updated data
// at time ts. A membership of a user or organization already deleted is
// stored deleted.
func (s *Store) UpsertMembership(ctx context.Context, m *webhooks.OrganizationMembership, ts int64) error {
	return s.apply(ctx, []write{{kind: wUpsertMembership, mem: m, ts: ts}})
}

// DeleteMembership applies organizationMembership.deleted, whose data is the
// removed membership: it is upserted like an update, then deleted.
func (s *Store) DeleteMembership(ctx context.Context, m *webhooks.OrganizationMembership, ts int64) error {
	return s.apply(ctx, []write{{kind: wDeleteMembership, mem: m, ts: ts}})
}

// Batch collects writes for Store.Apply, which makes them in one
// transaction: all or none are applied, and none is visible before all
// are. Each write follows the rules of the Store method of the same name.
// The zero value is an empty batch; a Batch is not safe for concurrent use.
type Batch struct{ writes []write }

// UpsertUser adds Store.UpsertUser(u, ts) to the batch.
func (b *Batch) UpsertUser(u *webhooks.User, ts int64) {
	b.writes = append(b.writes, write{kind: wUpsertUser, user: u, ts: ts})
}

// DeleteUser adds Store.DeleteUser(id, ts) to the batch.
func (b *Batch) DeleteUser(id string, ts int64) {
	b.writes = append(b.writes, write{kind: wDeleteUser, id: id, ts: ts})
}

// UpsertOrganization adds Store.UpsertOrganization(o, ts) to the batch.
func (b *Batch) UpsertOrganization(o *webhooks.Organization, ts int64) {
	b.writes = append(b.writes, write{kind: wUpsertOrg, org: o, ts: ts})
}

// DeleteOrganization adds Store.DeleteOrganization(id, ts) to the batch.
func (b *Batch) DeleteOrganization(id string, ts int64) {
	b.writes = append(b.writes, write{kind: wDeleteOrg, id: id, ts: ts})
}

// UpsertMembership adds Store.UpsertMembership(m, ts) to the batch.
func (b *Batch) UpsertMembership(m *webhooks.OrganizationMembership, ts int64) {
	b.writes = append(b.writes, write{kind: wUpsertMembership, mem: m, ts: ts})
}

// DeleteMembership adds Store.DeleteMembership(m, ts) to the batch.
func (b *Batch) DeleteMembership(m *webhooks.OrganizationMembership, ts int64) {
	b.writes = append(b.writes, write{kind: wDeleteMembership, mem: m, ts: ts})
}

// Len returns the number of writes in the batch.
func (b *Batch) Len() int { return len(b.writes) }

// Reset empties the batch, keeping its memory for the next one.
func (b *Batch) Reset() {
	clear(b.writes)
	b.writes = b.writes[:0]
}

// Apply makes the batch's writes, in order, in one transaction. On error
// none of them is applied. An empty batch does nothing. The batch is left
// as it was (Reset it to reuse it).
func (s *Store) Apply(ctx context.Context, b *Batch) error {
	if b == nil {
		return nil
	}
	return s.apply(ctx, b.writes)
}

type writeKind uint8

const (
	wUpsertUser writeKind = iota + 1
	wDeleteUser
	wUpsertOrg
	wDeleteOrg
	wUpsertMembership
	wDeleteMembership
)

// write is one Batch entry: the object (or the id of a deletion) and ts.
type write struct {
	kind writeKind
	id   string
	ts   int64
	user *webhooks.User
	org  *webhooks.Organization
	mem  *webhooks.OrganizationMembership
}

// errNilObject: a write was given a nil object.
var errNilObject = errors.New("usersync: nil object to write")

func (w *write) check() error {
	switch w.kind {
	case wUpsertUser:
		if w.user == nil {
			return errNilObject
		}
	case wUpsertOrg:
		if w.org == nil {
			return errNilObject
		}
	case wUpsertMembership, wDeleteMembership:
		if w.mem == nil {
			return errNilObject
		}
	}
	return nil
}

// oneStatement reports whether the write is a single statement, atomic
// without a transaction of its own.
func (w *write) oneStatement() bool { return w.kind == wUpsertUser || w.kind == wUpsertOrg }

// objectID is the id of the object an upsert writes.
func (w *write) objectID() string {
	switch w.kind {
	case wUpsertUser:
		return w.user.ID
	case wUpsertOrg:
		return w.org.ID
	case wUpsertMembership, wDeleteMembership:
		return w.mem.ID
	}
	return w.id
}

// dbExec is a *sql.DB or a *sql.Tx.
type dbExec interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *Store) apply(ctx context.Context, ws []write) error {
	for i := range ws {
		if err := ws[i].check(); err != nil {
			return err
		}
	}
	switch {
	case len(ws) == 0:
		return nil
	case len(ws) == 1 && ws[0].oneStatement():
		_, err := s.run(ctx, s.db, ws)
		return err
	}
	s.queries.Add(1)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("begin", err)
	}
	if err := s.lockObjects(ctx, tx, ws); err != nil {
		_ = tx.Rollback()
		return err
	}
	for len(ws) > 0 {
		n, err := s.run(ctx, tx, ws)
		if err != nil {
			_ = tx.Rollback()
			return err
		}
		ws = ws[n:]
	}
	s.queries.Add(1)
	return wrap("commit", tx.Commit())
}

// lockObjects serializes, on PostgreSQL, the transactions whose cascades
// could otherwise miss each other: a user's (or an organization's) deletion
// marks the memberships it sees, and a membership's upsert checks the
// deletions it sees, but under READ COMMITTED neither sees the other's
// uncommitted rows, so a membership written while its user is deleted
// could stay live. Both take a transaction-scoped advisory lock on the user
// and the organization concerned, all of a transaction's locks in one
// statement, after a shared lock on the Store's tables. A transaction that
// would need more than maxLockKeys locks (a large Batch) takes that table
// lock exclusively instead, and no other: PostgreSQL's lock table is small
// (max_locks_per_transaction × max_connections entries for the whole
// server). No cycle of waits can form: an exclusive holder waits for no
// other advisory lock, and the others take their locks before any row.
// SQLite needs none: a write transaction holds the database's only write
// lock from its first statement on.
func (s *Store) lockObjects(ctx context.Context, tx *sql.Tx, ws []write) error {
	if s.dialect != sqldb.Postgres {
		return nil
	}
	var keys []int64
	for i := range ws {
		w := &ws[i]
		switch w.kind {
		case wDeleteUser:
			keys = append(keys, s.lockKey("user", w.id))
		case wDeleteOrg:
			keys = append(keys, s.lockKey("organization", w.id))
		case wUpsertMembership, wDeleteMembership:
			keys = append(keys, s.lockKey("user", w.mem.PublicUserData.UserID),
				s.lockKey("organization", w.mem.Organization.ID))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	tables := s.lockKey("tables", "")
	if len(keys) > maxLockKeys {
		return wrap("lock", s.exec1(ctx, tx, `SELECT pg_advisory_xact_lock(`+strconv.FormatInt(tables, 10)+`::bigint)`))
	}
	// The keys are our own integers, written as literals: one round trip
	// whatever the driver (an array parameter needs driver support).
	var b strings.Builder
	b.WriteString(`SELECT CASE WHEN shared THEN pg_advisory_xact_lock_shared(k) ELSE pg_advisory_xact_lock(k) END FROM (VALUES (`)
	b.WriteString(strconv.FormatInt(tables, 10))
	b.WriteString(`::bigint, true)`)
	for _, k := range keys {
		b.WriteString(", (")
		b.WriteString(strconv.FormatInt(k, 10))
		b.WriteString(", false)")
	}
	b.WriteString(`) AS locks (k, shared)`)
	return wrap("lock", s.exec1(ctx, tx, b.String()))
}

// maxLockKeys bounds the advisory locks one transaction takes (see
// lockObjects): one webhook event takes at most 3.
const maxLockKeys = 64

// lockKey is the advisory lock of one user or organization of this Store's
// tables.
func (s *Store) lockKey(kind, id string) int64 {
	h := fnv.New64a()
	h.Write([]byte("clerkguard/usersync " + s.prefix + " " + kind + " " + id))
	return int64(h.Sum64())
}

// run makes the first write of ws, together with the upserts of the same
// kind that follow it (up to rowsPerStatement rows of distinct ids, in one
// multi-row statement), and returns how many writes it made.
func (s *Store) run(ctx context.Context, x dbExec, ws []write) (int, error) {
	q := &s.q
	w := &ws[0]
	switch w.kind {
	case wDeleteUser:
		if err := s.exec1(ctx, x, q.deleteUser, w.id, w.ts); err != nil {
			return 0, wrap("delete user", err)
		}
		return 1, wrap("delete user's memberships", s.exec1(ctx, x, q.cascadeUser, w.ts, w.id))
	case wDeleteOrg:
		if err := s.exec1(ctx, x, q.deleteOrg, w.id, w.ts); err != nil {
			return 0, wrap("delete organization", err)
		}
		return 1, wrap("delete organization's memberships", s.exec1(ctx, x, q.cascadeOrg, w.ts, w.id))
	case wDeleteMembership:
		if err := s.upsertMemberships(ctx, x, ws[:1]); err != nil {
			return 0, err
		}
		return 1, wrap("delete membership", s.exec1(ctx, x, q.deleteMembership, w.mem.ID, w.ts))
	}
	n := runLength(ws)
	var args []any
	switch w.kind {
	case wUpsertUser:
		args = make([]any, 0, 12*n)
		for i := range n {
			u, ts := ws[i].user, ws[i].ts
			args = append(args, u.ID, str(u.ExternalID), u.PrimaryEmail(), str(u.FirstName), str(u.LastName),
				str(u.Username), u.ImageURL, metadata(u.PublicMetadata), metadata(u.PrivateMetadata),
				u.CreatedAt, u.UpdatedAt, ts)
		}
		return n, wrap("upsert user", s.exec1(ctx, x, q.upsertUser.sql(n), args...))
	case wUpsertOrg:
		args = make([]any, 0, 9*n)
		for i := range n {
			o, ts := ws[i].org, ws[i].ts
			args = append(args, o.ID, o.Name, str(o.Slug), o.ImageURL, metadata(o.PublicMetadata),
				metadata(o.PrivateMetadata), o.CreatedAt, o.UpdatedAt, ts)
		}
		return n, wrap("upsert organization", s.exec1(ctx, x, q.upsertOrg.sql(n), args...))
	case wUpsertMembership:
		return n, s.upsertMemberships(ctx, x, ws[:n])
	}
	return 0, fmt.Errorf("usersync: unknown write %d", w.kind)
}

// upsertMemberships writes memberships of distinct ids, then marks those of
// an already deleted user or organization deleted.
func (s *Store) upsertMemberships(ctx context.Context, x dbExec, ws []write) error {
	args := make([]any, 0, 9*len(ws))
	ids := make([]any, 0, len(ws))
	for i := range ws {
		m, ts := ws[i].mem, ws[i].ts
		args = append(args, m.ID, m.Organization.ID, m.PublicUserData.UserID, m.Role, metadata(m.PublicMetadata),
			metadata(m.PrivateMetadata), m.CreatedAt, m.UpdatedAt, ts)
		ids = append(ids, m.ID)
	}
	if err := s.exec1(ctx, x, s.q.upsertMembership.sql(len(ws)), args...); err != nil {
		return wrap("upsert membership", err)
	}
	return wrap("upsert membership", s.exec1(ctx, x, s.q.membershipGone.sql(len(ws)), ids...))
}

// runLength is how many writes from ws[0] on go into one multi-row
// statement: upserts of ws[0]'s kind, at most rowsPerStatement, with ids
// distinct (PostgreSQL refuses a statement that updates a row twice; a
// repeated id starts the next statement, which keeps the order).
func runLength(ws []write) int {
	kind := ws[0].kind
	if kind != wUpsertUser && kind != wUpsertOrg && kind != wUpsertMembership {
		return 1
	}
	seen := make(map[string]struct{}, min(len(ws), rowsPerStatement))
	n := 0
	for n < len(ws) && n < rowsPerStatement && ws[n].kind == kind {
		id := ws[n].objectID()
		if _, dup := seen[id]; dup {
			break
		}
		seen[id] = struct{}{}
		n++
	}
	return n
}

// exec1 runs one statement, counted as one round trip.
func (s *Store) exec1(ctx context.Context, x dbExec, query string, args ...any) error {
	s.queries.Add(1)
	_, err := x.ExecContext(ctx, query, args...)
	return err
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("usersync: %s: %w", what, err)
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
