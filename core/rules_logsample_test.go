package core_test

import (
	"errors"
	"github.com/clerkguard/clerkguard/core/adapter"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// sampledEnv is an Authorizer whose clock the test owns, logging into a
// fresh buffer.
type sampledEnv struct {
	*ruleEnv
	clk *clerktest.Clock
	a   *core.Authorizer
}

func newSampledEnv(t *testing.T, opts ...core.Option) *sampledEnv {
	t.Helper()
	e := newRuleEnv(t)
	clk := clerktest.NewClock(e.clock.Now())
	a := e.authorizer(t, append([]core.Option{core.WithClock(clk.Now)}, opts...)...)
	return &sampledEnv{ruleEnv: e, clk: clk, a: a}
}

// lines returns the log lines with message msg.
func (e *sampledEnv) lines(msg string) []string {
	var out []string
	for _, l := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(l, `msg="`+msg+`"`) {
			out = append(out, l)
		}
	}
	return out
}

var suppressedAttr = regexp.MustCompile(` suppressed=(\d+)`)

// suppressed is the suppressed= count of line, "" when absent.
func suppressed(line string) string {
	if m := suppressedAttr.FindStringSubmatch(line); m != nil {
		return m[1]
	}
	return ""
}

func (e *sampledEnv) authenticate(t *testing.T, auth string) error {
	t.Helper()
	_, err := e.a.Authenticate(t.Context(), req(auth, ""))
	return err
}

// behaviour.md §7.6: the first rejection of each reason per interval is
// logged; the rest are counted, and the next line of that reason written
// after the interval reports how many were left out. The interval is
// measured on the injected clock, both sides of its boundary.
func TestRule7_6_RejectionLogsSampledPerReason(t *testing.T) {
	e := newSampledEnv(t, core.WithLogSampling(time.Minute))
	forged := e.iss.Mint(clerktest.Session{UserID: "user_forged"}, clerktest.TamperedSignature())
	for i := 0; i < 100; i++ {
		if err := e.authenticate(t, "Bearer "+forged); !errors.Is(err, core.ErrTokenInvalidSignature) {
			t.Fatalf("forged token %d: %v", i, err)
		}
	}
	got := e.lines("clerkguard: request signed out")
	if len(got) != 1 || !strings.Contains(got[0], "reason=token-invalid-signature") || suppressed(got[0]) != "" {
		t.Fatalf("behaviour.md §7.6: 100 rejections of one reason in one interval must log exactly the first, without a count; got %d lines:\n%s", len(got), strings.Join(got, "\n"))
	}
	// Another reason in the same interval has its own first line.
	if err := e.authenticate(t, "Bearer not-a-jwt"); !errors.Is(err, core.ErrTokenInvalid) {
		t.Fatalf("malformed token: %v", err)
	}
	if got = e.lines("clerkguard: request signed out"); len(got) != 2 || !strings.Contains(got[1], "reason=token-invalid ") {
		t.Fatalf("behaviour.md §7.6: each reason is sampled on its own; got:\n%s", strings.Join(got, "\n"))
	}
	// One nanosecond before the interval ends: still counted.
	e.clk.Advance(time.Minute - time.Nanosecond)
	_ = e.authenticate(t, "Bearer "+forged)
	if got = e.lines("clerkguard: request signed out"); len(got) != 2 {
		t.Fatalf("behaviour.md §7.6: a rejection inside the interval must not be logged; got:\n%s", strings.Join(got, "\n"))
	}
	// At the end of the interval: logged, with the 100 left out (99 + 1).
	e.clk.Advance(time.Nanosecond)
	_ = e.authenticate(t, "Bearer "+forged)
	got = e.lines("clerkguard: request signed out")
	if len(got) != 3 || suppressed(got[2]) != "100" {
		t.Fatalf("behaviour.md §7.6: the first line after the interval must report suppressed=100; got:\n%s", strings.Join(got, "\n"))
	}
	// The count starts again from zero.
	e.clk.Advance(time.Minute)
	_ = e.authenticate(t, "Bearer "+forged)
	if got = e.lines("clerkguard: request signed out"); len(got) != 4 || suppressed(got[3]) != "" {
		t.Fatalf("behaviour.md §7.6: after a line with nothing left out since, no count; got:\n%s", strings.Join(got, "\n"))
	}
	if strings.Contains(e.logs.String(), forged) {
		t.Fatal("behaviour.md §7.3: a token appears in the logs")
	}
}

// behaviour.md §7.6: 403 decisions are sampled per reason too, through the
// Authorizer's sampler: an adapter's guard logs them through
// Authorizer.Logger (adapter.Evaluate).
func TestRule7_6_ForbiddenLogsSampledPerReason(t *testing.T) {
	e := newSampledEnv(t)
	member := e.iss.Mint(clerktest.Session{UserID: "user_member", OrgID: "org_1", OrgRole: "member"})
	decide := func(g core.Guard) {
		r := httptest.NewRequest("GET", "/admin", nil)
		r.Header.Set("Authorization", "Bearer "+member)
		st := adapter.NewState(t.Context(), e.a, core.HTTPRequest(r), nil)
		if err := adapter.Evaluate(t.Context(), g, st, core.HTTPRequest(r)); err == nil {
			t.Fatalf("%s must refuse a member", g.Name())
		}
	}
	for i := 0; i < 10; i++ {
		decide(core.RequireRole("admin"))
		decide(core.RequirePermission("org:x:y"))
	}
	got := e.lines("clerkguard: request forbidden")
	if len(got) != 2 || !strings.Contains(got[0], "reason=missing-role") || !strings.Contains(got[1], "reason=missing-permission") {
		t.Fatalf("behaviour.md §7.6: one 403 line per reason per interval; got:\n%s", strings.Join(got, "\n"))
	}
	e.clk.Advance(core.DefaultLogSampling)
	decide(core.RequireRole("admin"))
	if got = e.lines("clerkguard: request forbidden"); len(got) != 3 || suppressed(got[2]) != "9" {
		t.Fatalf("behaviour.md §7.6: the next 403 line reports the 9 left out; got:\n%s", strings.Join(got, "\n"))
	}
}

// behaviour.md §7.6: a flood of 401s never hides a 503: an unavailable key
// source is logged at error level, in its own slot, at least once per
// interval, with its own count.
func TestRule7_6_UnavailableStaysVisible(t *testing.T) {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)
	e := newSampledEnv(t)
	// Keys from a JWKS URL that answers 503 (the JWT key of e.a would win).
	a, err := core.New(core.WithJWKSURL(down.URL), core.WithClock(e.clk.Now),
		core.WithLogger(slog.New(slog.NewTextHandler(e.logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	good := e.iss.Mint(clerktest.Session{UserID: "user_good"})
	for i := 0; i < 50; i++ {
		_, _ = a.Authenticate(t.Context(), req("Bearer not-a-jwt", ""))
	}
	for i := 0; i < 3; i++ {
		if _, err := a.Authenticate(t.Context(), req("Bearer "+good, "")); core.ReasonOf(err).Status() != http.StatusServiceUnavailable {
			t.Fatalf("keys down: %v, want a 503 reason", err)
		}
	}
	var errLines []string
	for _, l := range e.lines("clerkguard: request signed out") {
		if strings.Contains(l, "level=ERROR") {
			errLines = append(errLines, l)
		}
	}
	if len(errLines) != 1 {
		t.Fatalf("behaviour.md §7.6: the first 503 of an interval must be logged at error level despite 50 earlier 401s; got:\n%s", e.logs.String())
	}
	e.clk.Advance(core.DefaultLogSampling)
	_, _ = a.Authenticate(t.Context(), req("Bearer "+good, ""))
	errLines = errLines[:0]
	for _, l := range e.lines("clerkguard: request signed out") {
		if strings.Contains(l, "level=ERROR") {
			errLines = append(errLines, l)
		}
	}
	if len(errLines) != 2 || suppressed(errLines[1]) != "2" {
		t.Fatalf("behaviour.md §7.6: the next 503 line reports the 2 left out; got:\n%s", strings.Join(errLines, "\n"))
	}
}

// behaviour.md §7.6: under concurrency every rejection is either logged or
// counted, never both and never lost (run with -race).
func TestRule7_6_ConcurrentRejectionsAllCounted(t *testing.T) {
	e := newSampledEnv(t)
	const workers, each = 8, 50
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				_, _ = e.a.Authenticate(t.Context(), req("Bearer not-a-jwt", ""))
			}
		}()
	}
	wg.Wait()
	if got := e.lines("clerkguard: request signed out"); len(got) != 1 {
		t.Fatalf("behaviour.md §7.6: %d concurrent rejections in one interval logged %d lines, want 1", workers*each, len(got))
	}
	e.clk.Advance(core.DefaultLogSampling)
	_, _ = e.a.Authenticate(t.Context(), req("Bearer not-a-jwt", ""))
	got := e.lines("clerkguard: request signed out")
	if len(got) != 2 || suppressed(got[1]) != "399" {
		t.Fatalf("behaviour.md §7.6: the next line must count the %d left out; got:\n%s", workers*each-1, strings.Join(got, "\n"))
	}
}

func TestWithLogSamplingValidation(t *testing.T) {
	e := newRuleEnv(t)
	if _, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithLogSampling(-time.Nanosecond)); !errors.Is(err, core.ErrConfig) {
		t.Fatalf("WithLogSampling(-1ns): %v, want ErrConfig", err)
	}
	// Zero keeps the default: a second rejection one nanosecond before the
	// default interval ends is still counted, at the interval it is logged.
	for _, tc := range []struct {
		name    string
		opt     core.Option
		advance time.Duration
		lines   int
	}{
		{"ZeroKeepsDefaultInside", core.WithLogSampling(0), core.DefaultLogSampling - time.Nanosecond, 1},
		{"ZeroKeepsDefaultAtBoundary", core.WithLogSampling(0), core.DefaultLogSampling, 2},
		{"ShortInterval", core.WithLogSampling(time.Millisecond), time.Millisecond, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSampledEnv(t, tc.opt)
			_ = s.authenticate(t, "Bearer not-a-jwt")
			s.clk.Advance(tc.advance)
			_ = s.authenticate(t, "Bearer not-a-jwt")
			if got := s.lines("clerkguard: request signed out"); len(got) != tc.lines {
				t.Fatalf("%d lines after %v, want %d:\n%s", len(got), tc.advance, tc.lines, strings.Join(got, "\n"))
			}
		})
	}
}

// BenchmarkRejectionLogged is a flood of one rejected token (a cache miss
// that fails on its shape) logged through a text handler: sampled by
// default, or written every time (a 1 ns interval on a clock that moves).
//
//	go test -run '^$' -bench 'RejectionLogged' -benchmem -cpu 1,2 ./core
func BenchmarkRejectionLogged(b *testing.B) {
	for _, bc := range []struct {
		name string
		opt  core.Option
	}{{"Sampled", core.WithLogSampling(0)}, {"EveryLine", core.WithLogSampling(time.Nanosecond)}} {
		b.Run(bc.name, func(b *testing.B) {
			e := newRuleEnv(b)
			a, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), bc.opt,
				core.WithLogger(slog.New(slog.NewTextHandler(discard{}, nil))))
			if err != nil {
				b.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/api/items", nil)
			r.Header.Set("Authorization", "Bearer not-a-jwt")
			cr := core.HTTPRequest(r)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					_, _ = a.Authenticate(b.Context(), cr)
				}
			})
		})
	}
}

// discard is io.Discard without slog's fast path for it, so that a written
// line costs its formatting.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
