package usersync

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// User is the local row of a Clerk user (table <prefix>users). Its JSON
// names are the column names; a time is omitted while unknown (a tombstone
// written by a deletion that arrived first has no creation time), and
// deleted_at is null while the user exists.
type User struct {
	ID         string `json:"id"`
	ExternalID string `json:"external_id"`
	// PrimaryEmail is the address of the user's primary email address, or
	// "" when there is none (column email).
	PrimaryEmail string `json:"email"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Username     string `json:"username"`
	ImageURL     string `json:"image_url"`
	// PublicMetadata and PrivateMetadata are Clerk's metadata objects as
	// JSON ("{}" when empty); decode them into your own types.
	PublicMetadata  json.RawMessage `json:"public_metadata"`
	PrivateMetadata json.RawMessage `json:"private_metadata"`
	CreatedAt       time.Time       `json:"created_at,omitzero"`
	UpdatedAt       time.Time       `json:"updated_at,omitzero"`
	// DeletedAt is when the user was deleted in Clerk; nil while not.
	DeletedAt *time.Time `json:"deleted_at"`
}

// Deleted reports whether the user was deleted in Clerk.
func (u *User) Deleted() bool { return u.DeletedAt != nil }

// Organization is the local row of a Clerk organization (table
// <prefix>organizations), with the JSON conventions of User.
type Organization struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Slug            string          `json:"slug"`
	ImageURL        string          `json:"image_url"`
	PublicMetadata  json.RawMessage `json:"public_metadata"`
	PrivateMetadata json.RawMessage `json:"private_metadata"`
	CreatedAt       time.Time       `json:"created_at,omitzero"`
	UpdatedAt       time.Time       `json:"updated_at,omitzero"`
	// DeletedAt is when the organization was deleted; nil while not.
	DeletedAt *time.Time `json:"deleted_at"`
}

// Deleted reports whether the organization was deleted in Clerk.
func (o *Organization) Deleted() bool { return o.DeletedAt != nil }

// Membership is the local row of a Clerk organization membership (table
// <prefix>organization_memberships), with the JSON conventions of User.
type Membership struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organization_id"`
	UserID         string `json:"user_id"`
	// Role is the role key, such as "org:admin".
	Role            string          `json:"role"`
	PublicMetadata  json.RawMessage `json:"public_metadata"`
	PrivateMetadata json.RawMessage `json:"private_metadata"`
	CreatedAt       time.Time       `json:"created_at,omitzero"`
	UpdatedAt       time.Time       `json:"updated_at,omitzero"`
	// DeletedAt is when the membership ended; nil while it lasts.
	DeletedAt *time.Time `json:"deleted_at"`
}

// Deleted reports whether the membership ended.
func (m *Membership) Deleted() bool { return m.DeletedAt != nil }

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

func nullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMilli(v.Int64).UTC()
	return &t
}
