package usersync

import (
	"context"
	"fmt"

	"github.com/clerkguard/clerkguard/webhooks"
)

// The write methods take Clerk's objects in the shapes of the webhooks
// package (the JSON Clerk sends in events and answers from the Backend API)
// and the time of the data in Unix milliseconds: the event's timestamp for a
// webhook, the object's updated_at for a Backend API read.

// UpsertUser applies user.created or user.updated data at time ts.
func (s *Store) UpsertUser(ctx context.Context, u *webhooks.User, ts int64) error {
	err := s.exec(ctx, s.q.upsertUser, u.ID, str(u.ExternalID), u.PrimaryEmail(), str(u.FirstName),
		str(u.LastName), str(u.Username), u.ImageURL, metadata(u.PublicMetadata), metadata(u.PrivateMetadata),
		u.CreatedAt, u.UpdatedAt, ts)
	return wrap("upsert user", err)
}

// DeleteUser applies user.deleted at ts, and deletes the user's memberships.
func (s *Store) DeleteUser(ctx context.Context, id string, ts int64) error {
	if err := s.exec(ctx, s.q.deleteUser, id, ts); err != nil {
		return wrap("delete user", err)
	}
	return wrap("delete user's memberships", s.exec(ctx, s.q.cascadeUser, ts, id))
}

// UpsertOrganization applies organization.created or organization.updated
// data at time ts.
func (s *Store) UpsertOrganization(ctx context.Context, o *webhooks.Organization, ts int64) error {
	err := s.exec(ctx, s.q.upsertOrg, o.ID, o.Name, str(o.Slug), o.ImageURL, metadata(o.PublicMetadata),
		metadata(o.PrivateMetadata), o.CreatedAt, o.UpdatedAt, ts)
	return wrap("upsert organization", err)
}

// DeleteOrganization applies organization.deleted at ts, and deletes the
// organization's memberships.
func (s *Store) DeleteOrganization(ctx context.Context, id string, ts int64) error {
	if err := s.exec(ctx, s.q.deleteOrg, id, ts); err != nil {
		return wrap("delete organization", err)
	}
	return wrap("delete organization's memberships", s.exec(ctx, s.q.cascadeOrg, ts, id))
}

// UpsertMembership applies organizationMembership.created or .updated data
// at time ts. A membership of a user or organization already deleted is
// stored deleted.
func (s *Store) UpsertMembership(ctx context.Context, m *webhooks.OrganizationMembership, ts int64) error {
	uid, oid := m.PublicUserData.UserID, m.Organization.ID
	if err := s.exec(ctx, s.q.upsertMembership, m.ID, oid, uid, m.Role, metadata(m.PublicMetadata),
		metadata(m.PrivateMetadata), m.CreatedAt, m.UpdatedAt, ts); err != nil {
		return wrap("upsert membership", err)
	}
	return wrap("upsert membership", s.exec(ctx, s.q.membershipGone, uid, oid, m.ID, uid, oid))
}

// DeleteMembership applies organizationMembership.deleted, whose data is the
// removed membership: it is upserted like an update, then deleted.
func (s *Store) DeleteMembership(ctx context.Context, m *webhooks.OrganizationMembership, ts int64) error {
	if err := s.UpsertMembership(ctx, m, ts); err != nil {
		return err
	}
	return wrap("delete membership", s.exec(ctx, s.q.deleteMembership, m.ID, ts))
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
