package usersync

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// User is the local row of a Clerk user.
type User struct {
	ID         string
	ExternalID string
	// PrimaryEmail is the address of the user's primary email address, or
	// "" when there is none.
	PrimaryEmail string
	FirstName    string
	LastName     string
	Username     string
	ImageURL     string
	// PublicMetadata and PrivateMetadata are Clerk's metadata objects as
	// JSON ("{}" when empty); decode them into your own types.
	PublicMetadata  json.RawMessage
	PrivateMetadata json.RawMessage
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// DeletedAt is when the user was deleted in Clerk; zero while not.
	DeletedAt time.Time
}

// Deleted reports whether the user was deleted in Clerk.
func (u *User) Deleted() bool { return !u.DeletedAt.IsZero() }

// Organization is the local row of a Clerk organization.
type Organization struct {
	ID              string
	Name            string
	Slug            string
	ImageURL        string
	PublicMetadata  json.RawMessage
	PrivateMetadata json.RawMessage
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// DeletedAt is when the organization was deleted; zero while not.
	DeletedAt time.Time
}

// Deleted reports whether the organization was deleted in Clerk.
func (o *Organization) Deleted() bool { return !o.DeletedAt.IsZero() }

// Membership is the local row of a Clerk organization membership.
type Membership struct {
	ID             string
	OrganizationID string
	UserID         string
	// Role is the role key, such as "org:admin".
	Role            string
	PublicMetadata  json.RawMessage
	PrivateMetadata json.RawMessage
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// DeletedAt is when the membership ended; zero while it lasts.
	DeletedAt time.Time
}

// Deleted reports whether the membership ended.
func (m *Membership) Deleted() bool { return !m.DeletedAt.IsZero() }

// User returns the user with this id, deleted or not, or an error wrapping
// ErrNotFound when there is no row.
func (s *Store) User(ctx context.Context, id string) (*User, error) {
	var u User
	var pub, priv string
	var created, updated int64
	var deleted sql.NullInt64
	err := s.queryRow(ctx, s.q.user, id).Scan(&u.ID, &u.ExternalID, &u.PrimaryEmail, &u.FirstName, &u.LastName,
		&u.Username, &u.ImageURL, &pub, &priv, &created, &updated, &deleted)
	if err != nil {
		return nil, readErr("user", err)
	}
	u.PublicMetadata, u.PrivateMetadata = json.RawMessage(pub), json.RawMessage(priv)
	u.CreatedAt, u.UpdatedAt, u.DeletedAt = ms(created), ms(updated), nullMS(deleted)
	return &u, nil
}

// Organization returns the organization with this id, deleted or not, or an
// error wrapping ErrNotFound.
func (s *Store) Organization(ctx context.Context, id string) (*Organization, error) {
	var o Organization
	var pub, priv string
	var created, updated int64
	var deleted sql.NullInt64
	err := s.queryRow(ctx, s.q.org, id).Scan(&o.ID, &o.Name, &o.Slug, &o.ImageURL, &pub, &priv,
		&created, &updated, &deleted)
	if err != nil {
		return nil, readErr("organization", err)
	}
	o.PublicMetadata, o.PrivateMetadata = json.RawMessage(pub), json.RawMessage(priv)
	o.CreatedAt, o.UpdatedAt, o.DeletedAt = ms(created), ms(updated), nullMS(deleted)
	return &o, nil
}

// Membership returns the membership of userID in orgID (the live one when
// there is one, else the newest ended one), or an error wrapping
// ErrNotFound.
func (s *Store) Membership(ctx context.Context, orgID, userID string) (*Membership, error) {
	m, err := scanMembership(s.queryRow(ctx, s.q.membership, orgID, userID))
	return m, readErr("membership", err)
}

// MembershipByID returns the membership with this id, or an error wrapping
// ErrNotFound.
func (s *Store) MembershipByID(ctx context.Context, id string) (*Membership, error) {
	m, err := scanMembership(s.queryRow(ctx, s.q.membershipByID, id))
	return m, readErr("membership", err)
}

// Memberships returns the live memberships of userID, by organization id.
func (s *Store) Memberships(ctx context.Context, userID string) ([]Membership, error) {
	s.queries.Add(1)
	rows, err := s.db.QueryContext(ctx, s.q.memberships, userID)
	if err != nil {
		return nil, readErr("memberships", err)
	}
	defer rows.Close()
	var out []Membership
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, readErr("memberships", err)
		}
		out = append(out, *m)
	}
	return out, readErr("memberships", rows.Err())
}

type scanner interface{ Scan(dest ...any) error }

func scanMembership(r scanner) (*Membership, error) {
	var m Membership
	var pub, priv string
	var created, updated int64
	var deleted sql.NullInt64
	if err := r.Scan(&m.ID, &m.OrganizationID, &m.UserID, &m.Role, &pub, &priv, &created, &updated, &deleted); err != nil {
		return nil, err
	}
	m.PublicMetadata, m.PrivateMetadata = json.RawMessage(pub), json.RawMessage(priv)
	m.CreatedAt, m.UpdatedAt, m.DeletedAt = ms(created), ms(updated), nullMS(deleted)
	return &m, nil
}

func readErr(what string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return &notFound{what: what}
	}
	return wrap("read "+what, err)
}

// notFound is ErrNotFound naming what was looked for.
type notFound struct{ what string }

func (e *notFound) Error() string        { return "usersync: " + e.what + " not found" }
func (e *notFound) Is(target error) bool { return target == ErrNotFound }

func ms(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func nullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return ms(v.Int64)
}
