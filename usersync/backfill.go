package usersync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/clerkguard/clerkguard/webhooks"
)

// BackfillStats counts what one Backfill run read from the Backend API.
type BackfillStats struct {
	Users, Organizations, Memberships int
	// Pages is the number of list pages fetched.
	Pages int
}

// Backfill imports every user, organization and organization membership of
// the Clerk instance into s through the Backend API (clerk-sdk-go), page by
// page in creation order (order_by=+created_at): users, then
// organizations, then the memberships of each live organization.
//
// Paging cannot skip a live object when others are deleted while it runs
// (behaviour.md §11.6): each page starts a few objects before the end of
// the previous one (max(1, page size/10), the overlap) and the import
// continues after the last object it has already read; when the overlap
// holds none of them (more objects were deleted than it spans), it steps
// back until it finds one. A full page holding nothing new means the
// Backend API ignores paging (or serves one page again): the run stops
// with ErrPaging instead of looping (behaviour.md §11.7).
//
// It is resumable: the position reached is saved in the database
// (<prefix>backfill_progress) after each page, so a run that stopped (error,
// timeout, cancelled context) continues where it stopped, re-reading the
// overlap; a finished run does nothing (Pages is 0) until WithRestart. It is
// idempotent and safe while webhooks arrive: each object is written at its
// updated_at like any event, so newer webhook data is never overwritten,
// and deletions stay deleted. Objects created while it runs may be missed
// only if created in the past (Clerk assigns created_at); their webhooks
// cover them, as they cover deletions.
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
	api := newClerkAPI(cfg.client, cfg.timeout, DefaultMaxConcurrent)
	if cfg.restart {
		if err := s.exec(ctx, s.q.progressReset); err != nil {
			return st, wrap("backfill: restart", err)
		}
	}
	b := &backfill{s: s, cfg: cfg, st: &st}
	err := runList(ctx, b, "users", api.listUsers, func(u *webhooks.User) string { return u.ID },
		func(ctx context.Context, us []*webhooks.User) error {
			var page Batch
			for _, u := range us {
				page.UpsertUser(u, u.UpdatedAt)
			}
			if err := s.Apply(ctx, &page); err != nil {
				return err
			}
			st.Users += len(us)
			return nil
		})
	if err != nil {
		return st, err
	}
	err = runList(ctx, b, "organizations", api.listOrganizations, func(o *webhooks.Organization) string { return o.ID },
		func(ctx context.Context, os []*webhooks.Organization) error {
			var page Batch
			for _, o := range os {
				page.UpsertOrganization(o, o.UpdatedAt)
			}
			if err := s.Apply(ctx, &page); err != nil {
				return err
			}
			st.Organizations += len(os)
			return nil
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
			list := func(ctx context.Context, off, limit int64) ([]*webhooks.OrganizationMembership, error) {
				return api.listMemberships(ctx, id, off, limit)
			}
			err := runList(ctx, b, "memberships:"+id, list, func(m *webhooks.OrganizationMembership) string { return m.ID },
				func(ctx context.Context, ms []*webhooks.OrganizationMembership) error {
					var page Batch
					for _, m := range ms {
						page.UpsertMembership(m, m.UpdatedAt)
					}
					if err := s.Apply(ctx, &page); err != nil {
						return err
					}
					st.Memberships += len(ms)
					return nil
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

// overlap is how many already-read objects each page asks for again, and
// the page limit that leaves pageSize new ones (Clerk's maximum is 500).
func overlap(pageSize int64) (k, limit int64) {
	k = max(1, pageSize/10)
	return k, min(500, pageSize+k)
}

// runList pages through one list from its saved position until a short
// page, writing the objects not read before and saving the position after
// every page (see Backfill for the overlap and the paging check).
func runList[T any](ctx context.Context, b *backfill, name string,
	fetch func(ctx context.Context, off, limit int64) ([]T, error), id func(T) string,
	write func(context.Context, []T) error) error {
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
	k, limit := overlap(b.cfg.pageSize)
	seen := make(map[string]struct{}) // read in this run: a prefix of the live list
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("usersync: backfill %s: %w", name, err)
		}
		start := max(0, off-k)
		items, err := fetch(ctx, start, limit)
		if err != nil {
			return fmt.Errorf("usersync: backfill %s at offset %d: %w", name, start, err)
		}
		b.st.Pages++
		last := -1 // the last object of the page already read
		for i, it := range items {
			if _, ok := seen[id(it)]; ok {
				last = i
			}
		}
		if start > 0 && last < 0 && len(seen) > 0 {
			// None of the overlap is known: more objects before it were
			// deleted than it spans, so the list moved further back. Step
			// back (off only decreases here; at 0 the list begins).
			off = start
			continue
		}
		if last == len(items)-1 && int64(len(items)) == limit {
			return fmt.Errorf("%w: backfill %s: a full page at offset %d held only objects already read", ErrPaging, name, start)
		}
		fresh := items[last+1:]
		if err := write(ctx, fresh); err != nil {
			return err
		}
		for _, it := range fresh {
			seen[id(it)] = struct{}{}
		}
		off = start + int64(len(items))
		finished := int64(len(items)) < limit
		if err := s.exec(ctx, s.q.progressSet, name, off, boolInt(finished)); err != nil {
			return wrap("backfill: save progress", err)
		}
		b.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "usersync: backfill page",
			slog.String("list", name), slog.Int64("offset", off), slog.Int("new", len(fresh)))
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
