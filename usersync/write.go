package usersync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/clerkguard/clerkguard/webhooks"
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
		return s.run(ctx, &runner{s: s, x: s.db}, &ws[0])
	}
	s.queries.Add(1)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("begin", err)
	}
	r := &runner{s: s, x: tx, tx: tx}
	if len(ws) > 1 {
		r.stmts = map[string]*sql.Stmt{}
	}
	for i := range ws {
		if err := s.run(ctx, r, &ws[i]); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	s.queries.Add(1)
	return wrap("commit", tx.Commit())
}

// run makes one write with r.
func (s *Store) run(ctx context.Context, r *runner, w *write) error {
	q := &s.q
	switch w.kind {
	case wUpsertUser:
		u := w.user
		return wrap("upsert user", r.exec(ctx, q.upsertUser, u.ID, str(u.ExternalID), u.PrimaryEmail(), str(u.FirstName),
			str(u.LastName), str(u.Username), u.ImageURL, metadata(u.PublicMetadata), metadata(u.PrivateMetadata),
			u.CreatedAt, u.UpdatedAt, w.ts))
	case wDeleteUser:
		if err := r.exec(ctx, q.deleteUser, w.id, w.ts); err != nil {
			return wrap("delete user", err)
		}
		return wrap("delete user's memberships", r.exec(ctx, q.cascadeUser, w.ts, w.id))
	case wUpsertOrg:
		o := w.org
		return wrap("upsert organization", r.exec(ctx, q.upsertOrg, o.ID, o.Name, str(o.Slug), o.ImageURL,
			metadata(o.PublicMetadata), metadata(o.PrivateMetadata), o.CreatedAt, o.UpdatedAt, w.ts))
	case wDeleteOrg:
		if err := r.exec(ctx, q.deleteOrg, w.id, w.ts); err != nil {
			return wrap("delete organization", err)
		}
		return wrap("delete organization's memberships", r.exec(ctx, q.cascadeOrg, w.ts, w.id))
	case wUpsertMembership, wDeleteMembership:
		m := w.mem
		uid, oid := m.PublicUserData.UserID, m.Organization.ID
		if err := r.exec(ctx, q.upsertMembership, m.ID, oid, uid, m.Role, metadata(m.PublicMetadata),
			metadata(m.PrivateMetadata), m.CreatedAt, m.UpdatedAt, w.ts); err != nil {
			return wrap("upsert membership", err)
		}
		if err := r.exec(ctx, q.membershipGone, uid, oid, m.ID, uid, oid); err != nil {
			return wrap("upsert membership", err)
		}
		if w.kind == wDeleteMembership {
			return wrap("delete membership", r.exec(ctx, q.deleteMembership, m.ID, w.ts))
		}
		return nil
	}
	return fmt.Errorf("usersync: unknown write %d", w.kind)
}

// runner executes a write's statements on the database or in a
// transaction; in a transaction of several writes each statement is
// prepared once.
type runner struct {
	s *Store
	x interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	}
	tx    *sql.Tx
	stmts map[string]*sql.Stmt // nil: no preparing
}

func (r *runner) exec(ctx context.Context, query string, args ...any) error {
	r.s.queries.Add(1)
	if r.stmts == nil {
		_, err := r.x.ExecContext(ctx, query, args...)
		return err
	}
	st := r.stmts[query]
	if st == nil {
		var err error
		if st, err = r.tx.PrepareContext(ctx, query); err != nil {
			return err
		}
		r.s.queries.Add(1)
		r.stmts[query] = st
	}
	_, err := st.ExecContext(ctx, args...)
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
