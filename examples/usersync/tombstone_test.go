package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

func orgDeleted(id string) string {
	return fmt.Sprintf(`{"id":%q,"object":"organization","deleted":true}`, id)
}

func userDeleted(id string) string {
	return fmt.Sprintf(`{"id":%q,"object":"user","deleted":true}`, id)
}

func membershipRole(id, orgID, userID, role string, updated int64) string {
	return fmt.Sprintf(`{"id":%q,"object":"organization_membership","role":%q,"organization":{"id":%q},
"public_user_data":{"user_id":%q},"created_at":1500,"updated_at":%d}`, id, role, orgID, userID, updated)
}

// tombstoneStream holds deletions that must survive older updates arriving
// after them, events of the same millisecond, and deletions that cascade to
// memberships.
func tombstoneStream() []delivery {
	return []delivery{
		// An organization.updated older than the deletion, arriving after it.
		ev("t_o3_created", "organization.created", 1000, org("org_3", "Three", 1000)),
		ev("t_o3_deleted", "organization.deleted", 3000, orgDeleted("org_3")),
		ev("t_o3_upd2", "organization.updated", 2000, org("org_3", "Three v2", 2000)),

		// A membership update older than the membership's deletion.
		ev("t_m4_created", "organizationMembership.created", 1500, membershipRole("orgmem_4", "org_1", "user_1", "org:member", 1500)),
		ev("t_m4_deleted", "organizationMembership.deleted", 4000, membershipRole("orgmem_4", "org_1", "user_1", "org:admin", 3000)),
		ev("t_m4_upd", "organizationMembership.updated", 3000, membershipRole("orgmem_4", "org_1", "user_1", "org:admin", 3000)),

		// Two updates in the same millisecond: the object's updated_at decides.
		ev("t_u4_b", "user.updated", 2000, user("user_4", "new@x.test", "New", 2001)),
		ev("t_u4_a", "user.updated", 2000, user("user_4", "old@x.test", "Old", 2000)),

		// Deleting an organization removes its memberships, also one whose
		// (older) creation arrives after the deletion.
		ev("t_o4_created", "organization.created", 1000, org("org_4", "Four", 1000)),
		ev("t_m5_created", "organizationMembership.created", 1500, membershipRole("orgmem_5", "org_4", "user_1", "org:member", 1500)),
		ev("t_o4_deleted", "organization.deleted", 5000, orgDeleted("org_4")),
		ev("t_m6_created", "organizationMembership.created", 1600, membershipRole("orgmem_6", "org_4", "user_4", "org:member", 1600)),

		// Deleting a user removes the user's memberships.
		ev("t_u5_created", "user.created", 1000, user("user_5", "five@x.test", "Five", 1000)),
		ev("t_m7_created", "organizationMembership.created", 1500, membershipRole("orgmem_7", "org_1", "user_5", "org:member", 1500)),
		ev("t_u5_deleted", "user.deleted", 6000, userDeleted("user_5")),
		ev("t_u5_deleted_again", "user.deleted", 7000, userDeleted("user_5")), // another message, same deletion
		ev("t_u5_upd", "user.updated", 5000, user("user_5", "five2@x.test", "Five 2", 5000)),
	}
}

// rowsOf runs query (id first, then the columns) and formats each row.
func rowsOf(t *testing.T, db *sql.DB, query string) map[string]string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string]string{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		s := ""
		for i, v := range vals[1:] {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			s += fmt.Sprintf("%s=%v ", cols[i+1], v)
		}
		out[fmt.Sprint(vals[0])] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func checkTombstones(t *testing.T, db *sql.DB) {
	t.Helper()
	users := rowsOf(t, db, `SELECT id, email, first_name, CASE WHEN deleted_at IS NULL THEN 'no' ELSE 'yes' END AS deleted FROM users`)
	wantUsers := map[string]string{
		"user_4": "email=new@x.test first_name=New deleted=no ",
		"user_5": "email=five2@x.test first_name=Five 2 deleted=yes ",
	}
	orgs := rowsOf(t, db, `SELECT id, name, CASE WHEN deleted_at IS NULL THEN 'no' ELSE 'yes' END AS deleted FROM organizations`)
	wantOrgs := map[string]string{
		"org_3": "name=Three v2 deleted=yes ",
		"org_4": "name=Four deleted=yes ",
	}
	mems := rowsOf(t, db, `SELECT id, organization_id, user_id, role, CASE WHEN deleted_at IS NULL THEN 'no' ELSE 'yes' END AS deleted FROM organization_memberships`)
	wantMems := map[string]string{
		"orgmem_4": "organization_id=org_1 user_id=user_1 role=org:admin deleted=yes ",
		"orgmem_5": "organization_id=org_4 user_id=user_1 role=org:member deleted=yes ",
		"orgmem_6": "organization_id=org_4 user_id=user_4 role=org:member deleted=yes ",
		"orgmem_7": "organization_id=org_1 user_id=user_5 role=org:member deleted=yes ",
	}
	for name, c := range map[string][2]map[string]string{"users": {users, wantUsers}, "organizations": {orgs, wantOrgs}, "organization_memberships": {mems, wantMems}} {
		if fmt.Sprint(c[0]) != fmt.Sprint(c[1]) {
			t.Errorf("%s:\n got %v\nwant %v", name, c[0], c[1])
		}
	}
	// The first deletion's time is kept.
	var deletedAt int64
	if err := db.QueryRow(`SELECT deleted_at FROM users WHERE id = 'user_5'`).Scan(&deletedAt); err != nil || deletedAt != 6000 && deletedAt != 7000 {
		t.Errorf("user_5 deleted_at %d, %v", deletedAt, err)
	}
}

// The final tables do not depend on the order of arrival: the stream is
// replayed as written, reversed, and shuffled with every message twice.
func TestReplayTombstones(t *testing.T) {
	orders := map[string]func() []delivery{
		"AsWritten": tombstoneStream,
		"Reversed": func() []delivery {
			d := tombstoneStream()
			for i, j := 0, len(d)-1; i < j; i, j = i+1, j-1 {
				d[i], d[j] = d[j], d[i]
			}
			return d
		},
	}
	for seed := range uint64(4) {
		orders[fmt.Sprint("ShuffledTwice", seed)] = func() []delivery {
			d := append(tombstoneStream(), tombstoneStream()...)
			rand.New(rand.NewPCG(seed, 7)).Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] })
			return d
		}
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			a := newTestApp(t)
			s, _ := webhookstest.NewSigner(secret)
			for _, d := range order() {
				if code := send(t, a.handler, s, d); code != 200 {
					t.Fatalf("%s: %d", d.id, code)
				}
			}
			checkTombstones(t, a.db)
		})
	}
}

func TestListenAddr(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ":8080"},
		{map[string]string{"PORT": "9000"}, ":9000"},
		{map[string]string{"ADDR": "127.0.0.1:7000", "PORT": "9000"}, "127.0.0.1:7000"},
	} {
		if got := listenAddr(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("listenAddr(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}
