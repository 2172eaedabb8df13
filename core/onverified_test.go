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
