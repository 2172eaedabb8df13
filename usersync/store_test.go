package usersync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/usersync"
	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// stream is a delivery sequence as Svix might produce it: every handled
// event type, retries (same svix-id), events out of order, deletions before
// creations, same-millisecond updates and cascades.
func stream() []delivery {
	return []delivery{
		ev("msg_u1_created", "user.created", 1000, userJSON("user_1", "a@x.test", "Ada", 1000)),
		ev("msg_u1_upd3", "user.updated", 3000, userJSON("user_1", "c@x.test", "Ada C", 3000)),
		ev("msg_u1_upd2", "user.updated", 2000, userJSON("user_1", "b@x.test", "Ada B", 2000)), // older, arrives later
		ev("msg_u1_upd3", "user.updated", 3000, userJSON("user_1", "c@x.test", "Ada C", 3000)), // retry

		ev("msg_u2_created", "user.created", 1000, userJSON("user_2", "bob@x.test", "Bob", 1000)),
		ev("msg_u2_deleted", "user.deleted", 5000, deletedJSON("user_2", "user")),
		ev("msg_u2_upd4", "user.updated", 4000, userJSON("user_2", "bob2@x.test", "Bob 2", 4000)), // older than the deletion

		ev("msg_u3_deleted", "user.deleted", 5000, deletedJSON("user_3", "user")),
		ev("msg_u3_created", "user.created", 1000, userJSON("user_3", "cy@x.test", "Cy", 1000)), // tombstone first

		// Two updates in the same millisecond: the object's updated_at decides.
		ev("msg_u4_b", "user.updated", 2000, userJSON("user_4", "new@x.test", "New", 2001)),
		ev("msg_u4_a", "user.updated", 2000, userJSON("user_4", "old@x.test", "Old", 2000)),

		ev("msg_o1_created", "organization.created", 1000, orgJSON("org_1", "Acme", 1000)),
		ev("msg_o1_upd3", "organization.updated", 3000, orgJSON("org_1", "Acme Inc", 3000)),
		ev("msg_o1_upd2", "organization.updated", 2000, orgJSON("org_1", "Acme Old", 2000)),
		ev("msg_o2_created", "organization.created", 1000, orgJSON("org_2", "Gone", 1000)),
		ev("msg_o2_deleted", "organization.deleted", 2000, deletedJSON("org_2", "organization")),
		ev("msg_o2_upd", "organization.updated", 1500, orgJSON("org_2", "Gone v2", 1500)),

		ev("msg_m1_upd", "organizationMembership.updated", 2500, membershipJSON("orgmem_1", "org_1", "user_1", "org:admin", 2500)),
		ev("msg_m1_created", "organizationMembership.created", 1500, membershipJSON("orgmem_1", "org_1", "user_1", "org:member", 1500)),
		ev("msg_m2_created", "organizationMembership.created", 1500, membershipJSON("orgmem_2", "org_1", "user_2", "org:member", 1500)),
		ev("msg_m3_deleted", "organizationMembership.deleted", 6000, membershipJSON("orgmem_3", "org_1", "user_1", "org:member", 5000)),
		ev("msg_m3_upd", "organizationMembership.updated", 3000, membershipJSON("orgmem_3", "org_1", "user_1", "org:admin", 3000)),
		// A membership of an organization deleted before it arrived.
		ev("msg_m4_created", "organizationMembership.created", 1600, membershipJSON("orgmem_4", "org_2", "user_1", "org:member", 1600)),

		ev("msg_session", "session.created", 1000, `{"id":"sess_1","user_id":"user_1"}`), // not handled: 200
	}
}

type row struct {
	Data    string
	Deleted bool
}

// state reads every row through the typed accessors.
func state(t *testing.T, s *usersync.Store) map[string]row {
	t.Helper()
	ctx := t.Context()
	got := map[string]row{}
	for _, id := range []string{"user_1", "user_2", "user_3", "user_4"} {
		u, err := s.User(ctx, id)
		if err != nil {
			t.Fatalf("User(%s): %v", id, err)
		}
		got[id] = row{u.PrimaryEmail + " " + u.FirstName, u.Deleted()}
	}
	for _, id := range []string{"org_1", "org_2"} {
		o, err := s.Organization(ctx, id)
		if err != nil {
			t.Fatalf("Organization(%s): %v", id, err)
		}
		got[id] = row{o.Name, o.Deleted()}
	}
	for _, id := range []string{"orgmem_1", "orgmem_2", "orgmem_3", "orgmem_4"} {
		m, err := s.MembershipByID(ctx, id)
		if err != nil {
			t.Fatalf("MembershipByID(%s): %v", id, err)
		}
		got[id] = row{m.OrganizationID + " " + m.UserID + " " + m.Role, m.Deleted()}
	}
	return got
}

var wantState = map[string]row{
	"user_1":   {"c@x.test Ada C", false},   // the newest update wins over the late older one
	"user_2":   {"bob2@x.test Bob 2", true}, // deleted, with its newest data
	"user_3":   {"cy@x.test Cy", true},      // deleted before it was created: stays deleted
	"user_4":   {"new@x.test New", false},   // same millisecond: newer updated_at wins
	"org_1":    {"Acme Inc", false},
	"org_2":    {"Gone v2", true},
	"orgmem_1": {"org_1 user_1 org:admin", false}, // the late creation does not undo the update
	"orgmem_2": {"org_1 user_2 org:member", true}, // cascade of user_2's deletion
	"orgmem_3": {"org_1 user_1 org:member", true}, // deleted; the older update does not revive it
	"orgmem_4": {"org_2 user_1 org:member", true}, // its organization was already deleted
}

func checkState(t *testing.T, s *usersync.Store) {
	t.Helper()
	if got := state(t, s); fmt.Sprint(got) != fmt.Sprint(wantState) {
		t.Errorf("final state must not depend on arrival order or replays:\n got %v\nwant %v", got, wantState)
	}
}

// Every user, organization and membership event type, in order with
// retries, then every delivery twice shuffled and concurrent (one seed per
// run of the shuffle), ends in the same state on SQLite and PostgreSQL.
func TestWebhookEventsReorderAndReplay(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		t.Run("InOrder", func(t *testing.T) {
			s := db.open(t, usersync.WithTablePrefix("inorder_"))
			h := webhookHandler(t, s)
			for _, d := range stream() {
				if code := send(t, h, d); code != http.StatusOK {
					t.Fatalf("%s: %d", d.id, code)
				}
			}
			checkState(t, s)
			var n int
			if err := s.DB().QueryRow(`SELECT count(*) FROM inorder_webhook_deliveries WHERE state = 'done'`).Scan(&n); err != nil || n != 22 {
				t.Errorf("deduplicated in the same database: %d deliveries recorded (%v), want 22 (24 sent, one retry, one unhandled)", n, err)
			}
		})
		for seed := range uint64(3) {
			t.Run(fmt.Sprint("ShuffledConcurrent", seed), func(t *testing.T) {
				s := db.open(t, usersync.WithTablePrefix(fmt.Sprintf("shuffled%d_", seed)))
				h := webhookHandler(t, s)
				all := append(stream(), stream()...)
				rand.New(rand.NewPCG(seed, 42)).Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
				work := make(chan delivery)
				var wg sync.WaitGroup
				for range 4 {
					wg.Go(func() {
						for d := range work {
							if code := send(t, h, d); code != http.StatusOK {
								t.Errorf("%s: %d", d.id, code)
							}
						}
					})
				}
				for _, d := range all {
					work <- d
				}
				close(work)
				wg.Wait()
				checkState(t, s)
			})
		}
	})
}

// The accessors return the metadata and the primary email (not the first
// address), and ErrNotFound for what was never seen.
func TestTypedAccessors(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		s := db.open(t)
		h := webhookHandler(t, s)
		for _, d := range []delivery{
			ev("m1", "user.created", 1000, userJSON("user_1", "ada@x.test", "Ada", 1000)),
			ev("m2", "organization.created", 1000, orgJSON("org_1", "Acme", 1000)),
			ev("m3", "organizationMembership.created", 1000, membershipJSON("orgmem_1", "org_1", "user_1", "org:admin", 1000)),
		} {
			if code := send(t, h, d); code != http.StatusOK {
				t.Fatalf("%s: %d", d.id, code)
			}
		}
		ctx := t.Context()
		u, err := s.User(ctx, "user_1")
		if err != nil {
			t.Fatal(err)
		}
		want := usersync.User{ID: "user_1", ExternalID: "ext_user_1", PrimaryEmail: "ada@x.test", FirstName: "Ada", LastName: "Lovelace",
			ImageURL: "https://img.test/user_1", PublicMetadata: json.RawMessage(`{"plan":"pro"}`), PrivateMetadata: json.RawMessage(`{"stripe":"cus_user_1"}`),
			CreatedAt: time.UnixMilli(1000).UTC(), UpdatedAt: time.UnixMilli(1000).UTC()}
		if fmt.Sprint(*u) != fmt.Sprint(want) {
			t.Errorf("User:\n got %+v\nwant %+v", *u, want)
		}
		o, err := s.Organization(ctx, "org_1")
		if err != nil || o.Slug != "slug-org_1" || string(o.PublicMetadata) != `{"tier":"gold"}` || string(o.PrivateMetadata) != `{"crm":"org_1"}` {
			t.Errorf("Organization: %+v %v", o, err)
		}
		m, err := s.Membership(ctx, "org_1", "user_1")
		if err != nil || m.ID != "orgmem_1" || m.Role != "org:admin" || string(m.PublicMetadata) != `{"seat":1}` || string(m.PrivateMetadata) != `{"note":"n"}` {
			t.Errorf("Membership: %+v %v", m, err)
		}
		ms, err := s.Memberships(ctx, "user_1")
		if err != nil || len(ms) != 1 || ms[0].ID != "orgmem_1" {
			t.Errorf("Memberships: %+v %v", ms, err)
		}
		if _, err := s.User(ctx, "user_nobody"); !errors.Is(err, usersync.ErrNotFound) {
			t.Errorf("unknown user: %v, want ErrNotFound", err)
		}
		if _, err := s.Organization(ctx, "org_nobody"); !errors.Is(err, usersync.ErrNotFound) {
			t.Errorf("unknown organization: %v, want ErrNotFound", err)
		}
		if _, err := s.Membership(ctx, "org_1", "user_nobody"); !errors.Is(err, usersync.ErrNotFound) {
			t.Errorf("unknown membership: %v, want ErrNotFound", err)
		}
	})
}

// A handler failure (the table is gone, as in an outage) answers 500 and
// Svix's retry of the same message succeeds once the table is back.
func TestWebhookFailureIsRetried(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		s := db.open(t)
		h := webhookHandler(t, s)
		d := ev("msg_u9", "user.created", 1000, userJSON("user_9", "n@x.test", "Nine", 1000))
		if _, err := s.DB().Exec(`ALTER TABLE clerk_users RENAME TO clerk_users_away`); err != nil {
			t.Fatal(err)
		}
		if code := send(t, h, d); code != http.StatusInternalServerError {
			t.Fatalf("broken table: %d, want 500", code)
		}
		if _, err := s.DB().Exec(`ALTER TABLE clerk_users_away RENAME TO clerk_users`); err != nil {
			t.Fatal(err)
		}
		if code := send(t, h, d); code != http.StatusOK {
			t.Fatalf("retry: %d", code)
		}
		if u, err := s.User(t.Context(), "user_9"); err != nil || u.PrimaryEmail != "n@x.test" {
			t.Fatalf("after retry: %+v %v", u, err)
		}
	})
}

func TestOptionsValidated(t *testing.T) {
	db := database{"sqlite", t.TempDir() + "/o.db"}
	for _, p := range []string{"1x_", "a-b", "drop table;", "x23456789012345678901234567890123"} {
		if _, err := usersync.Open(t.Context(), db.url, usersync.WithTablePrefix(p)); err == nil {
			t.Errorf("WithTablePrefix(%q) accepted", p)
		}
	}
	if _, err := usersync.Open(t.Context(), db.url, usersync.WithDialect(sqldb.Dialect(9))); err == nil {
		t.Error("unknown dialect accepted")
	}
	if _, err := usersync.New(context.Background(), nil); err == nil {
		t.Error("nil *sql.DB accepted")
	}
	s := db.open(t, usersync.WithTablePrefix("app_"))
	if s.Table("users") != "app_users" || s.Dialect() != sqldb.SQLite {
		t.Errorf("Table %q, Dialect %v", s.Table("users"), s.Dialect())
	}
}
