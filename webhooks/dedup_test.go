package webhooks_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/sqldb"
	_ "modernc.org/sqlite"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func openSQLite(t testing.TB) *sql.DB {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "dedup.db") + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type dedupFactory func(t *testing.T, c *clock, opts ...webhooks.DedupOption) webhooks.Deduplicator

var dedupImpls = []struct {
	name string
	new  dedupFactory
}{
	{"Memory", func(t *testing.T, c *clock, opts ...webhooks.DedupOption) webhooks.Deduplicator {
		d, err := webhooks.NewMemoryDeduplicator(append(opts, webhooks.WithDedupClock(c.Now))...)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}},
	{"SQLite", func(t *testing.T, c *clock, opts ...webhooks.DedupOption) webhooks.Deduplicator {
		d, err := webhooks.NewSQLDeduplicator(openSQLite(t), append(opts, webhooks.WithDedupClock(c.Now))...)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}},
}

func TestDeduplicatorLifecycle(t *testing.T) {
	for _, impl := range dedupImpls {
		t.Run(impl.name, func(t *testing.T) {
			ctx := t.Context()
			c := &clock{now: t0}
			d := impl.new(t, c, webhooks.WithLease(time.Minute), webhooks.WithTTL(time.Hour))
			step := func(name string, want webhooks.Claim) {
				t.Helper()
				got, err := d.Claim(ctx, "msg_1")
				if err != nil || got != want {
					t.Fatalf("%s: Claim = %v, %v; want %v", name, got, err, want)
				}
			}
			step("first", webhooks.Claimed)
			step("while in flight", webhooks.InFlight)
			if err := d.Release(ctx, "msg_1"); err != nil {
				t.Fatal(err)
			}
			step("after release", webhooks.Claimed)
			c.Add(time.Minute - time.Millisecond)
			step("lease not over", webhooks.InFlight)
			c.Add(time.Millisecond)
			step("lease over: taken over", webhooks.Claimed)
			if err := d.Complete(ctx, "msg_1"); err != nil {
				t.Fatal(err)
			}
			step("completed", webhooks.AlreadyProcessed)
			if err := d.Release(ctx, "msg_1"); err != nil {
				t.Fatal(err)
			}
			step("release keeps completed", webhooks.AlreadyProcessed)
			c.Add(time.Hour - time.Millisecond)
			step("ttl not over", webhooks.AlreadyProcessed)
			c.Add(time.Millisecond)
			step("ttl over", webhooks.Claimed)
			if _, err := d.Claim(ctx, ""); err == nil {
				t.Fatal("empty id accepted")
			}
			if err := d.Complete(ctx, "msg_never_claimed"); err != nil {
				t.Fatal(err)
			}
			if got, _ := d.Claim(ctx, "msg_never_claimed"); got != webhooks.AlreadyProcessed {
				t.Fatalf("complete without claim: %v", got)
			}
		})
	}
}

func TestDeduplicatorConcurrentClaims(t *testing.T) {
	for _, impl := range dedupImpls {
		t.Run(impl.name, func(t *testing.T) {
			d := impl.new(t, &clock{now: t0})
			var wins atomic.Int32
			var wg sync.WaitGroup
			for range 12 {
				wg.Go(func() {
					got, err := d.Claim(context.Background(), "msg_race")
					if err != nil {
						t.Error(err)
					}
					if got == webhooks.Claimed {
						wins.Add(1)
					}
				})
			}
			wg.Wait()
			if wins.Load() != 1 {
				t.Fatalf("%d winners", wins.Load())
			}
		})
	}
}

func TestMemoryDeduplicatorBounded(t *testing.T) {
	ctx := t.Context()
	c := &clock{now: t0}
	d, err := webhooks.NewMemoryDeduplicator(webhooks.WithMaxEntries(3), webhooks.WithDedupClock(c.Now), webhooks.WithLease(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		id := "msg_" + strconv.Itoa(i)
		d.Claim(ctx, id)
		d.Complete(ctx, id)
	}
	d.Claim(ctx, "msg_3") // evicts msg_0, the oldest
	if d.Len() != 3 {
		t.Fatalf("Len %d", d.Len())
	}
	if got, _ := d.Claim(ctx, "msg_1"); got != webhooks.AlreadyProcessed {
		t.Fatalf("msg_1: %v", got)
	}
	// msg_3's lease expires; a new id drops the expired entry first.
	c.Add(time.Minute + time.Second)
	d.Claim(ctx, "msg_4")
	if got, _ := d.Claim(ctx, "msg_1"); got != webhooks.AlreadyProcessed {
		t.Fatalf("msg_1 evicted before an expired entry: %v", got)
	}
	if got, _ := d.Claim(ctx, "msg_0"); got != webhooks.Claimed {
		t.Fatalf("msg_0 still remembered: %v", got)
	}
	if d.Len() > 3 {
		t.Fatalf("Len %d", d.Len())
	}
}

func TestDedupOptions(t *testing.T) {
	db := openSQLite(t)
	for _, tc := range []struct {
		name string
		sql  bool
		opt  webhooks.DedupOption
		ok   bool
	}{
		{"TTL", false, webhooks.WithTTL(time.Hour), true},
		{"NegativeTTL", false, webhooks.WithTTL(-1), false},
		{"NegativeLease", true, webhooks.WithLease(-1), false},
		{"MaxEntriesOnSQL", true, webhooks.WithMaxEntries(10), false},
		{"NegativeMaxEntries", false, webhooks.WithMaxEntries(-1), false},
		{"DialectOnMemory", false, webhooks.WithDialect(sqldb.Postgres), false},
		{"TableOnMemory", false, webhooks.WithTable("x"), false},
		{"UnknownDialect", true, webhooks.WithDialect(sqldb.Dialect(9)), false},
		{"Postgres", true, webhooks.WithDialect(sqldb.Postgres), true},
		{"Table", true, webhooks.WithTable("my_deliveries"), true},
		{"TableInjection", true, webhooks.WithTable("x; DROP TABLE users"), false},
		{"TableLeadingDigit", true, webhooks.WithTable("1x"), false},
		{"Table55Bytes", true, webhooks.WithTable(strings.Repeat("t", 55)), true},
		{"Table56Bytes", true, webhooks.WithTable(strings.Repeat("t", 56)), false},
		{"ZeroDialect", true, webhooks.WithDialect(0), false},
		{"Nil", true, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.sql {
				_, err = webhooks.NewSQLDeduplicator(db, tc.opt)
			} else {
				_, err = webhooks.NewMemoryDeduplicator(tc.opt)
			}
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if _, err := webhooks.NewSQLDeduplicator(nil); err == nil {
		t.Fatal("nil db accepted")
	}
}

func TestSQLDeduplicatorSchema(t *testing.T) {
	ctx := t.Context()
	db := openSQLite(t)
	d, err := webhooks.NewSQLDeduplicator(db, webhooks.WithTable("hooks_seen"), webhooks.WithDedupClock(fixedClock(t0)))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'hooks_seen'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("table created before first use: %d %v", n, err)
	}
	if _, err := d.Claim(ctx, "msg_1"); err != nil {
		t.Fatal(err)
	}
	if err := d.Complete(ctx, "msg_1"); err != nil {
		t.Fatal(err)
	}
	var state string
	var exp int64
	if err := db.QueryRowContext(ctx, `SELECT state, expires_at FROM hooks_seen WHERE id = 'msg_1'`).Scan(&state, &exp); err != nil {
		t.Fatal(err)
	}
	if state != "done" || exp != t0.Add(webhooks.DefaultDedupTTL).UnixMilli() {
		t.Fatalf("row %s %d", state, exp)
	}
	// A second deduplicator on the same table (another instance) sees it.
	d2, _ := webhooks.NewSQLDeduplicator(db, webhooks.WithTable("hooks_seen"), webhooks.WithDedupClock(fixedClock(t0)))
	if got, err := d2.Claim(ctx, "msg_1"); err != nil || got != webhooks.AlreadyProcessed {
		t.Fatalf("shared: %v %v", got, err)
	}
	if err := d2.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestSQLDeduplicatorPurge(t *testing.T) {
	ctx := t.Context()
	db := openSQLite(t)
	c := &clock{now: t0}
	d, _ := webhooks.NewSQLDeduplicator(db, webhooks.WithDedupClock(c.Now), webhooks.WithTTL(time.Minute))
	d.Claim(ctx, "msg_old")
	d.Complete(ctx, "msg_old")
	c.Add(2 * time.Minute)
	d.Claim(ctx, "msg_new")
	var n int
	db.QueryRowContext(ctx, `SELECT count(*) FROM `+webhooks.DefaultTable).Scan(&n)
	if n != 1 {
		t.Fatalf("%d rows after purge, want 1", n)
	}
}

func TestClaimString(t *testing.T) {
	for c, want := range map[webhooks.Claim]string{webhooks.Claimed: "claimed", webhooks.AlreadyProcessed: "already-processed", webhooks.InFlight: "in-flight", 0: "unknown", 7: "unknown"} {
		if c.String() != want {
			t.Errorf("%d: %s", c, c.String())
		}
	}
}

func openExampleDB() *sql.DB {
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(1) // one in-memory database
	return db
}

// A delivery id whose bytes are reused after the request (fasthttp-based
// frameworks hand out header strings that alias their buffers) must not
// change what the deduplicator remembers: a redelivery is still a duplicate.
func TestMemoryDeduplicatorKeepsItsOwnCopyOfTheID(t *testing.T) {
	d, err := webhooks.NewMemoryDeduplicator()
	if err != nil {
		t.Fatal(err)
	}
	buf := []byte("msg_original_delivery")
	id := unsafe.String(&buf[0], len(buf))
	if c, err := d.Claim(t.Context(), id); err != nil || c != webhooks.Claimed {
		t.Fatalf("first claim: %v %v", c, err)
	}
	if err := d.Complete(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	copy(buf, "msg_somebody_elses_id")
	if c, err := d.Claim(t.Context(), "msg_original_delivery"); err != nil || c != webhooks.AlreadyProcessed {
		t.Fatalf("redelivery after the caller's buffer was reused: %v %v, want AlreadyProcessed", c, err)
	}
}
