package usersync_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/usersync"
	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// batchOf turns deliveries into the Batch writes the Store's webhook
// handlers would make, in the same order.
func batchOf(t *testing.T, ds []delivery) *usersync.Batch {
	t.Helper()
	var b usersync.Batch
	for _, d := range ds {
		var env struct {
			Type      string          `json:"type"`
			Timestamp int64           `json:"timestamp"`
			Data      json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal([]byte(d.body), &env); err != nil {
			t.Fatal(err)
		}
		decode := func(v any) {
			if err := json.Unmarshal(env.Data, v); err != nil {
				t.Fatalf("%s: %v", d.id, err)
			}
		}
		ts := env.Timestamp
		switch env.Type {
		case "user.created", "user.updated":
			u := new(webhooks.User)
			decode(u)
			b.UpsertUser(u, ts)
		case "user.deleted":
			var o webhooks.DeletedObject
			decode(&o)
			b.DeleteUser(o.ID, ts)
		case "organization.created", "organization.updated":
			o := new(webhooks.Organization)
			decode(o)
			b.UpsertOrganization(o, ts)
		case "organization.deleted":
			var o webhooks.DeletedObject
			decode(&o)
			b.DeleteOrganization(o.ID, ts)
		case "organizationMembership.created", "organizationMembership.updated":
			m := new(webhooks.OrganizationMembership)
			decode(m)
			b.UpsertMembership(m, ts)
		case "organizationMembership.deleted":
			m := new(webhooks.OrganizationMembership)
			decode(m)
			b.DeleteMembership(m, ts)
		}
	}
	return &b
}

// One Batch of the whole event stream (repeated ids, older data after
// newer, deletions before creations, cascades, a membership of a deleted
// organization), behind 150 other users so that the multi-row statements
// split (64 rows each), ends in the state the events reach one by one.
func TestBatchAppliesLikeSingleWrites(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		s := db.open(t)
		var filler []delivery
		for i := range 150 {
			filler = append(filler, ev(fmt.Sprint("f", i), "user.created", 1000, userJSON(fmt.Sprintf("user_f%03d", i), "f@x.test", "F", 1000)))
		}
		b := batchOf(t, append(filler, stream()...))
		if b.Len() != 150+23 {
			t.Fatalf("batch of %d writes", b.Len())
		}
		if err := s.Apply(t.Context(), b); err != nil {
			t.Fatal(err)
		}
		checkState(t, s)
		var n int
		if err := s.DB().QueryRow(`SELECT count(*) FROM clerk_users`).Scan(&n); err != nil || n != 154 {
			t.Fatalf("%d users (%v), want 154", n, err)
		}
		b.Reset()
		if b.Len() != 0 || s.Apply(t.Context(), b) != nil || s.Apply(t.Context(), nil) != nil {
			t.Fatal("an empty batch must do nothing")
		}
	})
}

// failOnWrite makes the database refuse a write of the row with id
// (a trigger), to show that what the same transaction wrote before is
// rolled back.
func failOnWrite(t *testing.T, s *usersync.Store, table, op, id string) {
	t.Helper()
	var stmts []string
	switch s.Dialect() {
	case sqldb.SQLite:
		stmts = []string{`CREATE TRIGGER fail_` + op + ` BEFORE ` + op + ` ON ` + table +
			` WHEN NEW.id = '` + id + `' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`}
	case sqldb.Postgres:
		stmts = []string{
			`CREATE FUNCTION fail_` + op + `() RETURNS trigger AS $$ BEGIN
	IF NEW.id = '` + id + `' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER fail_` + op + ` BEFORE ` + op + ` ON ` + table + ` FOR EACH ROW EXECUTE PROCEDURE fail_` + op + `()`,
		}
	}
	for _, st := range stmts {
		if _, err := s.DB().Exec(st); err != nil {
			t.Fatal(err)
		}
	}
}

// A half-applied event is never visible: when the cascade of user.deleted
// (or organization.deleted) fails, the deletion itself is rolled back, and
// when one write of a Batch fails, none of them stays.
func TestWritesAreAtomic(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		ctx := t.Context()
		s := db.open(t)
		b := batchOf(t, []delivery{
			ev("u1", "user.created", 1000, userJSON("user_1", "a@x.test", "Ada", 1000)),
			ev("o1", "organization.created", 1000, orgJSON("org_1", "Acme", 1000)),
			ev("m1", "organizationMembership.created", 1000, membershipJSON("orgmem_1", "org_1", "user_1", "org:admin", 1000)),
		})
		if err := s.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
		failOnWrite(t, s, "clerk_organization_memberships", "UPDATE", "orgmem_1")
		for _, tc := range []struct {
			name string
			del  func() error
			row  func() (bool, error)
		}{
			{"UserDeleted", func() error { return s.DeleteUser(ctx, "user_1", 2000) },
				func() (bool, error) { u, err := s.User(ctx, "user_1"); return err == nil && u.Deleted(), err }},
			{"OrganizationDeleted", func() error { return s.DeleteOrganization(ctx, "org_1", 2000) },
				func() (bool, error) { o, err := s.Organization(ctx, "org_1"); return err == nil && o.Deleted(), err }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := tc.del(); err == nil || !strings.Contains(err.Error(), "refused by the test") {
					t.Fatalf("delete with a failing cascade: %v, want the database's refusal", err)
				}
				if deleted, err := tc.row(); err != nil || deleted {
					t.Fatalf("deleted=%v (%v): the deletion must roll back with its cascade", deleted, err)
				}
				if m, err := s.MembershipByID(ctx, "orgmem_1"); err != nil || m.Deleted() {
					t.Fatalf("membership %+v %v", m, err)
				}
			})
		}
		t.Run("Batch", func(t *testing.T) {
			failOnWrite(t, s, "clerk_users", "INSERT", "user_bad")
			b := batchOf(t, []delivery{
				ev("u2", "user.created", 1000, userJSON("user_2", "b@x.test", "Bob", 1000)),
				ev("u1", "user.updated", 3000, userJSON("user_1", "new@x.test", "Ada", 3000)),
				ev("o2", "organization.created", 1000, orgJSON("org_2", "Two", 1000)),
				ev("bad", "user.created", 1000, userJSON("user_bad", "x@x.test", "X", 1000)),
			})
			if err := s.Apply(ctx, b); err == nil {
				t.Fatal("a batch with a refused write succeeded")
			}
			if _, err := s.User(ctx, "user_2"); !errors.Is(err, usersync.ErrNotFound) {
				t.Errorf("user_2 after a failed batch: %v, want ErrNotFound", err)
			}
			if _, err := s.Organization(ctx, "org_2"); !errors.Is(err, usersync.ErrNotFound) {
				t.Errorf("org_2 after a failed batch: %v, want ErrNotFound", err)
			}
			if u, err := s.User(ctx, "user_1"); err != nil || u.PrimaryEmail != "a@x.test" {
				t.Errorf("user_1 after a failed batch: %+v %v, want the old data", u, err)
			}
		})
	})
}

func TestWritesRefuseNilObjects(t *testing.T) {
	s := database{"sqlite", t.TempDir() + "/n.db"}.open(t)
	ctx := t.Context()
	for name, err := range map[string]error{
		"UpsertUser":         s.UpsertUser(ctx, nil, 1),
		"UpsertOrganization": s.UpsertOrganization(ctx, nil, 1),
		"UpsertMembership":   s.UpsertMembership(ctx, nil, 1),
		"DeleteMembership":   s.DeleteMembership(ctx, nil, 1),
	} {
		if err == nil {
			t.Errorf("%s(nil) accepted", name)
		}
	}
}

// The rows marshal to JSON with the column names; deleted_at is null while
// the object exists, and a tombstone has no creation time.
func TestRowJSON(t *testing.T) {
	s := database{"sqlite", t.TempDir() + "/j.db"}.open(t)
	ctx := t.Context()
	b := batchOf(t, []delivery{
		ev("u1", "user.created", 1000, userJSON("user_1", "a@x.test", "Ada", 1000)),
		ev("o1", "organization.created", 1000, orgJSON("org_1", "Acme", 1000)),
		ev("m1", "organizationMembership.created", 1000, membershipJSON("orgmem_1", "org_1", "user_1", "org:admin", 1000)),
	})
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, "user_gone", 5000); err != nil {
		t.Fatal(err)
	}
	u, _ := s.User(ctx, "user_1")
	gone, _ := s.User(ctx, "user_gone")
	o, _ := s.Organization(ctx, "org_1")
	m, _ := s.MembershipByID(ctx, "orgmem_1")
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"User", u, `{"id":"user_1","external_id":"ext_user_1","email":"a@x.test","first_name":"Ada","last_name":"Lovelace","username":"","image_url":"https://img.test/user_1","public_metadata":{"plan":"pro"},"private_metadata":{"stripe":"cus_user_1"},"created_at":"1970-01-01T00:00:01Z","updated_at":"1970-01-01T00:00:01Z","deleted_at":null}`},
		{"Tombstone", gone, `{"id":"user_gone","external_id":"","email":"","first_name":"","last_name":"","username":"","image_url":"","public_metadata":{},"private_metadata":{},"deleted_at":"1970-01-01T00:00:05Z"}`},
		{"Organization", o, `{"id":"org_1","name":"Acme","slug":"slug-org_1","image_url":"","public_metadata":{"tier":"gold"},"private_metadata":{"crm":"org_1"},"created_at":"1970-01-01T00:00:01Z","updated_at":"1970-01-01T00:00:01Z","deleted_at":null}`},
		{"Membership", m, `{"id":"orgmem_1","organization_id":"org_1","user_id":"user_1","role":"org:admin","public_metadata":{"seat":1},"private_metadata":{"note":"n"},"created_at":"1970-01-01T00:00:01.5Z","updated_at":"1970-01-01T00:00:01Z","deleted_at":null}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.v)
			if err != nil || string(got) != tc.want {
				t.Errorf("JSON:\n got %s (%v)\nwant %s", got, err, tc.want)
			}
		})
	}
	if !gone.Deleted() || !gone.DeletedAt.Equal(time.UnixMilli(5000)) || u.Deleted() {
		t.Errorf("Deleted: tombstone %v, live %v", gone.Deleted(), u.Deleted())
	}
}

// A membership written while its user or organization is being deleted
// ends deleted, however the two transactions interleave. On PostgreSQL a
// trigger makes every statement setting memberships' deleted_at (the
// deletion's cascade, the upsert's check) sleep before its transaction
// commits, and the upsert starts during the deletion's sleep: under READ
// COMMITTED each would miss the other's uncommitted rows, unless they are
// serialized.
func TestConcurrentDeletionAndMembership(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		ctx := t.Context()
		s := db.open(t)
		const pause = 300 * time.Millisecond
		if s.Dialect() == sqldb.Postgres {
			for _, st := range []string{
				`CREATE FUNCTION pause_after_update() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$ LANGUAGE plpgsql`,
				`CREATE TRIGGER pause_after_update AFTER UPDATE OF deleted_at ON clerk_organization_memberships FOR EACH STATEMENT EXECUTE PROCEDURE pause_after_update()`,
			} {
				if _, err := s.DB().Exec(st); err != nil {
					t.Fatal(err)
				}
			}
		}
		single := func(m *webhooks.OrganizationMembership) error { return s.UpsertMembership(ctx, m, 1500) }
		// A Batch too large for one lock per user and organization takes
		// the tables' lock instead.
		large := func(m *webhooks.OrganizationMembership) error {
			var b usersync.Batch
			b.UpsertMembership(m, 1500) // in the first multi-row statement
			for i := range 80 {
				other := new(webhooks.OrganizationMembership)
				if err := json.Unmarshal([]byte(membershipJSON(fmt.Sprint("orgmem_other", i), "org_other", fmt.Sprint("user_other", i), "org:member", 1500)), other); err != nil {
					return err
				}
				b.UpsertMembership(other, 1500)
			}
			return s.Apply(ctx, &b)
		}
		for _, tc := range []struct {
			name  string
			del   func(user, org string) error
			write func(*webhooks.OrganizationMembership) error
		}{
			{"UserDeleted", func(user, _ string) error { return s.DeleteUser(ctx, user, 5000) }, single},
			{"OrganizationDeleted", func(_, org string) error { return s.DeleteOrganization(ctx, org, 5000) }, single},
			{"UserDeletedLargeBatch", func(user, _ string) error { return s.DeleteUser(ctx, user, 5000) }, large},
		} {
			t.Run(tc.name, func(t *testing.T) {
				user, org, id := "user_"+tc.name, "org_"+tc.name, "orgmem_"+tc.name
				m := new(webhooks.OrganizationMembership)
				if err := json.Unmarshal([]byte(membershipJSON(id, org, user, "org:member", 1500)), m); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- tc.del(user, org) }()
				time.Sleep(pause / 3) // the deletion is in its cascade's pause
				if err := tc.write(m); err != nil {
					t.Fatal(err)
				}
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				got, err := s.MembershipByID(ctx, id)
				if err != nil || !got.Deleted() {
					t.Errorf("%+v %v: a membership written during its %s's deletion must end deleted", got, err, tc.name)
				}
			})
		}
	})
}
