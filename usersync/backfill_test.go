package usersync_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/usersync"
)

// fakeInstance serves 7 users, 3 organizations, 5 memberships in org_1, one
// in org_2 and one in org_3.
func fakeInstance(t *testing.T) *fakeAPI {
	api := newFakeAPI(t)
	for i := 1; i <= 7; i++ {
		api.addUser(userJSON(fmt.Sprintf("user_%d", i), fmt.Sprintf("u%d@x.test", i), fmt.Sprintf("U%d", i), 2000))
	}
	for i := 1; i <= 3; i++ {
		api.addOrg(orgJSON(fmt.Sprintf("org_%d", i), fmt.Sprintf("Org %d", i), 2000))
	}
	for i := 1; i <= 5; i++ {
		api.addMember("org_1", membershipJSON(fmt.Sprintf("orgmem_1_%d", i), "org_1", fmt.Sprintf("user_%d", i), "org:member", 2000))
	}
	api.addMember("org_2", membershipJSON("orgmem_2_6", "org_2", "user_6", "org:admin", 2000))
	api.addMember("org_3", membershipJSON("orgmem_3_7", "org_3", "user_7", "org:admin", 2000))
	return api
}

// Backfill pages through users, organizations and the memberships of every
// live organization; a failure stops it and the next run resumes at the
// page that failed; a finished run does nothing until WithRestart. Webhook
// data newer than the Backend API's copy and deletions that arrived first
// survive.
func TestBackfillPaginatedResumableIdempotent(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		api := fakeInstance(t)
		s := db.open(t)
		h := webhookHandler(t, s)
		for _, d := range []delivery{
			ev("w1", "user.updated", 9000, userJSON("user_1", "newer@x.test", "U1 newer", 9000)),
			ev("w2", "user.deleted", 9000, deletedJSON("user_2", "user")),
			ev("w3", "organization.deleted", 9000, deletedJSON("org_3", "organization")),
		} {
			if code := send(t, h, d); code != 200 {
				t.Fatalf("%s: %d", d.id, code)
			}
		}
		ctx := t.Context()
		opts := []usersync.BackfillOption{usersync.WithBackfillClientConfig(api.config()), usersync.WithPageSize(2),
			usersync.WithBackfillLogger(quiet)}

		api.Fail(func(r *http.Request) int {
			if r.URL.Path == "/v1/users" && r.URL.Query().Get("offset") == "4" {
				return http.StatusInternalServerError
			}
			return 0
		})
		// Page size 2 reads 3 objects a page, one of them again (the
		// overlap): offsets 0, 2, 4, 6.
		st, err := usersync.Backfill(ctx, s, opts...)
		if !errors.Is(err, usersync.ErrBackend) || st.Users != 5 || !usersync.Resumable(err) {
			t.Fatalf("failing page: %+v %v, want 5 users then a resumable ErrBackend", st, err)
		}
		api.requests()
		api.Fail(nil)
		st, err = usersync.Backfill(ctx, s, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if want := (usersync.BackfillStats{Users: 3, Organizations: 3, Memberships: 6, Pages: 2 + 2 + 3 + 1}); st != want {
			t.Fatalf("resumed run: %+v, want %+v (org_3 is deleted: its memberships are not listed)", st, want)
		}
		want := "/v1/users?4 /v1/users?6 /v1/organizations?0 /v1/organizations?2 /v1/organizations/org_1/memberships?0 " +
			"/v1/organizations/org_1/memberships?2 /v1/organizations/org_1/memberships?4 /v1/organizations/org_2/memberships?0"
		if got := strings.Join(api.requests(), " "); got != want {
			t.Fatalf("resumed run must start at the failed page (offset 4), one call per page (no /v1/users/count), requests:\n%s\nwant\n%s", got, want)
		}
		for i := 1; i <= 7; i++ {
			u, err := s.User(ctx, fmt.Sprintf("user_%d", i))
			if err != nil {
				t.Fatalf("user_%d: %v", i, err)
			}
			switch {
			case i == 1 && u.PrimaryEmail != "newer@x.test":
				t.Errorf("user_1: %q: the webhook's newer data must survive the backfill", u.PrimaryEmail)
			case i == 2 && !u.Deleted():
				t.Error("user_2: a deletion must survive the backfill")
			case i > 2 && u.PrimaryEmail != fmt.Sprintf("u%d@x.test", i):
				t.Errorf("user_%d: %q", i, u.PrimaryEmail)
			}
		}
		ms, err := s.Memberships(ctx, "user_5")
		if err != nil || len(ms) != 1 || ms[0].OrganizationID != "org_1" {
			t.Errorf("user_5's memberships: %+v %v", ms, err)
		}
		if m, err := s.Membership(ctx, "org_1", "user_2"); err != nil || !m.Deleted() {
			t.Errorf("a membership of a deleted user is stored deleted: %+v %v", m, err)
		}

		st, err = usersync.Backfill(ctx, s, opts...)
		if err != nil || st != (usersync.BackfillStats{}) || len(api.requests()) != 0 {
			t.Fatalf("finished backfill run again: %+v %v, want nothing fetched", st, err)
		}
		st, err = usersync.Backfill(ctx, s, append(opts, usersync.WithRestart())...)
		if err != nil || st.Users != 7 || st.Organizations != 3 || st.Memberships != 6 {
			t.Fatalf("WithRestart: %+v %v", st, err)
		}
		if u, _ := s.User(ctx, "user_1"); u.PrimaryEmail != "newer@x.test" {
			t.Errorf("a second full run must be idempotent: user_1 %q", u.PrimaryEmail)
		}
	})
}

func TestBackfillTimeoutAndOptions(t *testing.T) {
	api := fakeInstance(t)
	api.Delay(5 * time.Second)
	s := database{"sqlite", t.TempDir() + "/b.db"}.open(t)
	start := time.Now()
	_, err := usersync.Backfill(t.Context(), s, usersync.WithBackfillClientConfig(api.config()),
		usersync.WithPageTimeout(100*time.Millisecond), usersync.WithBackfillLogger(quiet))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("slow page: %v after %v, want context.DeadlineExceeded after ~100ms", err, time.Since(start))
	}
	for _, o := range []usersync.BackfillOption{usersync.WithPageSize(501), usersync.WithPageSize(-1), usersync.WithPageTimeout(-1)} {
		if _, err := usersync.Backfill(t.Context(), s, o); err == nil {
			t.Error("bad option accepted")
		}
	}
	if _, err := usersync.Backfill(t.Context(), nil); err == nil {
		t.Error("nil Store accepted")
	}
}

// A backfill running while webhooks arrive ends with the webhooks' newer
// data and deletions, whichever write lands last.
func TestBackfillConcurrentWithWebhooks(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		api := fakeInstance(t) // every user at updated_at 2000
		api.Delay(5 * time.Millisecond)
		s := db.open(t)
		h := webhookHandler(t, s)
		done := make(chan error, 1)
		go func() {
			_, err := usersync.Backfill(t.Context(), s, usersync.WithBackfillClientConfig(api.config()),
				usersync.WithPageSize(2), usersync.WithBackfillLogger(quiet))
			done <- err
		}()
		for i := 1; i <= 7; i++ {
			id := fmt.Sprintf("user_%d", i)
			d := ev("w_"+id, "user.updated", 9000, userJSON(id, "hook-"+id+"@x.test", "Hook", 9000))
			if i%3 == 0 {
				d = ev("w_"+id, "user.deleted", 9000, deletedJSON(id, "user"))
			}
			if code := send(t, h, d); code != 200 {
				t.Fatalf("%s: %d", d.id, code)
			}
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 7; i++ {
			u, err := s.User(t.Context(), fmt.Sprintf("user_%d", i))
			if err != nil {
				t.Fatal(err)
			}
			if i%3 == 0 && !u.Deleted() || i%3 != 0 && (u.Deleted() || u.PrimaryEmail != fmt.Sprintf("hook-user_%d@x.test", i)) {
				t.Errorf("user_%d: %q deleted=%v: the webhooks' newer state must win over the backfill's", i, u.PrimaryEmail, u.Deleted())
			}
		}
	})
}

// An API that ignores offset (it serves the first page again) stops the
// backfill at the second page with ErrPaging, not resumable, instead of
// looping until the context ends (behaviour.md §11.7).
func TestBackfillPagingIgnored(t *testing.T) {
	api := fakeInstance(t)
	api.IgnorePaging(true)
	s := database{"sqlite", t.TempDir() + "/p.db"}.open(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	st, err := usersync.Backfill(ctx, s, usersync.WithBackfillClientConfig(api.config()), usersync.WithPageSize(2), usersync.WithBackfillLogger(quiet))
	if !errors.Is(err, usersync.ErrPaging) || usersync.Resumable(err) || !strings.Contains(err.Error(), "users") {
		t.Fatalf("paging ignored: %v, want ErrPaging naming the list, not resumable", err)
	}
	if st.Pages != 2 || api.RequestsTo("/v1/users") != 2 {
		t.Fatalf("paging ignored: %d pages, %d list calls, want 2 and 2", st.Pages, api.RequestsTo("/v1/users"))
	}
}

// Objects deleted while the backfill pages through never make it skip a
// live one: one deletion before the next page (within the overlap), and
// more deletions than the overlap spans (it steps back) (behaviour.md §11.6).
func TestBackfillDeletionMidRun(t *testing.T) {
	for _, tc := range []struct {
		name    string
		deleted []string // deleted in Clerk right after the first users page
	}{
		{"OneBefore", []string{"user_1"}},
		{"MoreThanTheOverlap", []string{"user_1", "user_2", "user_3"}},
		{"TheOverlapItself", []string{"user_3"}},
		{"None", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := fakeInstance(t) // user_1 … user_7
			var once sync.Once
			api.OnRequest(func(r *http.Request) {
				if r.URL.Path == "/v1/users" && r.URL.Query().Get("offset") != "0" {
					once.Do(func() {
						for _, id := range tc.deleted {
							api.DeleteUser(id)
						}
					})
				}
			})
			s := database{"sqlite", t.TempDir() + "/d.db"}.open(t)
			if _, err := usersync.Backfill(t.Context(), s, usersync.WithBackfillClientConfig(api.config()),
				usersync.WithPageSize(2), usersync.WithBackfillLogger(quiet)); err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= 7; i++ {
				id := fmt.Sprintf("user_%d", i)
				_, err := s.User(t.Context(), id)
				read := err == nil
				if !read && !slices.Contains(tc.deleted, id) {
					t.Errorf("%s, never deleted, was skipped: %v", id, err)
				}
			}
		})
	}
}
