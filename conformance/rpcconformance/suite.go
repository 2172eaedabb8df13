package rpcconformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/conformance/internal/runner"
	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Run runs the whole RPC suite against the adapter described by h. Every case
// builds a fresh server with h.New; case names are stable ("Verify/Expired…",
// the same names as the HTTP suite's token cases).
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.New == nil {
		t.Fatal("rpcconformance: Harness.New is nil")
	}
	runner.Run(t, h.Name, h.Unsupported, groups(), newSuite(t, h))
}

// CaseNames lists the names of every case Run runs, as "Group/Case".
func CaseNames() []string { return runner.Names(groups()) }

type (
	group = runner.Group[*suite]
	tcase = runner.Case[*suite]
)

func groups() []group {
	return []group{
		{Name: "Extract", Cases: extractCases()},
		{Name: "Verify", Cases: verifyCases()},
		{Name: "Availability", Cases: availabilityCases()},
		{Name: "Claims", Cases: claimsCases()},
		{Name: "Guards", Cases: guardCases()},
		{Name: "Machine", Cases: machineCases()},
		{Name: "Concurrency", Cases: concurrencyCases()},
		{Name: "Logs", Cases: logsCases()},
		{Name: "Multi", Cases: multiCases()},
		{Name: "Wiring", Cases: wiringCases()},
	}
}

type suite struct {
	h  Harness
	fx *tokencases.Fixture
}

func newSuite(t *testing.T, h Harness) *suite {
	key, other, err := tokencases.SharedKeys()
	if err != nil {
		t.Fatalf("rpcconformance: generating RSA keys: %v", err)
	}
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now), clerktest.WithKey(tokencases.KID, key))
	return &suite{h: h, fx: &tokencases.Fixture{Issuer: iss, Foreign: other, Clock: clock}}
}

// The standard procedures. Probe serves unary calls, Stream the same names as
// server streams.
const (
	svcProbe  = "/conformance.rpc.v1.Probe/"
	svcStream = "/conformance.rpc.v1.Stream/"
	svcAdmin  = "/conformance.rpc.v1.Admin/"
	health    = "/grpc.health.v1.Health/Check"
)

var (
	guardPermission = core.RequirePermission(tokencases.GrantPermission)
	guardRole       = core.RequireRole(tokencases.GrantRole)
	guardFeature    = core.RequireFeature(tokencases.GrantFeature)
	guardPlan       = core.RequirePlan(tokencases.GrantPlan)
	guardCustom     = core.Require(func(c *core.Claims) bool { return c.OrgSlug == tokencases.CustomSlug })
	guardScope      = core.RequireScope(tokencases.GrantScope)
	guardM2M        = core.AcceptsToken(core.M2MToken)
)

// guarded names the standard guarded methods (under both services) and their
// guards; "Auth" has no rule: the default guard (RequireAuth) protects it.
var guarded = []struct {
	method string
	guard  core.Guard
	deny   core.Reason
}{
	{"Auth", core.RequireAuth(), ""},
	{"Permission", guardPermission, core.ReasonMissingPermission},
	{"Role", guardRole, core.ReasonMissingRole},
	{"Feature", guardFeature, core.ReasonMissingFeature},
	{"Plan", guardPlan, core.ReasonMissingPlan},
	{"Custom", guardCustom, core.ReasonForbidden},
	{"Scope", guardScope, core.ReasonMissingScope},
	{"M2M", guardM2M, core.ReasonTokenTypeMismatch},
}

func unary(name string) Procedure  { return Procedure{Name: name} }
func stream(name string) Procedure { return Procedure{Name: name, Streaming: true} }

// standardApp is the server most cases use: Public (public), the guarded
// methods of both services, the gRPC health check (default guard), and the
// Admin service (RequireRole by prefix, with Admin/Open public).
func standardApp() ([]Procedure, []Rule) {
	procs := []Procedure{unary(svcProbe + "Public"), stream(svcStream + "Public"), unary(health),
		unary(svcAdmin + "Any"), unary(svcAdmin + "Open")}
	rules := []Rule{{Pattern: svcProbe + "Public", Public: true}, {Pattern: svcStream + "Public", Public: true},
		{Pattern: svcAdmin, Guard: guardRole}, {Pattern: svcAdmin + "Open", Public: true}}
	for _, g := range guarded {
		procs = append(procs, unary(svcProbe+g.method), stream(svcStream+g.method))
		if g.method != "Auth" {
			rules = append(rules, Rule{Pattern: svcProbe + g.method, Guard: g.guard}, Rule{Pattern: svcStream + g.method, Guard: g.guard})
		}
	}
	return procs, rules
}

// envConfig describes the Authorizer and server of one case.
type envConfig struct {
	base, opts    []core.Option // as tokencases.Env
	procs         []Procedure   // replace the standard procedures and rules when set
	rules         []Rule
	def           *core.Guard
	noInterceptor bool
	instances     [][]core.Option // further instances behind core.NewMulti (cases_multi.go)
}

// env is one server under test.
type env struct {
	s      *suite
	t      *testing.T
	client Client
	procs  map[string]Procedure
	logs   *tokencases.SyncBuffer
	// noInterceptor: the server runs without the interceptor, so handlers
	// find no Result.
	noInterceptor bool

	mu     sync.Mutex
	obs    []Observation
	tokens []string
}

func (s *suite) newEnv(t *testing.T, cfg envConfig) *env {
	t.Helper()
	logs := &tokencases.SyncBuffer{}
	base := cfg.base
	if base == nil {
		base = []core.Option{core.WithJWKSURL(s.fx.Issuer.JWKSURL()), core.WithIssuer(s.fx.Issuer.IssuerURL())}
	}
	opts := append(append([]core.Option{}, base...), core.WithClock(s.fx.Clock.Now), core.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	a, err := core.New(append(opts, cfg.opts...)...)
	if err != nil {
		t.Fatalf("rpcconformance: core.New: %v", err)
	}
	if len(cfg.instances) > 0 {
		a = tokencases.Multi(t, a, cfg.instances, slog.New(slog.NewTextHandler(logs, nil)))
	}
	procs, rules := cfg.procs, cfg.rules
	if procs == nil {
		procs, rules = standardApp()
	}
	e := &env{s: s, t: t, logs: logs, procs: map[string]Procedure{}, noInterceptor: cfg.noInterceptor}
	for _, p := range procs {
		e.procs[p.Name] = p
	}
	app := &App{Authorizer: a, Procedures: procs, Rules: rules, Default: cfg.def, NoInterceptor: cfg.noInterceptor}
	app.observe = func(o Observation) {
		e.mu.Lock()
		e.obs = append(e.obs, o)
		e.mu.Unlock()
	}
	e.client = s.h.New(t, app)
	if e.client == nil {
		t.Fatalf("rpcconformance: harness %q: New returned a nil Client", s.h.Name)
	}
	t.Cleanup(e.checkLogs)
	return e
}

// checkLogs enforces behaviour.md §7.3: the token never appears in a log line.
func (e *env) checkLogs() {
	logs := e.logs.String()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, tok := range e.tokens {
		if len(tok) >= 16 && strings.Contains(logs, tok) {
			e.t.Errorf("behaviour.md §7.3: a token sent to %s appears in the Authorizer's log output", e.s.h.Name)
			return
		}
	}
}

// result is one call and what came of it.
type result struct {
	Outcome
	proc  Procedure
	obs   []Observation
	token string
}

// bearer is the metadata of a call presenting tok as a bearer token.
func bearer(tok string) map[string][]string {
	return map[string][]string{"authorization": {"Bearer " + tok}}
}

func authorization(values ...string) map[string][]string {
	return map[string][]string{"authorization": values}
}

// call calls the procedure name (serially: observations recorded meanwhile
// belong to this call).
func (e *env) call(name string, md map[string][]string) result {
	e.t.Helper()
	p, ok := e.procs[name]
	if !ok {
		e.t.Fatalf("rpcconformance: case error: %s is not served", name)
	}
	tok := ""
	if v := md["authorization"]; len(v) > 0 {
		tok = v[0]
		if _, rest, found := strings.Cut(tok, " "); found {
			tok = strings.TrimSpace(rest)
		}
	}
	e.mu.Lock()
	before := len(e.obs)
	if tok != "" {
		e.tokens = append(e.tokens, tok)
	}
	e.mu.Unlock()
	out := e.client.Call(e.t.Context(), p, md)
	e.mu.Lock()
	got := append([]Observation(nil), e.obs[before:]...)
	e.mu.Unlock()
	return result{Outcome: out, proc: p, obs: got, token: tok}
}

// wantCode is the RPC code of a reason: the HTTP status of behaviour.md §7.3
// mapped as this package's documentation says.
func wantCode(reason core.Reason) adapter.RPCCode {
	switch reason.Status() {
	case 403:
		return adapter.RPCPermissionDenied
	case 503:
		return adapter.RPCUnavailable
	case 500:
		return adapter.RPCInternal
	default:
		return adapter.RPCUnauthenticated
	}
}

func kind(p Procedure) string {
	if p.Streaming {
		return "server stream"
	}
	return "unary call"
}

// expectRejected checks that r was refused with reason (by guard g when the
// reason is a refusal or a wiring error): code, message, ErrorInfo, trailers,
// no handler run, no token anywhere in the answer.
func (e *env) expectRejected(r result, rule string, reason core.Reason, g core.Guard) {
	e.t.Helper()
	name, where := e.s.h.Name, fmt.Sprintf("%s %s", kind(r.proc), r.proc.Name)
	code := wantCode(reason)
	if r.Code != code {
		e.t.Errorf("%s: %s on %s: code %d, want %d (reason %s; HTTP %d maps to it)", rule, where, name, r.Code, code, reason, reason.Status())
	}
	if len(r.obs) > 0 || len(r.Messages) > 0 {
		e.t.Errorf("%s: %s on %s: the call was refused (%s) but the handler ran or sent messages; a refused call must never reach the handler (behaviour.md §7.2)", rule, where, name, reason)
	}
	if r.Message != reason.Message() {
		e.t.Errorf("behaviour.md §7.3: %s on %s: message %q, want the reason's fixed text %q", where, name, r.Message, reason.Message())
	}
	if r.ErrorInfo == nil {
		e.t.Errorf("behaviour.md §7.3: %s on %s: no google.rpc.ErrorInfo detail (%d details); clients branch on its reason", where, name, r.Details)
	} else {
		if r.ErrorInfo.Reason != string(reason) || r.ErrorInfo.Domain != adapter.RPCErrorDomain {
			e.t.Errorf("%s: %s on %s: ErrorInfo reason %q domain %q, want %q and %q", rule, where, name, r.ErrorInfo.Reason, r.ErrorInfo.Domain, reason, adapter.RPCErrorDomain)
		}
		if code == adapter.RPCPermissionDenied || code == adapter.RPCInternal {
			if got := r.ErrorInfo.Metadata[adapter.RPCMetadataGuard]; got != g.Name() {
				e.t.Errorf("behaviour.md §7.3: %s on %s: ErrorInfo metadata %s = %q, want the refusing guard %q", where, name, adapter.RPCMetadataGuard, got, g.Name())
			}
		}
	}
	if got := r.Trailer[adapter.RPCTrailerAuthReason]; len(got) != 1 || got[0] != string(reason) {
		e.t.Errorf("%s: %s on %s: trailer %s = %q, want [%s]", rule, where, name, adapter.RPCTrailerAuthReason, got, reason)
	}
	wantStatus := map[adapter.RPCCode]string{adapter.RPCUnauthenticated: "signed-out", adapter.RPCPermissionDenied: "signed-in"}[code]
	if got := r.Trailer[adapter.RPCTrailerAuthStatus]; strings.Join(got, ",") != wantStatus {
		e.t.Errorf("behaviour.md §7.3: %s on %s: trailer %s = %q, want %q", where, name, adapter.RPCTrailerAuthStatus, got, wantStatus)
	}
	if len(r.token) >= 8 && leaks(r.Outcome, r.token) {
		e.t.Errorf("behaviour.md §7.3: %s on %s: the token appears in the status message, ErrorInfo or trailers", where, name)
	}
}

func leaks(o Outcome, tok string) bool {
	if strings.Contains(o.Message, tok) {
		return true
	}
	if o.ErrorInfo != nil {
		for _, v := range o.ErrorInfo.Metadata {
			if strings.Contains(v, tok) {
				return true
			}
		}
	}
	for _, vs := range o.Trailer {
		for _, v := range vs {
			if strings.Contains(v, tok) {
				return true
			}
		}
	}
	return false
}

// expectSignedIn checks a successful call whose handler saw userID through
// both accessors.
func (e *env) expectSignedIn(r result, rule, userID string) {
	e.t.Helper()
	e.expectOK(r, rule, userID, "")
}

// expectSignedOut checks a successful call (a public method) whose handler saw
// a signed-out call with reason.
func (e *env) expectSignedOut(r result, rule string, reason core.Reason) {
	e.t.Helper()
	e.expectOK(r, rule, "", reason)
}

func (e *env) expectOK(r result, rule, userID string, reason core.Reason) {
	e.t.Helper()
	name, where := e.s.h.Name, fmt.Sprintf("%s %s", kind(r.proc), r.proc.Name)
	if r.Code != 0 {
		reasonGot := ""
		if r.ErrorInfo != nil {
			reasonGot = r.ErrorInfo.Reason
		}
		e.t.Errorf("%s: %s on %s: code %d (%s, %q), want OK", rule, where, name, r.Code, reasonGot, r.Message)
		return
	}
	wantMsgs := 1
	if r.proc.Streaming {
		wantMsgs = 2
	}
	if len(r.obs) != 1 || len(r.Messages) != wantMsgs {
		e.t.Errorf("harness wiring: %s on %s: %d observations and %d messages, want 1 and %d (every handler calls App.Handle once; streams also send App.Summarize)", where, name, len(r.obs), len(r.Messages), wantMsgs)
		return
	}
	want := summarize(r.obs[0])
	for i, m := range r.Messages {
		if !bytes.Equal(m, want) {
			e.t.Errorf("%s: %s on %s: message %d is %s, want %s (the context of a call must not change while it runs, behaviour.md §7.5)", rule, where, name, i, m, want)
		}
	}
	var sum summary
	_ = json.Unmarshal(want, &sum)
	if !sum.HasResult && !e.noInterceptor {
		e.t.Errorf("%s: %s on %s: the handler found no *core.Result on its context; the interceptor stores the outcome of every call (behaviour.md §7.1)", rule, where, name)
	}
	if sum.AdapterUser != sum.ContextUser {
		e.t.Errorf("%s: %s on %s: ClaimsFrom saw %q but core.ClaimsFromContext saw %q", rule, where, name, sum.AdapterUser, sum.ContextUser)
	}
	if sum.AdapterUser != userID {
		e.t.Errorf("%s: %s on %s: handler saw user %q, want %q", rule, where, name, sum.AdapterUser, userID)
	}
	if userID == "" && reason != "" && sum.Reason != string(reason) {
		e.t.Errorf("%s: %s on %s: the stored Result says %q, want %q (behaviour.md §7.1)", rule, where, name, sum.Reason, reason)
	}
}
