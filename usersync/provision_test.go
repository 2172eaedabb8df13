package usersync_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/usersync"
)

// jit is one instance's just-in-time setup: a Store, a Provisioner on the
// fake Backend API and an Authorizer with the Provisioner installed.
type jit struct {
	store *usersync.Store
	prov  *usersync.Provisioner
	auth  *core.Authorizer
}

func newJIT(t testing.TB, iss *clerktest.Issuer, api *fakeAPI, s *usersync.Store, opts ...usersync.ProvisionOption) *jit {
	t.Helper()
	prov, err := usersync.NewProvisioner(s, append([]usersync.ProvisionOption{
		usersync.WithClientConfig(api.config()), usersync.WithLogger(quiet)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	a, err := core.New(append(iss.AuthorizerOptions(), prov.Option(), core.WithLogger(quiet))...)
	if err != nil {
		t.Fatal(err)
	}
	return &jit{s, prov, a}
}

func newIssuer(t testing.TB) *clerktest.Issuer {
	return clerktest.Start(t, clerktest.WithClock(clerktest.NewClock(now).Now))
}

// fakeWithAda serves user_1 in org_1 (membership orgmem_1).
func fakeWithAda(t testing.TB) *fakeAPI {
	api := newFakeAPI(t)
	api.addUser(userJSON("user_1", "ada@x.test", "Ada", 2000))
	api.addOrg(orgJSON("org_1", "Acme", 2000))
	api.addMember("org_1", membershipJSON("orgmem_1", "org_1", "user_1", "org:admin", 2000))
	return api
}

var sessionSeq = struct {
	sync.Mutex
	n int
}{}

// token mints a fresh session token (a new session id each time).
func token(iss *clerktest.Issuer, userID, orgID string) string {
	sessionSeq.Lock()
	sessionSeq.n++
	sid := fmt.Sprintf("sess_%d", sessionSeq.n)
	sessionSeq.Unlock()
	s := clerktest.Session{UserID: userID, SessionID: sid, TTL: time.Minute}
	if orgID != "" {
		s.OrgID, s.OrgRole, s.OrgSlug = orgID, "admin", "acme"
	}
	return iss.Mint(s)
}

// The first request of a user creates the user, organization and
// membership rows from the Backend API; the same token again (a cache hit)
// touches neither the database nor the Backend API; a fresh token of the
// known user costs one query and no Backend API call.
func TestJITProvisionsOncePerFreshToken(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		iss, api := newIssuer(t), fakeWithAda(t)
		j := newJIT(t, iss, api, db.open(t))
		ctx := t.Context()
		tok := token(iss, "user_1", "org_1")
		if c, err := j.auth.VerifyToken(ctx, tok); err != nil || c.UserID() != "user_1" {
			t.Fatalf("first request: %v", err)
		}
		u, err := j.store.User(ctx, "user_1")
		if err != nil || u.PrimaryEmail != "ada@x.test" || string(u.PrivateMetadata) != `{"stripe":"cus_user_1"}` {
			t.Fatalf("provisioned user: %+v %v", u, err)
		}
		if o, err := j.store.Organization(ctx, "org_1"); err != nil || o.Name != "Acme" {
			t.Fatalf("provisioned organization: %+v %v", o, err)
		}
		if m, err := j.store.Membership(ctx, "org_1", "user_1"); err != nil || m.ID != "orgmem_1" || m.Role != "org:admin" {
			t.Fatalf("provisioned membership: %+v %v", m, err)
		}
		for _, p := range []string{"/v1/users/user_1", "/v1/organizations/org_1", "/v1/organizations/org_1/memberships"} {
			if n := api.RequestsTo(p); n != 1 {
				t.Errorf("%s fetched %d times, want 1", p, n)
			}
		}
		queries, calls := usersync.QueryCount(j.store), api.Requests()
		for range 5 {
			if _, err := j.auth.VerifyToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		if q := usersync.QueryCount(j.store) - queries; q != 0 || api.Requests() != calls {
			t.Fatalf("cached token: %d database round trips and %d Backend API calls, want none", q, api.Requests()-calls)
		}
		if _, err := j.auth.VerifyToken(ctx, token(iss, "user_1", "org_1")); err != nil {
			t.Fatal(err)
		}
		if q := usersync.QueryCount(j.store) - queries; q != 1 || api.Requests() != calls {
			t.Fatalf("fresh token of a known user: %d round trips and %d Backend API calls, want 1 and 0", q, api.Requests()-calls)
		}
	})
}

// Backend API failures sign the request out with 503 by default (fail
// closed), carry the cause for errors.Is/As, never cache the token (the next
// request tries again) and never log the token or the API's body.
func TestJITBackendErrors(t *testing.T) {
	iss := newIssuer(t)
	api := fakeWithAda(t)
	var logs bytes.Buffer
	s := database{"sqlite", t.TempDir() + "/e.db"}.open(t)
	j := newJIT(t, iss, api, s, usersync.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	ctx := t.Context()

	api.Fail(func(*http.Request) int { return http.StatusInternalServerError })
	tok := token(iss, "user_1", "")
	_, err := j.auth.VerifyToken(ctx, tok)
	var apiErr *clerk.APIErrorResponse
	if core.ReasonOf(err) != core.ReasonUnexpectedError || core.ReasonOf(err).Status() != http.StatusServiceUnavailable ||
		!errors.Is(err, usersync.ErrBackend) || !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 500 {
		t.Fatalf("Backend API 500: got %v, want a 503 unexpected-error wrapping ErrBackend and the SDK's *APIErrorResponse", err)
	}
	if strings.Contains(logs.String(), tok) || strings.Contains(logs.String(), "internal_clerk_error") ||
		!strings.Contains(logs.String(), "failure=backend-status-500") || !strings.Contains(logs.String(), "user_id=user_1") {
		t.Fatalf("log must name the user and the kind of failure, never the token or the body:\n%s", logs.String())
	}
	api.Fail(nil)
	if _, err := j.auth.VerifyToken(ctx, tok); err != nil {
		t.Fatalf("the same token after the Backend API recovered: %v (a failed provisioning must not be cached)", err)
	}

	if _, err := j.auth.VerifyToken(ctx, token(iss, "user_gone", "")); !errors.Is(err, usersync.ErrNotFound) ||
		core.ReasonOf(err) != core.ReasonIdentityNotFound || core.ReasonOf(err).Status() != 401 {
		t.Fatalf("user unknown to the Backend API: %v, want ErrNotFound, 401 identity-not-found (behaviour.md §11.5)", err)
	}
	if _, err := j.auth.VerifyToken(ctx, token(iss, "user_1", "org_gone")); !errors.Is(err, usersync.ErrNotFound) || core.ReasonOf(err) != core.ReasonIdentityNotFound {
		t.Fatalf("organization unknown to the Backend API: %v, want ErrNotFound, identity-not-found", err)
	}
}

// A permanent condition is a 401 identity-not-found, remembered for the
// negative TTL: the same user's next requests (new tokens, public routes
// included) cost no Backend API call and no database query, and the
// condition is logged once per TTL; after the TTL it is asked again. A bare
// 404 (a wrong URL, a proxy) is an outage, 503, and is not remembered
// (behaviour.md §11.5).
func TestJITPermanentFailureRemembered(t *testing.T) {
	iss := newIssuer(t)
	api := fakeWithAda(t)
	var logs bytes.Buffer
	s := database{"sqlite", t.TempDir() + "/n.db"}.open(t)
	j := newJIT(t, iss, api, s, usersync.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), usersync.WithNegativeTTL(time.Minute))
	clock := clerktest.NewClock(now)
	usersync.SetNegativeClock(j.prov, clock.Now)
	ctx := t.Context()
	for i := range 5 {
		_, err := j.auth.VerifyToken(ctx, token(iss, "user_gone", ""))
		if core.ReasonOf(err) != core.ReasonIdentityNotFound || !errors.Is(err, usersync.ErrNotFound) {
			t.Fatalf("request %d: %v, want identity-not-found", i, err)
		}
	}
	if n := api.RequestsTo("/v1/users/user_gone"); n != 1 {
		t.Fatalf("5 requests of a user Clerk does not know made %d Backend API calls, want 1 (remembered)", n)
	}
	if n := strings.Count(logs.String(), "user_id=user_gone"); n != 1 {
		t.Fatalf("a permanent condition must be logged once per TTL, got %d lines:\n%s", n, logs.String())
	}
	queries := usersync.QueryCount(s)
	if _, err := j.auth.VerifyToken(ctx, token(iss, "user_gone", "")); core.ReasonOf(err) != core.ReasonIdentityNotFound || usersync.QueryCount(s) != queries {
		t.Fatalf("a remembered failure: %v after %d database queries, want none", err, usersync.QueryCount(s)-queries)
	}

	clock.Advance(time.Minute - time.Millisecond)
	_, _ = j.auth.VerifyToken(ctx, token(iss, "user_gone", ""))
	if n := api.RequestsTo("/v1/users/user_gone"); n != 1 {
		t.Fatalf("within the TTL: %d calls, want 1", n)
	}
	clock.Advance(time.Millisecond)
	_, _ = j.auth.VerifyToken(ctx, token(iss, "user_gone", ""))
	if n := api.RequestsTo("/v1/users/user_gone"); n != 2 {
		t.Fatalf("at the TTL the Backend API must be asked again: %d calls, want 2", n)
	}
	if n := strings.Count(logs.String(), "user_id=user_gone"); n != 2 {
		t.Fatalf("logged %d times over two TTLs, want 2", n)
	}

	bare := httptest.NewServer(http.NotFoundHandler()) // a wrong URL: "404 page not found"
	defer bare.Close()
	wrong := newJIT(t, iss, api, s, usersync.WithClientConfig(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{
		URL: clerk.String(bare.URL), Key: clerk.String(testSecretKey)}}))
	for range 2 {
		if _, err := wrong.auth.VerifyToken(ctx, token(iss, "user_2", "")); core.ReasonOf(err) != core.ReasonUnexpectedError || !errors.Is(err, usersync.ErrBackend) {
			t.Fatalf("a bare 404 is an outage: %v, want 503 unexpected-error wrapping ErrBackend", err)
		}
	}
	for _, o := range []usersync.ProvisionOption{usersync.WithNegativeTTL(-1), usersync.WithNegativeTTL(time.Hour + 1), usersync.WithMaxConcurrent(-1), usersync.WithMaxConcurrent(1001)} {
		if _, err := usersync.NewProvisioner(s, o); err == nil {
			t.Error("bad option accepted")
		}
	}
}

// Each Backend API call is bounded by WithBackendTimeout and by the
// request's own context, whichever ends first.
func TestJITTimeouts(t *testing.T) {
	iss := newIssuer(t)
	api := fakeWithAda(t)
	api.Delay(5 * time.Second)
	s := database{"sqlite", t.TempDir() + "/t.db"}.open(t)
	j := newJIT(t, iss, api, s, usersync.WithBackendTimeout(100*time.Millisecond))
	start := time.Now()
	_, err := j.auth.VerifyToken(t.Context(), token(iss, "user_1", ""))
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, usersync.ErrBackend) || time.Since(start) > 2*time.Second {
		t.Fatalf("slow Backend API: %v after %v, want ErrBackend wrapping context.DeadlineExceeded after ~100ms", err, time.Since(start))
	}

	j = newJIT(t, iss, api, s) // default 5 s per call; the request gives 100 ms
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := j.auth.VerifyToken(ctx, token(iss, "user_1", "")); err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("request context of 100ms: %v after %v", err, time.Since(start))
	}
}

// WithFailOpen lets the request through; WithOnError can pick the reason.
func TestJITFailureConfigurable(t *testing.T) {
	iss := newIssuer(t)
	api := fakeWithAda(t)
	api.Fail(func(*http.Request) int { return http.StatusBadGateway })
	s := database{"sqlite", t.TempDir() + "/f.db"}.open(t)
	open := newJIT(t, iss, api, s, usersync.WithFailOpen())
	if c, err := open.auth.VerifyToken(t.Context(), token(iss, "user_1", "")); err != nil || c.UserID() != "user_1" {
		t.Fatalf("fail open: %v", err)
	}
	if _, err := s.User(t.Context(), "user_1"); !errors.Is(err, usersync.ErrNotFound) {
		t.Fatalf("fail open wrote a row: %v", err)
	}
	var seen error
	custom := newJIT(t, iss, api, s, usersync.WithOnError(func(_ context.Context, c *core.Claims, err error) error {
		seen = err
		return &core.Error{Reason: core.ReasonForbidden, Detail: "not provisioned", Err: err}
	}))
	if _, err := custom.auth.VerifyToken(t.Context(), token(iss, "user_1", "")); !errors.Is(err, core.ErrForbidden) || !errors.Is(seen, usersync.ErrBackend) {
		t.Fatalf("WithOnError: %v (hook saw %v)", err, seen)
	}
	if _, err := usersync.NewProvisioner(s, usersync.WithOnError(nil)); err == nil {
		t.Error("WithOnError(nil) accepted")
	}
	if _, err := usersync.NewProvisioner(s, usersync.WithBackendTimeout(-1)); err == nil {
		t.Error("negative WithBackendTimeout accepted")
	}
	if _, err := usersync.NewProvisioner(nil); err == nil {
		t.Error("nil Store accepted")
	}
}

// Concurrent first requests of one user (different sessions) share one
// provisioning: one Backend API fetch.
func TestJITSingleFlight(t *testing.T) {
	iss := newIssuer(t)
	api := fakeWithAda(t)
	api.Delay(100 * time.Millisecond)
	j := newJIT(t, iss, api, database{"sqlite", t.TempDir() + "/s.db"}.open(t))
	toks := make([]string, 16)
	for i := range toks {
		toks[i] = token(iss, "user_1", "")
	}
	var wg sync.WaitGroup
	for _, tok := range toks {
		wg.Go(func() {
			if _, err := j.auth.VerifyToken(t.Context(), tok); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := api.RequestsTo("/v1/users/user_1"); n != 1 {
		t.Fatalf("16 concurrent first requests fetched the user %d times, want 1", n)
	}
}

// A user deleted in Clerk (user.deleted arrived) is refused without asking
// the Backend API, and provisioning never brings the row back.
func TestJITDeletedUserRefused(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		iss, api := newIssuer(t), fakeWithAda(t)
		s := db.open(t)
		if code := send(t, webhookHandler(t, s), ev("d1", "user.deleted", 5000, deletedJSON("user_1", "user"))); code != 200 {
			t.Fatal(code)
		}
		j := newJIT(t, iss, api, s)
		if _, err := j.auth.VerifyToken(t.Context(), token(iss, "user_1", "")); !errors.Is(err, usersync.ErrDeleted) ||
			core.ReasonOf(err) != core.ReasonIdentityNotFound || core.ReasonOf(err).Status() != 401 {
			t.Fatalf("deleted user: %v, want ErrDeleted, 401 identity-not-found (behaviour.md §11.5)", err)
		}
		queries := usersync.QueryCount(s)
		if _, err := j.auth.VerifyToken(t.Context(), token(iss, "user_1", "")); !errors.Is(err, usersync.ErrDeleted) || usersync.QueryCount(s) != queries {
			t.Fatalf("deleted user again: %v after %d database queries, want ErrDeleted from memory", err, usersync.QueryCount(s)-queries)
		}
		if api.Requests() != 0 {
			t.Fatalf("%d Backend API calls for a deleted user", api.Requests())
		}
		if u, err := s.User(t.Context(), "user_1"); err != nil || !u.Deleted() {
			t.Fatalf("tombstone: %+v %v", u, err)
		}
	})
}

// Webhooks and just-in-time provisioning racing for the same user converge
// on the newest data, in one row, whatever wins.
func TestWebhookAndJITRace(t *testing.T) {
	eachDatabase(t, func(t *testing.T, db database) {
		for i := range 5 {
			s := db.open(t, usersync.WithTablePrefix(fmt.Sprintf("race%d_", i)))
			iss, api := newIssuer(t), fakeWithAda(t) // the API's copy: updated_at 2000
			j := newJIT(t, iss, api, s)
			h := webhookHandler(t, s)
			var wg sync.WaitGroup
			wg.Go(func() {
				if _, err := j.auth.VerifyToken(t.Context(), token(iss, "user_1", "org_1")); err != nil {
					t.Error(err)
				}
			})
			for _, d := range []delivery{
				ev("c", "user.created", 1000, userJSON("user_1", "a@x.test", "Ada", 1000)),
				ev("u", "user.updated", 3000, userJSON("user_1", "new@x.test", "Ada New", 3000)),
				ev("m", "organizationMembership.created", 1500, membershipJSON("orgmem_1", "org_1", "user_1", "org:member", 1500)),
			} {
				wg.Go(func() {
					if code := send(t, h, d); code != 200 {
						t.Errorf("%s: %d", d.id, code)
					}
				})
			}
			wg.Wait()
			u, err := s.User(t.Context(), "user_1")
			if err != nil || u.PrimaryEmail != "new@x.test" || u.Deleted() {
				t.Fatalf("round %d: %+v %v, want the newest data (user.updated at 3000)", i, u, err)
			}
			m, err := s.Membership(t.Context(), "org_1", "user_1")
			// Provisioning fetches only what is missing: the event's copy
			// (1500) when it came first, else the API's (2000), which the
			// older event then never overwrites.
			if err != nil || m.Deleted() || !(m.Role == "org:member" && m.UpdatedAt.UnixMilli() == 1500 ||
				m.Role == "org:admin" && m.UpdatedAt.UnixMilli() == 2000) {
				t.Fatalf("round %d: membership %+v %v", i, m, err)
			}
			var n int
			if err := s.DB().QueryRow(`SELECT count(*) FROM ` + s.Table("users")).Scan(&n); err != nil || n != 1 {
				t.Fatalf("round %d: %d user rows", i, n)
			}
		}
	})
}

// Two instances (two connection pools) on one PostgreSQL database,
// provisioning the same users and receiving the same deliveries at once,
// converge on one row per object and handle each delivery once.
func TestTwoInstancesOnePostgres(t *testing.T) {
	url := freshSchema(t)
	db := database{"postgres", url}
	iss, api := newIssuer(t), fakeWithAda(t)
	api.addUser(userJSON("user_2", "bob@x.test", "Bob", 2000))
	api.addMember("org_1", membershipJSON("orgmem_2", "org_1", "user_2", "org:member", 2000))
	a, b := newJIT(t, iss, api, db.open(t)), newJIT(t, iss, api, db.open(t))
	ha, hb := webhookHandler(t, a.store), webhookHandler(t, b.store)
	var wg sync.WaitGroup
	for i := range 8 {
		inst := []*jit{a, b}[i%2]
		uid := []string{"user_1", "user_2"}[i/2%2]
		wg.Go(func() {
			// user_2's deletion is among the deliveries: once it landed,
			// provisioning refuses user_2, and only that may fail.
			_, err := inst.auth.VerifyToken(t.Context(), token(iss, uid, "org_1"))
			if err != nil && !(uid == "user_2" && errors.Is(err, usersync.ErrDeleted)) {
				t.Error(err)
			}
		})
	}
	for _, d := range stream()[:8] {
		for _, h := range []http.Handler{ha, hb} {
			wg.Go(func() {
				if code := send(t, h, d); code != 200 {
					t.Errorf("%s: %d", d.id, code)
				}
			})
		}
	}
	wg.Wait()
	count := func(q string) int {
		var n int
		if err := a.store.DB().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM clerk_users`); n != 3 { // user_1, user_2, user_3 (tombstone)
		t.Errorf("%d user rows, want 3", n)
	}
	if n := count(`SELECT count(*) FROM clerk_organizations`); n != 1 {
		t.Errorf("%d organization rows, want 1", n)
	}
	if n := count(`SELECT count(*) FROM clerk_organization_memberships WHERE deleted_at IS NULL`); n != 1 {
		t.Errorf("%d live membership rows, want 1 (user_2's ended with the user)", n)
	}
	if n := count(`SELECT count(*) FROM clerk_webhook_deliveries WHERE state = 'done'`); n != 7 {
		t.Errorf("%d deliveries recorded, want 7 (8 messages, one a retry of another)", n)
	}
	u, err := b.store.User(t.Context(), "user_1")
	if err != nil || u.PrimaryEmail != "c@x.test" {
		t.Errorf("user_1: %+v %v, want the newest event's data", u, err)
	}
	if u, err := a.store.User(t.Context(), "user_2"); err != nil || !u.Deleted() {
		t.Errorf("user_2: %+v %v, want deleted (user.deleted at 5000)", u, err)
	}
}

// Only session tokens name a user to provision: machine tokens pass
// untouched, without a query or a Backend API call.
func TestJITIgnoresMachineTokens(t *testing.T) {
	api := fakeWithAda(t)
	s := database{"sqlite", t.TempDir() + "/m.db"}.open(t)
	prov, err := usersync.NewProvisioner(s, usersync.WithClientConfig(api.config()))
	if err != nil {
		t.Fatal(err)
	}
	before := usersync.QueryCount(s)
	for _, c := range []*core.Claims{{TokenType: core.M2MToken, Subject: "mch_1"}, {TokenType: core.OAuthToken, Subject: "user_1"}} {
		if err := prov.OnVerified(t.Context(), c); err != nil {
			t.Fatalf("%s: %v", c.TokenType, err)
		}
	}
	if usersync.QueryCount(s) != before || api.Requests() != 0 {
		t.Fatal("a machine token touched the database or the Backend API")
	}
}
