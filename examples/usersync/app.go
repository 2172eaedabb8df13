package main

import (
	"context"
	"log/slog"

	"github.com/clerkguard/clerkguard/webhooks"
)

// eventTime is the ordering key of an event: Clerk's envelope timestamp (ms),
// or the signed svix-timestamp when the envelope has none.
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

// newWebhookHandler wires the sync handlers onto a webhooks.Mux.
func newWebhookHandler(v *webhooks.Verifier, s *Store, d webhooks.Deduplicator, log *slog.Logger) (*webhooks.Mux, error) {
	h, err := webhooks.Handler(v, webhooks.WithDeduplicator(d), webhooks.WithLogger(log))
	if err != nil {
		return nil, err
	}
	upsertUser := func(ctx context.Context, u *webhooks.User) error { return s.UpsertUser(ctx, u, eventTime(ctx)) }
	h.OnUserCreated(upsertUser)
	h.OnUserUpdated(upsertUser)
	h.OnUserDeleted(func(ctx context.Context, d *webhooks.DeletedObject) error {
		return s.DeleteUser(ctx, d.ID, eventTime(ctx))
	})
	upsertOrg := func(ctx context.Context, o *webhooks.Organization) error {
		return s.UpsertOrganization(ctx, o, eventTime(ctx))
	}
	h.OnOrganizationCreated(upsertOrg)
	h.OnOrganizationUpdated(upsertOrg)
	h.OnOrganizationDeleted(func(ctx context.Context, d *webhooks.DeletedObject) error {
		return s.DeleteOrganization(ctx, d.ID, eventTime(ctx))
	})
	upsertMembership := func(ctx context.Context, m *webhooks.OrganizationMembership) error {
		return s.UpsertMembership(ctx, m, eventTime(ctx))
	}
	h.OnOrganizationMembershipCreated(upsertMembership)
	h.OnOrganizationMembershipUpdated(upsertMembership)
	h.OnOrganizationMembershipDeleted(func(ctx context.Context, m *webhooks.OrganizationMembership) error {
		return s.DeleteMembership(ctx, m, eventTime(ctx))
	})
	return h, nil
}
