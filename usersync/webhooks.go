package usersync

import (
	"context"

	"github.com/clerkguard/clerkguard/webhooks"
)

// WebhookHandler returns a webhooks.Handler that keeps the Store in step
// with every user, organization and organization membership event
// (behaviour.md §9), remembering processed deliveries in the same database
// (a webhooks.SQLDeduplicator on the table <prefix>webhook_deliveries), so
// that instances sharing the database handle each delivery once. opts go to
// webhooks.Handler after the deduplicator, so a WithDeduplicator among them
// wins. Mount it at the URL of your Clerk webhook endpoint (POST).
func (s *Store) WebhookHandler(v *webhooks.Verifier, opts ...webhooks.HandlerOption) (*webhooks.Mux, error) {
	dedup, err := webhooks.NewSQLDeduplicator(s.db, webhooks.WithDialect(s.dialect),
		webhooks.WithTable(s.prefix+"webhook_deliveries"))
	if err != nil {
		return nil, err
	}
	m, err := webhooks.Handler(v, append([]webhooks.HandlerOption{webhooks.WithDeduplicator(dedup)}, opts...)...)
	if err != nil {
		return nil, err
	}
	s.Register(m)
	return m, nil
}

// Register adds the Store's handlers for user.*, organization.* and
// organizationMembership.* events to m, for a Mux you build yourself.
// Replacing one of them with m.On… afterwards takes it away from the Store.
func (s *Store) Register(m *webhooks.Mux) {
	upsertUser := func(ctx context.Context, u *webhooks.User) error { return s.UpsertUser(ctx, u, eventTime(ctx)) }
	m.OnUserCreated(upsertUser)
	m.OnUserUpdated(upsertUser)
	m.OnUserDeleted(func(ctx context.Context, d *webhooks.DeletedObject) error {
		return s.DeleteUser(ctx, d.ID, eventTime(ctx))
	})
	upsertOrg := func(ctx context.Context, o *webhooks.Organization) error {
		return s.UpsertOrganization(ctx, o, eventTime(ctx))
	}
	m.OnOrganizationCreated(upsertOrg)
	m.OnOrganizationUpdated(upsertOrg)
	m.OnOrganizationDeleted(func(ctx context.Context, d *webhooks.DeletedObject) error {
		return s.DeleteOrganization(ctx, d.ID, eventTime(ctx))
	})
	upsertMembership := func(ctx context.Context, mb *webhooks.OrganizationMembership) error {
		return s.UpsertMembership(ctx, mb, eventTime(ctx))
	}
	m.OnOrganizationMembershipCreated(upsertMembership)
	m.OnOrganizationMembershipUpdated(upsertMembership)
	m.OnOrganizationMembershipDeleted(func(ctx context.Context, mb *webhooks.OrganizationMembership) error {
		return s.DeleteMembership(ctx, mb, eventTime(ctx))
	})
}

// eventTime is the ordering key of an event: Clerk's envelope timestamp
// (ms), or the signed svix-timestamp when the envelope has none.
func eventTime(ctx context.Context) int64 {
	ev, ok := webhooks.EventFromContext(ctx)
	if !ok {
		return 0
	}
	if ev.Timestamp != 0 {
		return ev.Timestamp
	}
	return ev.SignedAt.UnixMilli()
}
