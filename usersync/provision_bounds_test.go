package usersync_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/usersync"
)

// A burst of first logins (500 distinct new users at once) completes with
// no failure on the default pool and the default Provisioner, never using
// more than DefaultMaxOpenConns database connections (counted by the
// server, pg_stat_activity, on PostgreSQL) nor more than
// DefaultMaxConcurrent Backend API calls at once (behaviour.md §11.1, §11.3).
func TestJITBurstBounded(t *testing.T) {
	const users = 500
	eachDatabase(t, func(t *testing.T, db database) {
		iss := newIssuer(t)
		api := newFakeAPI(t)
		for i := range users {
			api.AddUser(clerktest.User{ID: fmt.Sprintf("user_%d", i)})
		}
		api.Delay(2 * time.Millisecond) // some Backend API latency, so calls overlap
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		app := "usersync_burst_" + hex.EncodeToString(b)
		url := db.url
		if db.name == "postgres" {
			url += "&application_name=" + app
		}
		s := database{db.name, url}.open(t) // Open's default pool
		j := newJIT(t, iss, api, s)
		toks := make([]string, users)
		for i := range toks {
			toks[i] = token(iss, fmt.Sprintf("user_%d", i), "")
		}

		var maxServer, maxPool atomic.Int64
		stop := make(chan struct{})
		var sampler sync.WaitGroup
		sampler.Go(func() {
			var admin *sql.DB
			if db.name == "postgres" {
				var err error
				if admin, err = sql.Open("pgx", postgresURL(t)); err != nil {
					t.Error(err)
					return
				}
				defer admin.Close()
				admin.SetMaxOpenConns(1)
			}
			for {
				if n := int64(s.DB().Stats().OpenConnections); n > maxPool.Load() {
					maxPool.Store(n)
				}
				if admin != nil {
					var n int64
					if err := admin.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err == nil && n > maxServer.Load() {
						maxServer.Store(n)
					}
				}
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
				}
			}
		})

		var failures atomic.Int64
		var first atomic.Value
		var wg sync.WaitGroup
		for _, tok := range toks {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
				defer cancel()
				if _, err := j.auth.VerifyToken(ctx, tok); err != nil {
					failures.Add(1)
					first.CompareAndSwap(nil, err)
				}
			})
		}
		wg.Wait()
		close(stop)
		sampler.Wait()
		t.Logf("%s: %d users, %d failures, at most %d pool connections (%d seen by the server), %d Backend API calls at once",
			db.name, users, failures.Load(), maxPool.Load(), maxServer.Load(), api.MaxInFlight())
		if failures.Load() != 0 {
			t.Fatalf("%d of %d first logins failed (first: %v), want 0", failures.Load(), users, first.Load())
		}
		if maxPool.Load() > usersync.DefaultMaxOpenConns || maxServer.Load() > usersync.DefaultMaxOpenConns {
			t.Fatalf("the burst used %d pool connections (%d on the server), want at most DefaultMaxOpenConns = %d",
				maxPool.Load(), maxServer.Load(), usersync.DefaultMaxOpenConns)
		}
		if db.name == "postgres" && maxServer.Load() == 0 {
			t.Fatal("the sampler saw no connection: the measure is broken")
		}
		if n := api.MaxInFlight(); n > usersync.DefaultMaxConcurrent || n < 2 {
			t.Fatalf("%d Backend API calls at once, want 2 to DefaultMaxConcurrent = %d", n, usersync.DefaultMaxConcurrent)
		}
		if n := api.Requests(); n != users {
			t.Fatalf("%d Backend API calls for %d new users, want one each", n, users)
		}
	})
}

// WithMaxConcurrent bounds the Backend API calls; a request waiting for a
// slot gives up when its own context ends (503, the context's error), and
// the Provisioner keeps working for the others.
func TestJITConcurrencyBound(t *testing.T) {
	iss := newIssuer(t)
	api := newFakeAPI(t)
	for i := range 40 {
		api.AddUser(clerktest.User{ID: fmt.Sprintf("user_%d", i)})
	}
	api.Delay(10 * time.Millisecond)
	s := database{"sqlite", t.TempDir() + "/c.db"}.open(t)
	j := newJIT(t, iss, api, s, usersync.WithMaxConcurrent(3))
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			if _, err := j.auth.VerifyToken(t.Context(), token(iss, fmt.Sprintf("user_%d", i), "")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := api.MaxInFlight(); n > 3 || n < 2 {
		t.Fatalf("WithMaxConcurrent(3): %d calls at once, want 2 to 3", n)
	}

	one := newJIT(t, iss, api, s, usersync.WithMaxConcurrent(1))
	api.AddUser(clerktest.User{ID: "user_slow"})
	api.AddUser(clerktest.User{ID: "user_waiting"})
	api.Delay(time.Second)
	go func() { _, _ = one.auth.VerifyToken(t.Context(), token(iss, "user_slow", "")) }()
	time.Sleep(50 * time.Millisecond) // user_slow holds the only slot
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := one.auth.VerifyToken(ctx, token(iss, "user_waiting", ""))
	if !errors.Is(err, context.DeadlineExceeded) || core.ReasonOf(err).Status() != 503 || time.Since(start) > 500*time.Millisecond {
		t.Fatalf("waiting for a slot: %v after %v, want 503 wrapping context.DeadlineExceeded after ~50ms", err, time.Since(start))
	}
}

// A 429 is waited out for its Retry-After when that fits (MaxRetryAfter and
// the request's deadline); a longer one fails at once, 503, with the 429
// reachable (behaviour.md §11.2).
func TestJITRateLimited(t *testing.T) {
	iss := newIssuer(t)
	api := fakeWithAda(t)
	s := database{"sqlite", t.TempDir() + "/r.db"}.open(t)
	j := newJIT(t, iss, api, s)

	api.RateLimit(1, time.Second)
	start := time.Now()
	if _, err := j.auth.VerifyToken(t.Context(), token(iss, "user_1", "")); err != nil {
		t.Fatalf("one 429 with Retry-After 1: %v, want success after waiting", err)
	}
	if d := time.Since(start); d < time.Second {
		t.Fatalf("the retry came after %v, before Retry-After (1s)", d)
	}
	if n := api.RequestsTo("/v1/users/user_1"); n != 2 {
		t.Fatalf("%d calls, want 2 (the 429 and the retry)", n)
	}

	api.AddUser(clerktest.User{ID: "user_2"})
	for _, tc := range []struct {
		name     string
		n        int
		retry    time.Duration
		deadline time.Duration
	}{
		{"RetryAfterTooLong", 1, usersync.MaxRetryAfter + time.Second, time.Minute},
		{"PastTheDeadline", 1, 2 * time.Second, time.Second},
		{"TooManyRetries", 3, 0, time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api.RateLimit(tc.n, tc.retry)
			defer api.RateLimit(0, 0)
			ctx, cancel := context.WithTimeout(t.Context(), tc.deadline)
			defer cancel()
			start := time.Now()
			_, err := j.auth.VerifyToken(ctx, token(iss, "user_2", ""))
			var apiErr *clerk.APIErrorResponse
			if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != http.StatusTooManyRequests || core.ReasonOf(err).Status() != 503 {
				t.Fatalf("got %v, want 503 wrapping the 429", err)
			}
			if tc.retry > 0 && time.Since(start) > 500*time.Millisecond {
				t.Fatalf("gave up after %v, want at once", time.Since(start))
			}
		})
	}
}
