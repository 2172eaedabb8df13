package usersync_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/usersync"
	"github.com/clerkguard/clerkguard/webhooks"
)

// BenchmarkJITCachedToken: a known user's repeated token is a cache hit of
// the Authorizer, where the Provisioner does not run: the db-queries/op
// metric must be 0, and ns/op close to the Authorizer without it.
//
//	cd usersync && go test -run '^$' -bench JITCachedToken -benchmem
func BenchmarkJITCachedToken(b *testing.B) {
	iss, api := newIssuer(b), fakeWithAda(b)
	s := database{"sqlite", filepath.Join(b.TempDir(), "bench.db")}.open(b)
	j := newJIT(b, iss, api, s)
	plain, err := core.New(append(iss.AuthorizerOptions(), core.WithLogger(quiet))...)
	if err != nil {
		b.Fatal(err)
	}
	tok := token(iss, "user_1", "org_1")
	for _, tc := range []struct {
		name string
		auth *core.Authorizer
	}{{"WithoutJIT", plain}, {"WithJIT", j.auth}} {
		b.Run(tc.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Authorization", "Bearer "+tok)
			if _, err := tc.auth.AuthenticateHTTP(r); err != nil { // the fresh verification
				b.Fatal(err)
			}
			before := usersync.QueryCount(s)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := tc.auth.AuthenticateHTTP(r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(usersync.QueryCount(s)-before)/float64(b.N), "db-queries/op")
		})
	}
}

// BenchmarkWebhookEvents measures signed user.updated deliveries handled
// end to end (verification, dedup claim and completion, the upsert in its
// transaction), one at a time, as events/s. SQLite runs as Open sets it up
// (WAL, synchronous=NORMAL) and, for comparison in the same run, with
// SQLite's default synchronous=FULL (a disk flush per commit). The
// …Concurrent cases deliver from 4×GOMAXPROCS goroutines, as Svix does in
// parallel (run them with -cpu 1,2).
//
//	cd usersync && go test -run '^$' -bench WebhookEvents -benchtime 2000x -count 3
//	(PostgreSQL: export CLERKGUARD_TEST_POSTGRES_URL=$(scripts/postgres) first)
func BenchmarkWebhookEvents(b *testing.B) {
	run := func(b *testing.B, s *usersync.Store) {
		h := webhookHandler(b, s)
		reqs := make([]*http.Request, 0, b.N)
		for i := range b.N {
			d := ev(fmt.Sprintf("msg_bench_%d", i), "user.updated", int64(1000+i),
				userJSON(fmt.Sprintf("user_%d", i%100), "b@x.test", "B", int64(1000+i)))
			reqs = append(reqs, signer.Request("/webhooks/clerk", d.id, now, []byte(d.body)))
		}
		b.ResetTimer()
		for _, r := range reqs {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	}
	parallel := func(b *testing.B, s *usersync.Store) {
		h := webhookHandler(b, s)
		reqs := make([]*http.Request, 0, b.N)
		for i := range b.N {
			d := ev(fmt.Sprintf("msg_par_%d", i), "user.updated", int64(1000+i),
				userJSON(fmt.Sprintf("user_%d", i%100), "b@x.test", "B", int64(1000+i)))
			reqs = append(reqs, signer.Request("/webhooks/clerk", d.id, now, []byte(d.body)))
		}
		var next atomic.Int64
		b.SetParallelism(4) // Svix delivers concurrently; 4 per GOMAXPROCS
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, reqs[next.Add(1)-1])
				if rec.Code != http.StatusOK {
					b.Errorf("status %d", rec.Code)
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	}
	b.Run("SQLite", func(b *testing.B) {
		run(b, database{"sqlite", filepath.Join(b.TempDir(), "bench.db")}.open(b))
	})
	b.Run("SQLiteConcurrent", func(b *testing.B) {
		parallel(b, database{"sqlite", filepath.Join(b.TempDir(), "par.db")}.open(b))
	})
	b.Run("PostgresConcurrent", func(b *testing.B) { parallel(b, database{"postgres", freshSchema(b)}.open(b)) })
	b.Run("SQLiteSynchronousFull", func(b *testing.B) {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "full.db")+
			"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
		if err != nil {
			b.Fatal(err)
		}
		s, err := usersync.New(b.Context(), db)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		run(b, s)
	})
	b.Run("Postgres", func(b *testing.B) { run(b, database{"postgres", freshSchema(b)}.open(b)) })
}

// backfillUsers is the size of the backfill benchmarks' Clerk instance.
const backfillUsers = 100_000

// BenchmarkBackfill imports 100 000 users from the fake Backend API into an
// empty database, end to end (HTTP, JSON, one transaction per page), as
// rows/s; each iteration starts from a new database.
//
//	cd usersync && go test -run '^$' -bench Backfill -benchtime 1x -count 3
//	(PostgreSQL: export CLERKGUARD_TEST_POSTGRES_URL=$(scripts/postgres) first)
func BenchmarkBackfill(b *testing.B) {
	api := usersAPI(b, backfillUsers)
	run := func(b *testing.B, fresh func(b *testing.B) database, pageSize int) {
		for b.Loop() {
			b.StopTimer()
			s := fresh(b).open(b)
			b.StartTimer()
			st, err := usersync.Backfill(b.Context(), s, usersync.WithBackfillClientConfig(api),
				usersync.WithPageSize(pageSize), usersync.WithBackfillLogger(quiet))
			if err != nil || st.Users != backfillUsers {
				b.Fatalf("backfill: %d users, %v", st.Users, err)
			}
		}
		b.ReportMetric(float64(backfillUsers*b.N)/b.Elapsed().Seconds(), "rows/s")
	}
	sqlite := func(b *testing.B) database {
		return database{"sqlite", filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", time.Now().UnixNano()))}
	}
	postgres := func(b *testing.B) database { return database{"postgres", freshSchema(b)} }
	for _, ps := range []int{usersync.DefaultPageSize, 500} {
		b.Run(fmt.Sprintf("SQLite/Page%d", ps), func(b *testing.B) { run(b, sqlite, ps) })
		b.Run(fmt.Sprintf("Postgres/Page%d", ps), func(b *testing.B) { run(b, postgres, ps) })
	}
}

// usersAPI is a minimal Backend API for the backfill benchmark, apart from
// the tests' fake so that its cost stays small and fixed: n users served by
// GET /v1/users (limit, offset), no organizations.
func usersAPI(b *testing.B, n int) *clerk.ClientConfig {
	users := make([]string, n)
	for i := range users {
		users[i] = userJSON(fmt.Sprintf("user_%06d", i), fmt.Sprintf("u%d@x.test", i), "U", int64(1000+i))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		offset, _ := strconv.Atoi(q.Get("offset"))
		offset = min(max(offset, 0), n)
		end := min(offset+max(limit, 0), n)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/users":
			_, _ = io.WriteString(w, "["+strings.Join(users[offset:end], ",")+"]")
		case "/v1/users/count":
			_, _ = fmt.Fprintf(w, `{"object":"total_count","total_count":%d}`, n)
		case "/v1/organizations":
			_, _ = io.WriteString(w, `{"data":[],"total_count":0}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"errors":[{"code":"resource_not_found","message":"not found"}]}`)
		}
	}))
	b.Cleanup(srv.Close)
	return &clerk.ClientConfig{BackendConfig: clerk.BackendConfig{
		URL: clerk.String(srv.URL + "/v1"), Key: clerk.String("sk_test_bench")}}
}

// BenchmarkStoreWrites compares, in one run, writing decoded users row by
// row (one transaction each, as before batches) with Store.Apply of a
// batch per 500 (what Backfill does with a page), as rows/s.
//
//	cd usersync && go test -run '^$' -bench StoreWrites -benchtime 20000x -count 3
func BenchmarkStoreWrites(b *testing.B) {
	users := make([]*webhooks.User, 0, 1000)
	for i := range cap(users) {
		var u webhooks.User
		if err := json.Unmarshal([]byte(userJSON(fmt.Sprintf("user_%d", i), "w@x.test", "W", 1000)), &u); err != nil {
			b.Fatal(err)
		}
		users = append(users, &u)
	}
	run := func(b *testing.B, s *usersync.Store, batch int) {
		ctx := b.Context()
		var bt usersync.Batch
		ts := int64(2000) // newer each round, so every upsert writes
		n := 0
		for b.Loop() {
			u := users[n%len(users)]
			n++
			if n%len(users) == 0 {
				ts++
			}
			if batch == 1 {
				if err := s.UpsertUser(ctx, u, ts); err != nil {
					b.Fatal(err)
				}
				continue
			}
			bt.UpsertUser(u, ts)
			if bt.Len() == batch {
				if err := s.Apply(ctx, &bt); err != nil {
					b.Fatal(err)
				}
				bt.Reset()
			}
		}
		if err := s.Apply(ctx, &bt); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	}
	for _, db := range []struct {
		name string
		open func(b *testing.B) *usersync.Store
	}{
		{"SQLite", func(b *testing.B) *usersync.Store {
			return database{"sqlite", filepath.Join(b.TempDir(), "w.db")}.open(b)
		}},
		{"Postgres", func(b *testing.B) *usersync.Store { return database{"postgres", freshSchema(b)}.open(b) }},
	} {
		b.Run(db.name+"/RowByRow", func(b *testing.B) { run(b, db.open(b), 1) })
		b.Run(db.name+"/Batch500", func(b *testing.B) { run(b, db.open(b), 500) })
	}
}
