package usersync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
)

// BackfillStats counts what one Backfill run read from the Backend API.
type BackfillStats struct {
	Users, Organizations, Memberships int
	// Pages is the number of list pages fetched.
	Pages int
}

// Backfill imports every user, organization and organization membership of
// the Clerk instance into s through the Backend API (clerk-sdk-go), page by
// page in creation order: users, then organizations, then the memberships
// of each live organization.
//
// It is resumable: the offset reached is saved in the database
// (<prefix>backfill_progress) after each page, so a run that stopped (error,
// timeout, cancelled context) continues where it stopped; a finished run
// does nothing until WithRestart. It is idempotent and safe while webhooks
// arrive: each object is written at its updated_at like any event, so
// newer webhook data is never overwritten, and deletions stay deleted.
// Objects deleted while the backfill pages through may shift a page and be
// skipped; their webhooks cover them.
func Backfill(ctx context.Context, s *Store, opts ...BackfillOption) (BackfillStats, error) {
	var st BackfillStats
	if s == nil {
		return st, errors.New("usersync: Backfill: nil Store")
	}
	cfg := backfillConfig{pageSize: DefaultPageSize, timeout: DefaultBackendTimeout}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return st, err
		}
	}
	if cfg.logger == nil {
		cfg.logger = slog.Default()
	}
	api := newClerkAPI(cfg.client, cfg.timeout)
	if cfg.restart {
		if err := s.exec(ctx, s.q.progressReset); err != nil {
			return st, wrap("backfill: restart", err)
		}
	}
	b := &backfill{s: s, cfg: cfg, st: &st}
	err := b.run(ctx, "users", func(ctx context.Context, off int64) (int, error) {
		us, err := api.listUsers(ctx, off, cfg.pageSize)
		var page Batch
		for _, u := range us {
			page.UpsertUser(u, u.UpdatedAt)
		}
		if err := s.Apply(ctx, &page); err != nil {
			return 0, err
		}
		st.Users += len(us)
		return len(us), err
	})
	if err != nil {
		return st, err
	}
	err = b.run(ctx, "organizations", func(ctx context.Context, off int64) (int, error) {
		os, err := api.listOrganizations(ctx, off, cfg.pageSize)
		var page Batch
		for _, o := range os {
			page.UpsertOrganization(o, o.UpdatedAt)
		}
		if err := s.Apply(ctx, &page); err != nil {
			return 0, err
		}
		st.Organizations += len(os)
		return len(os), err
	})
	if err != nil {
		return st, err
	}
	// Memberships, organization by organization (in id order, so a resumed
	// run meets them in the same order).
	after := ""
	for {
		ids, err := s.liveOrganizationsAfter(ctx, after, 100)
		if err != nil {
			return st, err
		}
		if len(ids) == 0 {
			return st, nil
		}
		for _, id := range ids {
			err := b.run(ctx, "memberships:"+id, func(ctx context.Context, off int64) (int, error) {
				ms, err := api.listMemberships(ctx, id, off, cfg.pageSize)
				var page Batch
				for _, m := range ms {
					page.UpsertMembership(m, m.UpdatedAt)
				}
				if err := s.Apply(ctx, &page); err != nil {
					return 0, err
				}
				st.Memberships += len(ms)
				return len(ms), err
			})
			if err != nil {
				return st, err
			}
		}
		after = ids[len(ids)-1]
	}
}

type backfill struct {
	s   *Store
	cfg backfillConfig
	st  *BackfillStats
}

// run pages through one list from its saved offset until a short page,
// saving the offset after every page.
func (b *backfill) run(ctx context.Context, name string, page func(context.Context, int64) (int, error)) error {
	s := b.s
	var off int64
	var done int
	err := s.queryRow(ctx, s.q.progressGet, name).Scan(&off, &done)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return wrap("backfill: progress", err)
	}
	if done != 0 {
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("usersync: backfill %s: %w", name, err)
		}
		n, err := page(ctx, off)
		if err != nil {
			return fmt.Errorf("usersync: backfill %s at offset %d: %w", name, off, err)
		}
		b.st.Pages++
		off += int64(n)
		finished := int64(n) < b.cfg.pageSize
		if err := s.exec(ctx, s.q.progressSet, name, off, boolInt(finished)); err != nil {
			return wrap("backfill: save progress", err)
		}
		b.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "usersync: backfill page",
			slog.String("list", name), slog.Int64("offset", off))
		if finished {
			return nil
		}
	}
}

func (s *Store) liveOrganizationsAfter(ctx context.Context, after string, limit int) ([]string, error) {
	s.queries.Add(1)
	rows, err := s.db.QueryContext(ctx, s.q.activeOrgsAfter, after, limit)
	if err != nil {
		return nil, wrap("backfill: organizations", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("backfill: organizations", err)
		}
		ids = append(ids, id)
	}
	return ids, wrap("backfill: organizations", rows.Err())
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
