package core_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// WithOnVerified runs once per freshly verified token, never on a cache hit;
// a failure signs the request out (503 unless the hook picks the reason) and
// keeps the token out of the cache so the next request runs the hook again.
func TestWithOnVerified(t *testing.T) {
	clock := clerktest.NewClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
	var calls int
	var fail error
	var seen *core.Claims
	hook := func(ctx context.Context, c *core.Claims) error {
		if ctx == nil {
			t.Error("OnVerified got a nil context")
		}
		calls++
		seen = c
		return fail
	}
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithOnVerified(hook))...)
	if err != nil {
		t.Fatal(err)
	}
	tok := iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1", OrgRole: "admin", TTL: time.Minute})

	fail = errors.New("database down")
	_, err = a.VerifyToken(t.Context(), tok)
	if core.ReasonOf(err) != core.ReasonUnexpectedError || core.ReasonOf(err).Status() != 503 || !errors.Is(err, fail) {
		t.Fatalf("a failing hook must sign out with unexpected-error (503) wrapping its error, got %v", err)
	}
	fail = &core.Error{Reason: core.ReasonForbidden}
	if _, err = a.VerifyToken(t.Context(), tok); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("a hook's *core.Error must pass through, got %v", err)
	}
	if calls != 2 {
		t.Fatalf("a failed hook must run again on the next request (token not cached): %d calls, want 2", calls)
	}
	fail = nil
	for range 3 {
		c, err := a.VerifyToken(t.Context(), tok)
		if err != nil || c.UserID() != "user_1" {
			t.Fatalf("signed in after a successful hook: %v %v", c, err)
		}
	}
	if calls != 3 || seen.UserID() != "user_1" || seen.OrgID != "org_1" {
		t.Fatalf("hook must run once per fresh token, not per cache hit: %d calls (want 3), claims %+v", calls, seen)
	}
	if _, err := core.New(append(iss.AuthorizerOptions(), core.WithOnVerified(nil))...); !errors.Is(err, core.ErrConfig) {
		t.Fatalf("nil OnVerified must be a config error, got %v", err)
	}
}

// A hook's permanent failure (core.PermanentFailure) is a 401 with its own
// reason, identity-not-found, never the 503 of an outage; the cause stays
// reachable and the token is not cached (behaviour.md §11.5).
func TestOnVerifiedPermanentFailure(t *testing.T) {
	iss := clerktest.Start(t)
	cause := errors.New("usersync: not found")
	var calls int
	var ret error
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithOnVerified(func(context.Context, *core.Claims) error {
		calls++
		return ret
	}))...)
	if err != nil {
		t.Fatal(err)
	}
	tok := iss.Mint(clerktest.Session{UserID: "user_gone", TTL: time.Minute})
	for _, tc := range []struct {
		name   string
		ret    error
		reason core.Reason
		status int
	}{
		{"Permanent", core.PermanentFailure(cause), core.ReasonIdentityNotFound, 401},
		{"Outage", cause, core.ReasonUnexpectedError, 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ret = tc.ret
			_, err := a.VerifyToken(t.Context(), tok)
			if core.ReasonOf(err) != tc.reason || core.ReasonOf(err).Status() != tc.status || !errors.Is(err, cause) {
				t.Fatalf("hook error %v: got %v (status %d), want reason %s, status %d, wrapping the cause",
					tc.ret, err, core.ReasonOf(err).Status(), tc.reason, tc.status)
			}
			if tc.reason == core.ReasonIdentityNotFound && !errors.Is(err, core.ErrIdentityNotFound) {
				t.Fatalf("a permanent failure must match core.ErrIdentityNotFound, got %v", err)
			}
		})
	}
	if calls != 2 {
		t.Fatalf("a refused token must not be cached: hook ran %d times, want 2", calls)
	}
	if core.PermanentFailure(nil) != nil {
		t.Fatal("PermanentFailure(nil) must be nil")
	}
}
