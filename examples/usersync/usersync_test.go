package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

var (
	now    = time.Unix(1700000000, 0)
	secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	quiet  = slog.New(slog.NewTextHandler(io.Discard, nil))
)

type delivery struct {
	id   string
	body string
}

func ev(id, typ string, ts int64, data string) delivery {
	return delivery{id, fmt.Sprintf(`{"type":%q,"object":"event","timestamp":%d,"instance_id":"ins_1","data":%s}`, typ, ts, data)}
}

func user(id, email, first string, updated int64) string {
	return fmt.Sprintf(`{"id":%q,"object":"user","first_name":%q,"last_name":null,"username":null,"image_url":"",
"primary_email_address_id":"idn_%s","email_addresses":[{"id":"idn_%s","email_address":%q}],
"public_metadata":{},"private_metadata":{},"unsafe_metadata":{},"created_at":1000,"updated_at":%d}`, id, first, id, id, email, updated)
}

func org(id, name string, updated int64) string {
	return fmt.Sprintf(`{"id":%q,"object":"organization","name":%q,"slug":"acme","image_url":"","public_metadata":{},"created_at":1000,"updated_at":%d}`, id, name, updated)
}

func membership(id, orgID, userID, role string) string {
	return fmt.Sprintf(`{"id":%q,"object":"organization_membership","role":%q,"organization":{"id":%q,"name":"Acme"},
"public_user_data":{"user_id":%q,"identifier":"x"},"created_at":1500,"updated_at":1500}`, id, role, orgID, userID)
}

// stream is a delivery sequence as Svix might produce it: retries (same
// svix-id), events out of order, and a deletion before the creation.
func stream() []delivery {
	d := []delivery{
		ev("msg_u1_created", "user.created", 1000, user("user_1", "a@x.test", "Ada", 1000)),
		ev("msg_u1_upd3", "user.updated", 3000, user("user_1", "c@x.test", "Ada C", 3000)),
		ev("msg_u1_upd2", "user.updated", 2000, user("user_1", "b@x.test", "Ada B", 2000)), // older, arrives later
		ev("msg_u1_upd3", "user.updated", 3000, user("user_1", "c@x.test", "Ada C", 3000)), // retry

		ev("msg_u2_created", "user.created", 1000, user("user_2", "bob@x.test", "Bob", 1000)),
		ev("msg_u2_deleted", "user.deleted", 5000, `{"id":"user_2","object":"user","deleted":true}`),
		ev("msg_u2_upd4", "user.updated", 4000, user("user_2", "bob2@x.test", "Bob 2", 4000)), // older than the deletion
		ev("msg_u2_created", "user.created", 1000, user("user_2", "bob@x.test", "Bob", 1000)), // retry

		ev("msg_u3_deleted", "user.deleted", 5000, `{"id":"user_3","object":"user","deleted":true}`),
		ev("msg_u3_created", "user.created", 1000, user("user_3", "cy@x.test", "Cy", 1000)), // before the deletion, arrives after

		ev("msg_o1_created", "organization.created", 1000, org("org_1", "Acme", 1000)),
		ev("msg_o1_upd3", "organization.updated", 3000, org("org_1", "Acme Inc", 3000)),
		ev("msg_o1_upd2", "organization.updated", 2000, org("org_1", "Acme Old", 2000)),
		ev("msg_o2_created", "organization.created", 1000, org("org_2", "Gone", 1000)),
		ev("msg_o2_deleted", "organization.deleted", 2000, `{"id":"org_2","object":"organization","deleted":true}`),

		ev("msg_m1_upd", "organizationMembership.updated", 2500, membership("orgmem_1", "org_1", "user_1", "org:admin")),
		ev("msg_m1_created", "organizationMembership.created", 1500, membership("orgmem_1", "org_1", "user_1", "org:member")),
		ev("msg_m2_created", "organizationMembership.created", 1500, membership("orgmem_2", "org_1", "user_2", "org:member")),
		ev("msg_m2_deleted", "organizationMembership.deleted", 6000, membership("orgmem_2", "org_1", "user_2", "org:member")),
		ev("msg_m3_deleted", "organizationMembership.deleted", 6000, membership("orgmem_3", "org_1", "user_3", "org:member")),

		ev("msg_session", "session.created", 1000, `{"id":"sess_1","user_id":"user_1"}`), // not handled: 200
	}
	return d
}

func newTestApp(t *testing.T) *app {
	t.Helper()
	env := map[string]string{
		"CLERK_WEBHOOK_SIGNING_SECRET": secret,
		"SQLITE_PATH":                  filepath.Join(t.TempDir(), "usersync.db"),
	}
	a, err := newApp(t.Context(), func(k string) string { return env[k] }, quiet, webhooks.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.db.Close() })
	return a
}

// send delivers d like Svix: retried while the answer is not 2xx (409 while
// a duplicate is in flight).
func send(t *testing.T, h http.Handler, s *webhookstest.Signer, d delivery) int {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, s.Request("/webhooks/clerk", d.id, now, []byte(d.body)))
		if rec.Code != http.StatusConflict {
			return rec.Code
		}
		time.Sleep(time.Millisecond)
	}
	t.Errorf("%s: still in flight", d.id)
	return 0
}

type userRow struct {
	Email, First string
	Deleted      bool
	EventTS      int64
}

func checkState(t *testing.T, db *sql.DB) {
	t.Helper()
	ctx := context.Background()
	users := map[string]userRow{}
	rows, err := db.QueryContext(ctx, `SELECT id, email, first_name, deleted_at IS NOT NULL, event_ts FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var r userRow
		if err := rows.Scan(&id, &r.Email, &r.First, &r.Deleted, &r.EventTS); err != nil {
			t.Fatal(err)
		}
		users[id] = r
	}
	rows.Close()
	want := map[string]userRow{
		"user_1": {"c@x.test", "Ada C", false, 3000},   // newest update wins over the late older one
		"user_2": {"bob2@x.test", "Bob 2", true, 4000}, // soft-deleted, with its newest data
		"user_3": {"cy@x.test", "Cy", true, 1000},      // deleted before it was created: stays deleted
	}
	if fmt.Sprint(users) != fmt.Sprint(want) {
		t.Errorf("users:\n got %v\nwant %v", users, want)
	}

	orgs := map[string]string{}
	rows, _ = db.QueryContext(ctx, `SELECT id, name, deleted_at IS NOT NULL FROM organizations`)
	for rows.Next() {
		var id, name string
		var del bool
		rows.Scan(&id, &name, &del)
		orgs[id] = fmt.Sprint(name, " deleted=", del)
	}
	rows.Close()
	if fmt.Sprint(orgs) != fmt.Sprint(map[string]string{"org_1": "Acme Inc deleted=false", "org_2": "Gone deleted=true"}) {
		t.Errorf("organizations: %v", orgs)
	}

	mems := map[string]string{}
	rows, _ = db.QueryContext(ctx, `SELECT id, organization_id, user_id, role, deleted_at IS NOT NULL FROM organization_memberships`)
	for rows.Next() {
		var id, o, u, role string
		var del bool
		rows.Scan(&id, &o, &u, &role, &del)
		mems[id] = fmt.Sprint(o, " ", u, " ", role, " deleted=", del)
	}
	rows.Close()
	wantMems := map[string]string{
		"orgmem_1": "org_1 user_1 org:admin deleted=false", // the late creation does not undo the update
		"orgmem_2": "org_1 user_2 org:member deleted=true",
		"orgmem_3": "org_1 user_3 org:member deleted=true", // deletion of a membership never seen
	}
	if fmt.Sprint(mems) != fmt.Sprint(wantMems) {
		t.Errorf("memberships:\n got %v\nwant %v", mems, wantMems)
	}
}

func TestReplayInOrderWithDuplicates(t *testing.T) {
	a := newTestApp(t)
	s, _ := webhookstest.NewSigner(secret)
	for _, d := range stream() {
		if code := send(t, a.handler, s, d); code != 200 {
			t.Fatalf("%s: %d", d.id, code)
		}
	}
	checkState(t, a.db)
	// Every message was recorded once in the shared deduplication table.
	var n int
	a.db.QueryRow(`SELECT count(*) FROM ` + webhooks.DefaultTable + ` WHERE state = 'done'`).Scan(&n)
	if n != 18 { // 21 deliveries, 2 of them retries; session.created has no handler and is not recorded
		t.Errorf("%d deliveries recorded", n)
	}
}

func TestReplayShuffledConcurrent(t *testing.T) {
	for seed := range uint64(5) {
		t.Run(fmt.Sprint("Seed", seed), func(t *testing.T) {
			a := newTestApp(t)
			s, _ := webhookstest.NewSigner(secret)
			// Every delivery twice, shuffled, four at a time.
			all := append(stream(), stream()...)
			rand.New(rand.NewPCG(seed, 42)).Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
			work := make(chan delivery)
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for d := range work {
						if code := send(t, a.handler, s, d); code != 200 {
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
			checkState(t, a.db)
		})
	}
}

// A handler that fails (here: the table is missing, as in a database
// outage) answers 500, and Svix's retry of the same message succeeds.
func TestHandlerFailureIsRetried(t *testing.T) {
	a := newTestApp(t)
	s, _ := webhookstest.NewSigner(secret)
	d := ev("msg_u9", "user.created", 1000, user("user_9", "n@x.test", "Nine", 1000))
	// Break the users table for the first delivery.
	if _, err := a.db.Exec(`ALTER TABLE users RENAME TO users_away`); err != nil {
		t.Fatal(err)
	}
	if code := send(t, a.handler, s, d); code != 500 {
		t.Fatalf("broken table: %d", code)
	}
	if _, err := a.db.Exec(`ALTER TABLE users_away RENAME TO users`); err != nil {
		t.Fatal(err)
	}
	if code := send(t, a.handler, s, d); code != 200 {
		t.Fatalf("retry: %d", code)
	}
	var email string
	if err := a.db.QueryRow(`SELECT email FROM users WHERE id = 'user_9'`).Scan(&email); err != nil || email != "n@x.test" {
		t.Fatalf("after retry: %q %v", email, err)
	}
}

func TestRejectsUnsigned(t *testing.T) {
	a := newTestApp(t)
	d := ev("msg_x", "user.created", 1000, user("user_x", "x@x.test", "X", 1000))
	s, _ := webhookstest.NewSigner(webhookstest.NewSecret()) // another endpoint's secret
	if code := send(t, a.handler, s, d); code != 400 {
		t.Fatalf("foreign signature: %d", code)
	}
	var n int
	a.db.QueryRow(`SELECT count(*) FROM users`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d users", n)
	}
}

func TestHealthzAndConfig(t *testing.T) {
	a := newTestApp(t)
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz %d", resp.StatusCode)
	}
	resp, err = srv.Client().Get(srv.URL + "/webhooks/clerk")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET webhook %d", resp.StatusCode)
	}
	if _, err := newApp(t.Context(), func(string) string { return "" }, quiet); err == nil {
		t.Fatal("started without CLERK_WEBHOOK_SIGNING_SECRET")
	}
}

func TestPostgresPlaceholders(t *testing.T) {
	s := NewStore(nil, true)
	if got := s.q(`VALUES (?, ?, ?)`); got != `VALUES ($1, $2, $3)` {
		t.Fatal(got)
	}
}

func TestOpenDBSelection(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		env      map[string]string
		postgres bool
		file     string // SQLite file that must exist after a query
	}{
		{"DefaultSQLite", map[string]string{"SQLITE_PATH": filepath.Join(dir, "a.db")}, false, "a.db"},
		{"SQLiteURL", map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "b.db")}, false, "b.db"},
		{"SQLiteSlashes", map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(dir, "c.db")}, false, "c.db"},
		{"Postgres", map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=1"}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, postgres, err := openDB(func(k string) string { return tc.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if postgres != tc.postgres {
				t.Fatalf("postgres = %v", postgres)
			}
			if tc.file != "" {
				if _, err := db.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(filepath.Join(dir, tc.file)); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
