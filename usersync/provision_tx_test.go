package usersync_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/clerkguard/clerkguard/usersync"
	"github.com/clerkguard/clerkguard/webhooks/sqldb"
)

// beginCounter wraps a database/sql driver and counts the write
// transactions its connections make: each one begun, and each statement
// executed outside one (an implicit transaction of its own).
type beginCounter struct {
	driver.Driver
	begins, autocommits atomic.Int64
}

// writes is the number of write transactions so far.
func (d *beginCounter) writes() int64 { return d.begins.Load() + d.autocommits.Load() }

func (d *beginCounter) Open(name string) (driver.Conn, error) {
	c, err := d.Driver.Open(name)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, d: d}, nil
}

// countingConn hides the driver's fast paths (ExecerContext, …), so that
// every statement goes through Prepare and is seen.
type countingConn struct {
	driver.Conn
	d    *beginCounter
	inTx bool
}

func (c *countingConn) Prepare(query string) (driver.Stmt, error) {
	st, err := c.Conn.Prepare(query)
	if err != nil {
		return nil, err
	}
	return &countingStmt{Stmt: st, c: c}, nil
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	var tx driver.Tx
	var err error
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		tx, err = b.BeginTx(ctx, opts)
	} else {
		//lint:ignore SA1019 the fallback database/sql itself uses
		tx, err = c.Conn.Begin()
	}
	if err != nil {
		return nil, err
	}
	c.d.begins.Add(1)
	c.inTx = true
	return &countingTx{Tx: tx, c: c}, nil
}

type countingTx struct {
	driver.Tx
	c *countingConn
}

func (t *countingTx) Commit() error   { t.c.inTx = false; return t.Tx.Commit() }
func (t *countingTx) Rollback() error { t.c.inTx = false; return t.Tx.Rollback() }

type countingStmt struct {
	driver.Stmt
	c *countingConn
}

func (s *countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if !s.c.inTx {
		s.c.d.autocommits.Add(1)
	}
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	//lint:ignore SA1019 the fallback database/sql itself uses
	return s.Stmt.Exec(values(args))
}

func (s *countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	//lint:ignore SA1019 the fallback database/sql itself uses
	return s.Stmt.Query(values(args))
}

// values is args without their names, for a driver without the context
// methods.
func values(args []driver.NamedValue) []driver.Value {
	vals := make([]driver.Value, len(args))
	for i, a := range args {
		vals[i] = a.Value
	}
	return vals
}

var (
	countingOnce sync.Once
	counting     = new(beginCounter)
)

// countingStore is a SQLite Store whose transactions are counted.
func countingStore(t *testing.T) (*usersync.Store, *beginCounter) {
	t.Helper()
	countingOnce.Do(func() {
		probe, err := sql.Open("sqlite", ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		counting.Driver = probe.Driver()
		probe.Close()
		sql.Register("sqlite-counting-begins", counting)
	})
	db, err := sql.Open("sqlite-counting-begins", filepath.Join(t.TempDir(), "tx.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	s, err := usersync.New(t.Context(), db, usersync.WithDialect(sqldb.SQLite))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, counting
}

// A first login writes the user, the organization and the membership it
// fetched in one transaction, after the last Backend API call (no
// transaction is open while it waits for Clerk). When the membership
// lookup fails, the user and organization already fetched are still
// written, in one transaction, and the next request fetches only the
// membership.
func TestJITWritesOneTransaction(t *testing.T) {
	s, counter := countingStore(t)
	iss, api := newIssuer(t), fakeWithAda(t)
	api.addUser(userJSON("user_2", "grace@x.test", "Grace", 2000))
	j := newJIT(t, iss, api, s)
	ctx := t.Context()

	t.Run("first login", func(t *testing.T) {
		before := counter.writes()
		if _, err := j.auth.VerifyToken(ctx, token(iss, "user_1", "org_1")); err != nil {
			t.Fatal(err)
		}
		if n := counter.writes() - before; n != 1 {
			t.Fatalf("first login of a user in an organization made %d write transactions, want 1", n)
		}
		if _, err := s.Membership(ctx, "org_1", "user_1"); err != nil {
			t.Fatalf("membership not written: %v", err)
		}
	})

	t.Run("membership lookup fails", func(t *testing.T) {
		api.addOrg(orgJSON("org_2", "Globex", 2000))
		api.addMember("org_2", membershipJSON("orgmem_2", "org_2", "user_2", "org:member", 2000))
		api.Fail(func(r *http.Request) int {
			if strings.HasSuffix(r.URL.Path, "/memberships") {
				return http.StatusInternalServerError
			}
			return 0
		})
		before := counter.writes()
		if _, err := j.auth.VerifyToken(ctx, token(iss, "user_2", "org_2")); err == nil {
			t.Fatal("a failed membership lookup signed the request in")
		}
		if n := counter.writes() - before; n != 1 {
			t.Fatalf("a first login whose membership lookup failed made %d write transactions, want 1", n)
		}
		if _, err := s.User(ctx, "user_2"); err != nil {
			t.Fatalf("the user fetched before the failure was not written: %v", err)
		}
		if _, err := s.Organization(ctx, "org_2"); err != nil {
			t.Fatalf("the organization fetched before the failure was not written: %v", err)
		}
		api.Fail(nil)
		users, orgs := api.RequestsTo("/v1/users/user_2"), api.RequestsTo("/v1/organizations/org_2")
		if _, err := j.auth.VerifyToken(ctx, token(iss, "user_2", "org_2")); err != nil {
			t.Fatalf("after the Backend API recovered: %v", err)
		}
		if api.RequestsTo("/v1/users/user_2") != users || api.RequestsTo("/v1/organizations/org_2") != orgs {
			t.Fatal("the retry fetched the user or organization again, though both were written")
		}
		if _, err := s.Membership(ctx, "org_2", "user_2"); err != nil {
			t.Fatalf("membership not written on the retry: %v", err)
		}
	})
}
