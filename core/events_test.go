package core_test

import (
	"context"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// recorder collects every event of an Authorizer (core.WithEvents), with
// the context value under ctxMark it came with.
type recorder struct {
	mu       sync.Mutex
	auth     []core.AuthEvent
	authMark []any
	upstream []core.UpstreamEvent
	limits   []core.RateLimitEvent
	guards   []core.GuardEvent
}

type ctxMark struct{}

func (r *recorder) observer() core.Observer {
	return core.Observer{
		Auth: func(ctx context.Context, e core.AuthEvent) {
			r.mu.Lock()
			r.auth, r.authMark = append(r.auth, e), append(r.authMark, ctx.Value(ctxMark{}))
			r.mu.Unlock()
		},
		Upstream: func(_ context.Context, e core.UpstreamEvent) {
			r.mu.Lock()
			r.upstream = append(r.upstream, e)
			r.mu.Unlock()
		},
		RateLimit: func(_ context.Context, e core.RateLimitEvent) {
			r.mu.Lock()
			r.limits = append(r.limits, e)
			r.mu.Unlock()
		},
		Guard: func(_ context.Context, e core.GuardEvent) {
			r.mu.Lock()
			r.guards = append(r.guards, e)
			r.mu.Unlock()
		},
	}
}

func (r *recorder) lastAuth(t *testing.T) core.AuthEvent {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.auth) == 0 {
		t.Fatal("no AuthEvent was reported")
	}
	return r.auth[len(r.auth)-1]
}

func (r *recorder) upstreamEvents() []core.UpstreamEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]core.UpstreamEvent(nil), r.upstream...)
}

// behaviour.md §13.1: one AuthEvent per authentication, with the request's
// context, the outcome, the claims only when signed in, the cache hit and
// the upstream calls the request waited for.
func TestEvents_Auth(t *testing.T) {
	e := newMachineEnv(t)
	rec := &recorder{}
	a := e.authorizer(t, core.WithLogger(quietLogger()), core.WithEvents(rec.observer()))
	tok := e.iss.Mint(clerktest.Session{})
	ctx := context.WithValue(t.Context(), ctxMark{}, "request")

	cases := []struct {
		name     string
		req      core.Request
		reason   core.Reason
		tt       core.TokenType
		source   string
		hit      bool
		upstream int
		signedIn bool
	}{
		{name: "FirstUseFetchesKeys", req: bearer(tok), tt: core.SessionToken, source: core.SourceHeader, upstream: 1, signedIn: true},
		{name: "CacheHit", req: bearer(tok), tt: core.SessionToken, source: core.SourceHeader, hit: true, signedIn: true},
		{name: "Cookie", req: cookie(tok), tt: core.SessionToken, source: core.SourceCookie, hit: true, signedIn: true},
		{name: "NoToken", req: bearer(""), reason: core.ReasonSessionTokenMissing},
		{name: "Malformed", req: bearer("not-a-jwt"), reason: core.ReasonTokenInvalid, tt: core.SessionToken, source: core.SourceHeader},
		{name: "MachineNotAccepted", req: bearer("mt_" + "abcdef"), reason: core.ReasonTokenTypeMismatch, tt: core.M2MToken, source: core.SourceHeader},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _ = a.Authenticate(ctx, tc.req)
			got := rec.lastAuth(t)
			if got.Reason != tc.reason || got.TokenType != tc.tt || got.Source != tc.source || got.CacheHit != tc.hit || got.UpstreamCalls != tc.upstream {
				t.Fatalf("behaviour.md §13.1: got %+v, want reason %q type %q source %q hit %v upstream %d",
					got, tc.reason, tc.tt, tc.source, tc.hit, tc.upstream)
			}
			if (got.Claims != nil) != tc.signedIn || (got.Err == nil) != tc.signedIn {
				t.Fatalf("behaviour.md §13.1: claims only when signed in, the error only when not: %+v", got)
			}
			if tc.signedIn && got.Claims.Subject == "" {
				t.Fatalf("claims without a subject: %+v", got.Claims)
			}
			if got.Duration <= 0 {
				t.Fatalf("behaviour.md §13.1: the duration is measured, got %v", got.Duration)
			}
			rec.mu.Lock()
			mark := rec.authMark[len(rec.authMark)-1]
			rec.mu.Unlock()
			if mark != "request" {
				t.Fatalf("behaviour.md §13.1: the Auth function gets the request's context; value %v", mark)
			}
		})
	}
	t.Run("VerifyTokenHasNoSource", func(t *testing.T) {
		if _, err := a.VerifyToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if got := rec.lastAuth(t); got.Source != "" || !got.CacheHit || got.Claims == nil {
			t.Fatalf("VerifyToken: got %+v", got)
		}
	})
}

// behaviour.md §13.1: WithObserver keeps working next to WithEvents, and
// several WithEvents all run, in order; an Observer with no function is a
// configuration error.
func TestEvents_Options(t *testing.T) {
	e := newRuleEnv(t)
	var order []string
	a := e.authorizer(t,
		core.WithObserver(func(o core.Outcome) { order = append(order, "outcome:"+string(o.Reason)) }),
		core.WithEvents(core.Observer{Auth: func(_ context.Context, ev core.AuthEvent) { order = append(order, "first:"+string(ev.Reason)) }}),
		core.WithEvents(core.Observer{Auth: func(_ context.Context, ev core.AuthEvent) { order = append(order, "second:"+string(ev.Reason)) }}))
	_, _ = a.Authenticate(t.Context(), req("Bearer x.y.z", ""))
	want := []string{"outcome:token-invalid", "first:token-invalid", "second:token-invalid"}
	if !reflect.DeepEqual(order, want) {
		t.Fatalf("got %v, want %v", order, want)
	}
	if _, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithEvents(core.Observer{})); err == nil {
		t.Fatal("WithEvents(Observer{}) must be a configuration error")
	}
	// Each function alone is enough.
	for name, o := range map[string]core.Observer{
		"Upstream":  {Upstream: func(context.Context, core.UpstreamEvent) {}},
		"RateLimit": {RateLimit: func(context.Context, core.RateLimitEvent) {}},
		"Guard":     {Guard: func(context.Context, core.GuardEvent) {}},
	} {
		if _, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithEvents(o)); err != nil {
			t.Fatalf("WithEvents with only %s: %v", name, err)
		}
	}
}

// behaviour.md §13.1: each JWKS fetch and each Backend API call is an
// UpstreamEvent with its endpoint kind and HTTP status (0 when none).
func TestEvents_Upstream(t *testing.T) {
	e := newMachineEnv(t)
	rec := &recorder{}
	a := e.authorizer(t, core.WithLogger(quietLogger()), core.AcceptAnyToken(), core.WithEvents(rec.observer()),
		core.WithJWKSRefresh(core.JWKSRefresh{RetryInterval: time.Nanosecond}))
	ctx := t.Context()
	e.iss.SetJWKSDown(true)
	_, _ = a.Authenticate(ctx, bearer(e.iss.Mint(clerktest.Session{})))
	e.iss.SetJWKSDown(false)
	e.clock.Advance(time.Second)
	_, _ = a.Authenticate(ctx, bearer(e.iss.Mint(clerktest.Session{})))
	for _, tc := range []struct {
		tt   core.TokenType
		kind core.UpstreamKind
	}{{core.M2MToken, core.UpstreamVerifyM2M}, {core.OAuthToken, core.UpstreamVerifyOAuth}, {core.APIKey, core.UpstreamVerifyAPIKey}} {
		if _, err := a.Authenticate(ctx, bearer(e.iss.IssueOpaque(clerktest.Opaque{Type: tc.tt, Subject: "user_1"}))); err != nil {
			t.Fatalf("%s: %v", tc.tt, err)
		}
	}
	_, _ = a.Authenticate(ctx, bearer("ak_"+"neverissued"))
	got := rec.upstreamEvents()
	want := []struct {
		kind   core.UpstreamKind
		status int
	}{{core.UpstreamJWKS, http.StatusServiceUnavailable}, {core.UpstreamJWKS, 200},
		{core.UpstreamVerifyM2M, 200}, {core.UpstreamVerifyOAuth, 200}, {core.UpstreamVerifyAPIKey, 200},
		{core.UpstreamVerifyAPIKey, http.StatusNotFound}}
	if len(got) != len(want) {
		t.Fatalf("behaviour.md §13.1: %d upstream events, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Status != w.status || got[i].Err != nil || got[i].Duration <= 0 {
			t.Fatalf("behaviour.md §13.1: event %d is %+v, want kind %q status %d", i, got[i], w.kind, w.status)
		}
	}

	t.Run("TransportError", func(t *testing.T) {
		rec := &recorder{}
		a, err := core.New(core.WithJWKSURL("http://127.0.0.1:1/jwks.json"), core.WithLogger(quietLogger()),
			core.WithEvents(rec.observer()))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = a.Authenticate(ctx, bearer(e.iss.Mint(clerktest.Session{})))
		got := rec.upstreamEvents()
		if len(got) != 1 || got[0].Kind != core.UpstreamJWKS || got[0].Status != 0 || got[0].Err == nil {
			t.Fatalf("behaviour.md §13.1: a transport error is status 0 with the error; got %+v", got)
		}
	})
}

// behaviour.md §13.1: a refused upstream call is a RateLimitEvent: the
// Backend API budget (with or without a last good verdict) and the JWKS
// refetch limit.
func TestEvents_RateLimit(t *testing.T) {
	e := newMachineEnv(t)
	rec := &recorder{}
	mv := core.MachineVerification{RateBurst: 1, RatePerSecond: 1e-9, ReservedBurst: 1, ReservedPerSecond: 1e-9, CacheTTL: time.Nanosecond}
	a := e.authorizer(t, core.WithLogger(quietLogger()), core.AcceptAnyToken(), core.WithEvents(rec.observer()),
		core.WithMachineVerification(mv))
	ctx := t.Context()
	good := e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"})
	if _, err := a.Authenticate(ctx, bearer(good)); err != nil { // the shared budget's only call
		t.Fatal(err)
	}
	if len(rec.limits) != 0 {
		t.Fatalf("no refusal yet: %+v", rec.limits)
	}
	_, _ = a.Authenticate(ctx, bearer(e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "m"})))
	e.clock.Advance(time.Second)
	if _, err := a.Authenticate(ctx, bearer(good)); err != nil { // the reserve's only call
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	if _, err := a.Authenticate(ctx, bearer(good)); err != nil { // no budget: the last good verdict
		t.Fatal(err)
	}
	want := []core.RateLimitEvent{
		{Limit: core.RateLimitBackendAPI, TokenType: core.M2MToken},
		{Limit: core.RateLimitBackendAPI, TokenType: core.APIKey, LastVerdict: true},
	}
	if !reflect.DeepEqual(rec.limits, want) {
		t.Fatalf("behaviour.md §13.1: got %+v, want %+v", rec.limits, want)
	}
	if got := rec.lastAuth(t); !got.CacheHit || got.UpstreamCalls != 0 {
		t.Fatalf("the last good verdict is a hit without upstream call: %+v", got)
	}

	t.Run("JWKSRefetch", func(t *testing.T) {
		rec := &recorder{}
		a := e.authorizer(t, core.WithLogger(quietLogger()), core.WithEvents(rec.observer()))
		if _, err := a.Authenticate(ctx, bearer(e.iss.Mint(clerktest.Session{}))); err != nil {
			t.Fatal(err)
		}
		forged := e.iss.Mint(clerktest.Session{}, clerktest.WithKID("kid-unknown"))
		_, _ = a.Authenticate(ctx, bearer(forged)) // one refetch per UnknownKIDInterval
		if len(rec.limits) != 0 {
			t.Fatalf("the first unknown kid refetches: %+v", rec.limits)
		}
		_, _ = a.Authenticate(ctx, bearer(forged))
		if want := []core.RateLimitEvent{{Limit: core.RateLimitJWKSRefetch}}; !reflect.DeepEqual(rec.limits, want) {
			t.Fatalf("behaviour.md §13.1: got %+v, want %+v", rec.limits, want)
		}
		if got := rec.lastAuth(t); got.UpstreamCalls != 0 || got.Reason != core.ReasonJWKKidMismatch {
			t.Fatalf("a refused refetch waits for no call: %+v", got)
		}
	})
}

// behaviour.md §13.1: each guard decision of an adapter (adapter.Evaluate)
// is a GuardEvent (allowed, or denied with its reason) when an Authorizer
// with a Guard function authenticated the request; a Result built by hand,
// or no middleware at all, reports none.
func TestEvents_Guard(t *testing.T) {
	e := newRuleEnv(t)
	rec := &recorder{}
	a := e.authorizer(t, core.WithEvents(rec.observer()))
	tok := e.iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "org:admin", OrgPermissions: []string{"org:reports:read"}})
	ctx := t.Context()
	signedIn := adapter.NewState(ctx, a, req("Bearer "+tok, ""), nil)
	signedOut := adapter.NewState(ctx, a, req("", ""), nil)
	cases := []struct {
		name string
		g    core.Guard
		s    *adapter.State
		want core.GuardEvent
	}{
		{"Allowed", core.RequirePermission("org:reports:read"), signedIn,
			core.GuardEvent{Guard: "RequirePermission(org:reports:read)", Allowed: true, TokenType: core.SessionToken}},
		{"Forbidden", core.RequirePermission("org:x"), signedIn,
			core.GuardEvent{Guard: "RequirePermission(org:x)", Reason: core.ReasonMissingPermission, TokenType: core.SessionToken}},
		{"WrongType", core.RequireScope("s"), signedIn,
			core.GuardEvent{Guard: "RequireScope(s)", Reason: core.ReasonTokenTypeMismatch, TokenType: core.SessionToken}},
		{"SignedOut", core.RequireAuth(), signedOut,
			core.GuardEvent{Guard: "RequireAuth", Reason: core.ReasonSessionTokenMissing}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec.guards = nil
			_ = adapter.Evaluate(ctx, tc.g, tc.s, nil)
			if len(rec.guards) != 1 || rec.guards[0] != tc.want {
				t.Fatalf("behaviour.md §13.1: got %+v, want %+v", rec.guards, tc.want)
			}
		})
	}
	t.Run("ByHand", func(t *testing.T) {
		rec.guards = nil
		byHand, ok := adapter.StateFromContext(core.ContextWithClaims(ctx, signedIn.Result().Claims))
		if !ok {
			t.Fatal("no State from a Result built by hand")
		}
		_ = adapter.Evaluate(ctx, core.RequireAuth(), byHand, nil)
		_ = adapter.Evaluate(ctx, core.RequireAuth(), nil, nil)
		if len(rec.guards) != 0 {
			t.Fatalf("a Result built by hand reports no event: %+v", rec.guards)
		}
	})
}

// behaviour.md §13.1: without an observer the cached path allocates nothing;
// with one that does nothing, it allocates once (the observation).
func TestEvents_CachedAllocs(t *testing.T) {
	e := newRuleEnv(t)
	tok := e.iss.Mint(clerktest.Session{TTL: time.Hour})
	r := req("Bearer "+tok, "")
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts []core.Option
		max  float64
	}{
		{"Bare", nil, 0},
		{"Observed", []core.Option{core.WithEvents(core.Observer{Auth: func(context.Context, core.AuthEvent) {}})}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := e.authorizer(t, tc.opts...)
			if _, err := a.Authenticate(ctx, r); err != nil {
				t.Fatal(err)
			}
			if n := testing.AllocsPerRun(200, func() { _, _ = a.Authenticate(ctx, r) }); n > tc.max {
				t.Fatalf("behaviour.md §13.1: %v allocations per cached authentication, want at most %v", n, tc.max)
			}
		})
	}
}

// BenchmarkAuthenticateCachedEvents compares the cached path without an
// observer and with an Auth function that does nothing:
//
//	go test -run '^$' -bench AuthenticateCachedEvents -benchmem -count 3 ./core
func BenchmarkAuthenticateCachedEvents(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []core.Option
	}{
		{"Bare", nil},
		{"Observed", []core.Option{core.WithEvents(core.Observer{Auth: func(context.Context, core.AuthEvent) {}})}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			_, a, tok := benchSetup(b, bc.opts...)
			r := req("Bearer "+tok, "")
			ctx := context.Background()
			if _, err := a.Authenticate(ctx, r); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := a.Authenticate(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
