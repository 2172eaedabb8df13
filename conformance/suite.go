package conformance

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/conformance/internal/runner"
	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Run runs the whole conformance suite against the adapter described by h.
// Every case builds a fresh application with h.New (one per subtest), sends
// requests to it with net/http/httptest (no sockets) and checks only what
// comes out: status, headers, exact body bytes and what the terminal handler
// observed. Case names are stable ("Verify/ExpiredAtSkewBoundary"); a case
// or a whole group listed in h.Unsupported is skipped with its reason.
//
// The suite owns every input: RSA keys, the clerktest issuer serving them as
// a JWKS, tokens, and a fixed clock shared by the issuer and every
// Authorizer, so no adapter can tune its way through.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.New == nil {
		t.Fatal("conformance: Harness.New is nil")
	}
	runner.Run(t, h.Name, h.Unsupported, groups(), newSuite(t, h))
}

// CaseNames lists the names of every case Run runs, as "Group/Case", in
// order. Use it to build Harness.Unsupported or to document coverage.
func CaseNames() []string { return runner.Names(groups()) }

type (
	group = runner.Group[*suite]
	tcase = runner.Case[*suite]
)

func groups() []group {
	return []group{
		{Name: "Wiring", Cases: wiringCases()},
		{Name: "Extract", Cases: extractCases()},
		{Name: "Verify", Cases: verifyCases()},
		{Name: "Claims", Cases: claimsCases()},
		{Name: "Guards", Cases: append(guardCases(), namedCases()...)},
		{Name: "Responses", Cases: responseCases()},
		{Name: "Options", Cases: optionCases()},
		{Name: "Context", Cases: contextCases()},
		{Name: "Concurrency", Cases: concurrencyCases()},
		{Name: "Machine", Cases: machineCases()},
		{Name: "MachineKnownGood", Cases: machineKnownGoodCases()},
		{Name: "Reverification", Cases: reverificationCases()},
		{Name: "CustomClaims", Cases: customClaimsCases()},
		{Name: "Audience", Cases: audienceCases()},
		{Name: "Sources", Cases: sourcesCases()},
		{Name: "Preflight", Cases: preflightCases()},
		{Name: "ResourceMetadata", Cases: resourceMetadataCases()},
		{Name: "Security", Cases: securityCases()},
		{Name: "Handshake", Cases: handshakeCases()},
		{Name: "SignInRedirect", Cases: signInRedirectCases()},
		{Name: "Logs", Cases: logsCases()},
		{Name: "Issuers", Cases: issuerCases()},
		{Name: "Multi", Cases: multiCases()},
	}
}

// sharedKeys are the issuer and foreign keys, generated once per test binary
// (tokencases.SharedKeys, shared with the RPC suite).
func sharedKeys() (*rsa.PrivateKey, *rsa.PrivateKey, error) { return tokencases.SharedKeys() }

// Fixed inputs of the suite.
const (
	suiteKID    = tokencases.KID
	suiteParty  = tokencases.Party
	otherParty  = tokencases.OtherParty
	permission  = tokencases.GrantPermission
	role        = tokencases.GrantRole
	feature     = tokencases.GrantFeature
	plan        = tokencases.GrantPlan
	scope       = tokencases.GrantScope
	customSlug  = tokencases.CustomSlug
	defaultUser = tokencases.DefaultUser
)

// suite holds what the cases share: an issuer, a second key and the clock.
// None of them changes during a Run (the clock is never advanced), so sharing
// them does not couple cases.
type suite struct {
	h       Harness
	clock   *clerktest.Clock
	iss     *clerktest.Issuer
	foreign *rsa.PrivateKey
	fx      *tokencases.Fixture // the same issuer, key and clock, for the shared token tables
}

func newSuite(t *testing.T, h Harness) *suite {
	key, other, err := sharedKeys()
	if err != nil {
		t.Fatalf("conformance: generating RSA keys: %v", err)
	}
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now), clerktest.WithKey(suiteKID, key))
	return &suite{h: h, clock: clock, iss: iss, foreign: other,
		fx: &tokencases.Fixture{Issuer: iss, Foreign: other, Clock: clock}}
}

// now is the suite's fixed instant (whole seconds, so exp arithmetic is exact).
func (s *suite) now() time.Time { return s.clock.Now() }

// mint mints a session token with the suite issuer.
func (s *suite) mint(sess clerktest.Session, opts ...clerktest.MintOption) string {
	return s.iss.Mint(sess, opts...)
}

// user mints a plain valid session token for user id.
func (s *suite) user(id string) string { return s.mint(clerktest.Session{UserID: id}) }

// withClaims mints a valid session token for defaultUser with claims
// overridden (nil removes a claim).
func (s *suite) withClaims(claims map[string]any, opts ...clerktest.MintOption) string {
	return s.mint(clerktest.Session{UserID: defaultUser, Claims: claims}, opts...)
}

// Standard routes mounted by every application unless a case says otherwise.
const (
	pathPublic     = "/public"
	pathAuth       = "/auth"
	pathPermission = "/permission"
	pathRole       = "/role"
	pathFeature    = "/feature"
	pathPlan       = "/plan"
	pathCustom     = "/custom"
	pathScope      = "/scope"
	pathM2M        = "/m2m"
	pathNoMWAuth   = "/nomw/auth"
	pathNoMWPerm   = "/nomw/permission"
	pathSilentAuth = "/silent/auth"
	pathSilentPerm = "/silent/permission"
	pathHookAuth   = "/hook/auth"
	pathHookPerm   = "/hook/permission"
	pathHookNoMW   = "/hook/nomw"
	pathHookM2M    = "/hook/m2m"
	pathSilentNoMW = "/silent/nomw"
	pathPublicNoMW = "/nomw/public"
)

func customAllow(c *core.Claims) bool { return c.OrgSlug == customSlug }

func standardRoutes() []Route {
	return []Route{
		{Path: pathPublic},
		{Path: pathAuth, Guard: guard(core.RequireAuth())},
		{Path: pathPermission, Guard: guard(core.RequirePermission(permission))},
		{Path: pathRole, Guard: guard(core.RequireRole(role))},
		{Path: pathFeature, Guard: guard(core.RequireFeature(feature))},
		{Path: pathPlan, Guard: guard(core.RequirePlan(plan))},
		{Path: pathCustom, Guard: guard(core.Require(customAllow))},
		{Path: pathScope, Guard: guard(core.RequireScope(scope))},
		{Path: pathM2M, Guard: guard(core.AcceptsToken(core.M2MToken))},
		{Path: pathNoMWAuth, Guard: guard(core.RequireAuth()), NoMiddleware: true},
		{Path: pathNoMWPerm, Guard: guard(core.RequirePermission(permission)), NoMiddleware: true},
		{Path: pathSilentAuth, Guard: guard(core.RequireAuth()), Hook: HookSilent},
		{Path: pathSilentPerm, Guard: guard(core.RequirePermission(permission)), Hook: HookSilent},
		{Path: pathHookAuth, Guard: guard(core.RequireAuth()), Hook: HookCustom},
		{Path: pathHookPerm, Guard: guard(core.RequirePermission(permission)), Hook: HookCustom},
		{Path: pathHookNoMW, Guard: guard(core.RequireAuth()), Hook: HookCustom, NoMiddleware: true},
		{Path: pathHookM2M, Guard: guard(core.AcceptsToken(core.M2MToken)), Hook: HookCustom},
		{Path: pathSilentNoMW, Guard: guard(core.RequireAuth()), Hook: HookSilent, NoMiddleware: true},
		{Path: pathPublicNoMW, NoMiddleware: true},
	}
}

// envConfig describes the Authorizer and routes of one application.
type envConfig struct {
	// base replaces the default key/issuer/clock options when set.
	base []core.Option
	// opts are appended to the base options.
	opts []core.Option
	// routes replaces standardRoutes when set.
	routes []Route
	// handshake mounts the middleware with WithHandshake (App.Handshake).
	handshake bool
	// instances, when set, are the options of further Clerk instances
	// served with this one through core.NewMulti (cases_multi.go); each
	// gets the env's logger.
	instances [][]core.Option
}

// env is one application under test, built by Harness.New for one subtest.
type env struct {
	s       *suite
	t       *testing.T
	app     *App
	handler http.Handler
	routes  map[string]Route
	logs    *syncBuffer

	mu     sync.Mutex
	obs    []Observation
	tokens []string // tokens sent, checked against logs at the end
}

// newEnv builds an Authorizer (suite issuer + clock unless cfg.base says
// otherwise) and an application through the harness.
func (s *suite) newEnv(t *testing.T, cfg envConfig) *env {
	t.Helper()
	logs := &syncBuffer{}
	base := cfg.base
	if base == nil {
		base = []core.Option{core.WithJWKSURL(s.iss.JWKSURL()), core.WithIssuer(s.iss.IssuerURL())}
	}
	opts := append([]core.Option{}, base...)
	opts = append(opts, core.WithClock(s.clock.Now), core.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	opts = append(opts, cfg.opts...)
	a, err := core.New(opts...)
	if err != nil {
		t.Fatalf("conformance: core.New: %v", err)
	}
	if len(cfg.instances) > 0 {
		a = tokencases.Multi(t, a, cfg.instances, slog.New(slog.NewTextHandler(logs, nil)))
	}
	routes := cfg.routes
	if routes == nil {
		routes = standardRoutes()
	}
	e := &env{s: s, t: t, logs: logs, routes: map[string]Route{}}
	for _, r := range routes {
		e.routes[r.Path] = r
	}
	e.app = &App{Authorizer: a, Routes: routes, Handshake: cfg.handshake}
	e.app.observe = func(o Observation) {
		e.mu.Lock()
		e.obs = append(e.obs, o)
		e.mu.Unlock()
	}
	e.handler = s.h.New(t, e.app)
	if e.handler == nil {
		t.Fatalf("conformance: harness %q: New returned a nil http.Handler", s.h.Name)
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

// reqOpt modifies an outgoing request.
type reqOpt func(*http.Request)

func bearer(tok string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

func authorization(v string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", v) }
}

// cookie sends tok as the __session cookie of a browser that holds a session:
// with __client_uat=1, a time before any token's iat (behaviour.md §10.1).
// An empty tok sends an empty __session and no __client_uat.
func cookie(tok string) reqOpt {
	return func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: tok})
		if tok != "" {
			r.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"})
		}
	}
}

// response is what came out of one request.
type response struct {
	method string // "" is GET
	path   string
	status int
	header http.Header
	body   []byte
	obs    []Observation // observations recorded while serving this request
	token  string        // the token presented, if any
}

// do sends a GET request to path (serially: observations recorded meanwhile
// belong to this request).
func (e *env) do(path string, opts ...reqOpt) response {
	e.t.Helper()
	req := httptest.NewRequestWithContext(e.t.Context(), http.MethodGet, "http://conformance.test"+path, nil)
	for _, o := range opts {
		o(req)
	}
	tok := presentedToken(req)
	e.mu.Lock()
	before := len(e.obs)
	if tok != "" {
		e.tokens = append(e.tokens, tok)
	}
	e.mu.Unlock()
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	e.mu.Lock()
	got := append([]Observation(nil), e.obs[before:]...)
	e.mu.Unlock()
	return response{path: path, status: rec.Code, header: rec.Result().Header, body: rec.Body.Bytes(), obs: got, token: tok}
}

// request is the request line of r for messages: "GET /me".
func (r response) request() string {
	m := r.method
	if m == "" {
		m = http.MethodGet
	}
	return m + " " + r.path
}

// presentedToken returns the bearer value or cookie value of req, for the
// "never in a response or log" checks.
func presentedToken(r *http.Request) string {
	if v := r.Header.Get("Authorization"); v != "" {
		if _, tok, ok := strings.Cut(v, " "); ok {
			return strings.TrimSpace(tok)
		}
		return v
	}
	if c, err := r.Cookie(core.SessionCookie); err == nil {
		return c.Value
	}
	return presentedSourceToken(r)
}

// expectProblem checks that r is the behaviour.md §7.3 rendering of reason, both
// against the literal rules of behaviour.md §7.3 and byte for byte against
// core.ProblemFor, and that the handler was not reached.
func (e *env) expectProblem(r response, rule string, reason core.Reason) {
	e.t.Helper()
	checkProblem(e.t, e.s.h.Name, r, rule, reason, true)
}

// CheckProblem checks one rejection as every clerkguard adapter must answer
// it (behaviour.md §7.3): the status, the exact body bytes and every header
// of core.ProblemFor(reason), and no other header besides Content-Length and
// Date. It is for an adapter's own tests of what its framework's server
// really writes (Run checks the same through httptest); path and name only
// label failures.
func CheckProblem(t *testing.T, name, path string, status int, header http.Header, body []byte, reason core.Reason) {
	t.Helper()
	checkProblem(t, name, response{path: path, status: status, header: header, body: body}, "behaviour.md §7.3", reason, true)
}

// checkProblem checks r against the behaviour.md §7.3 rendering of reason: status,
// body bytes and every header of core.ProblemFor. With onlyCoreHeaders (the
// adapter suite) it also refuses any other response header but the
// transport's framing ones; black-box runs leave it off, since a real
// application may add its own headers (CORS, request IDs) in other
// middleware.
func checkProblem(t *testing.T, name string, r response, rule string, reason core.Reason, onlyCoreHeaders bool) {
	t.Helper()
	checkProblemFor(t, name, r, rule, &core.Error{Reason: reason}, onlyCoreHeaders)
}

// expectProblemFor is expectProblem for a refusal whose body depends on more
// than its reason (the reverification hint): r must be core.ProblemFor(err).
func (e *env) expectProblemFor(r response, rule string, err error) {
	e.t.Helper()
	checkProblemFor(e.t, e.s.h.Name, r, rule, err, true)
}

// checkProblemFor is checkProblem against core.ProblemFor(err).
func checkProblemFor(t *testing.T, name string, r response, rule string, err error, onlyCoreHeaders bool) {
	t.Helper()
	reason := core.ReasonOf(err)
	want := core.ProblemFor(err)
	if r.status != want.Status {
		t.Errorf("%s: %s on %s: status %d, want %d (reason %s); body %.200q", rule, r.request(), name, r.status, want.Status, reason, r.body)
	}
	if len(r.obs) > 0 {
		t.Errorf("%s: %s on %s: the request was rejected (%s) but the terminal handler ran; a rejected request must never reach the handler (behaviour.md §7.2)", rule, r.request(), name, reason)
	}
	if r.token != "" && len(r.token) >= 8 && (bytes.Contains(r.body, []byte(r.token)) || headerContains(r.header, r.token)) {
		t.Errorf("behaviour.md §7.3: %s on %s: the token appears in the response", r.request(), name)
	}
	// The literal rules of behaviour.md §7.3, independent of core's renderer.
	var body struct {
		Error   string `json:"error"`
		Reason  string `json:"reason"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Errorf("behaviour.md §7.3: %s on %s: body is not JSON: %.200q", r.request(), name, r.body)
	} else {
		wantKind := map[int]string{401: "unauthorized", 403: "forbidden", 503: "unavailable", 500: "internal_error"}[want.Status]
		if body.Error != wantKind || body.Reason != string(reason) || body.Message == "" {
			t.Errorf("behaviour.md §7.3: %s on %s: body %s, want error %q, reason %q and a message", r.request(), name, r.body, wantKind, reason)
		}
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("behaviour.md §7.3: %s on %s: Content-Type %q, want application/json", r.request(), name, ct)
	}
	if want.Status == http.StatusUnauthorized {
		wantWWW := `Bearer error="invalid_token"`
		if reason == core.ReasonSessionTokenMissing {
			wantWWW = "Bearer"
		}
		if meta := want.Header.Get("WWW-Authenticate"); strings.Contains(meta, "resource_metadata=") {
			wantWWW = meta // behaviour.md §14.1, checked exactly by the ResourceMetadata cases
		}
		if got := r.header.Get("WWW-Authenticate"); got != wantWWW {
			t.Errorf("behaviour.md §7.3 (RFC 6750): %s on %s: WWW-Authenticate %q, want %q", r.request(), name, got, wantWWW)
		}
		if got := r.header.Get("X-Clerk-Auth-Status"); got != "signed-out" {
			t.Errorf("behaviour.md §7.3: %s on %s: X-Clerk-Auth-Status %q, want signed-out", r.request(), name, got)
		}
		if got := r.header.Get("X-Clerk-Auth-Reason"); got != string(reason) {
			t.Errorf("behaviour.md §7.3: %s on %s: X-Clerk-Auth-Reason %q, want %q", r.request(), name, got, reason)
		}
	}
	if want.Status == http.StatusForbidden {
		if got := r.header.Get("X-Clerk-Auth-Status"); got != "signed-in" {
			t.Errorf("behaviour.md §7.3: %s on %s: a 403 must carry X-Clerk-Auth-Status: signed-in (the user is signed in but not allowed); got %q", r.request(), name, got)
		}
		if got := r.header.Get("X-Clerk-Auth-Reason"); got != string(reason) {
			t.Errorf("behaviour.md §7.3: %s on %s: a 403 must carry its reason in X-Clerk-Auth-Reason; got %q, want %q", r.request(), name, got, reason)
		}
	}
	// Byte for byte what core renders: the same bytes from every adapter.
	if !bytes.Equal(r.body, want.Body) {
		t.Errorf("behaviour.md §7.3: %s on %s: body %q, want exactly %q (core.ProblemFor's bytes: no trailing newline, same field order)", r.request(), name, r.body, want.Body)
	}
	for k, vs := range want.Header {
		if got := r.header.Values(k); strings.Join(got, ", ") != strings.Join(vs, ", ") {
			t.Errorf("behaviour.md §7.3: %s on %s: header %s = %q, want %q", r.request(), name, k, got, vs)
		}
	}
	if !onlyCoreHeaders {
		return
	}
	// No header beyond those core renders (and the transport's own framing
	// headers): the same header set from every adapter.
	for k, vs := range r.header {
		if _, ok := want.Header[k]; ok || transportHeaders[k] {
			continue
		}
		t.Errorf("behaviour.md §7: %s on %s: extra response header %s: %q; every adapter must send exactly core.ProblemFor's headers", r.request(), name, k, vs)
	}
}

// transportHeaders are set by the HTTP transport, not by an adapter; they may
// accompany a problem response.
var transportHeaders = map[string]bool{"Content-Length": true, "Date": true}

func headerContains(h http.Header, s string) bool {
	for _, vs := range h {
		for _, v := range vs {
			if strings.Contains(v, s) {
				return true
			}
		}
	}
	return false
}

// expectSignedIn checks a 200 from the terminal handler that saw userID
// through both accessors.
func (e *env) expectSignedIn(r response, rule, userID string) summaryBody {
	e.t.Helper()
	return e.expectOK(r, rule, userID, "")
}

// expectSignedOut checks a 200 from the terminal handler that saw a
// signed-out request with the given reason (checked when the harness reports
// the Result).
func (e *env) expectSignedOut(r response, rule string, reason core.Reason) summaryBody {
	e.t.Helper()
	return e.expectOK(r, rule, "", reason)
}

func (e *env) expectOK(r response, rule, userID string, reason core.Reason) summaryBody {
	e.t.Helper()
	name := e.s.h.Name
	var sum summaryBody
	if r.status != http.StatusOK {
		e.t.Errorf("%s: GET %s on %s: status %d, want 200; body %.300s", rule, r.path, name, r.status, r.body)
		return sum
	}
	if len(r.obs) != 1 {
		e.t.Errorf("%s: GET %s on %s: the terminal handler recorded %d observations, want 1 (harness wiring: every terminal handler must call App.Handle exactly once)", rule, r.path, name, len(r.obs))
		return sum
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		e.t.Errorf("harness wiring: GET %s on %s: handler Content-Type %q, want application/json", r.path, name, ct)
	}
	want := summarize(r.obs[0])
	if !bytes.Equal(r.body, want) {
		e.t.Errorf("harness wiring: GET %s on %s: body %s is not the App.Handle summary %s", r.path, name, r.body, want)
	}
	_ = json.Unmarshal(r.body, &sum)
	o := r.obs[0]
	route := e.routes[r.path]
	if o.AdapterOK != o.ContextOK || sum.Adapter != sum.Context {
		e.t.Errorf("%s: GET %s on %s: the adapter accessor saw %+v but core.ClaimsFromContext saw %+v; claims must be on the standard request context too", rule, r.path, name, sum.Adapter, sum.Context)
	}
	if o.ResultReported && !route.NoMiddleware && o.Result == nil {
		e.t.Errorf("harness wiring: GET %s on %s: the route is behind the middleware but the handler found no *core.Result on the request context (behaviour.md §7.1: the middleware stores the outcome of every request)", r.path, name)
	}
	if userID != "" {
		if !sum.Adapter.OK || sum.Adapter.UserID != userID {
			e.t.Errorf("%s: GET %s on %s: handler saw %+v, want signed in as %s", rule, r.path, name, sum.Adapter, userID)
		}
		if !route.NoMiddleware && o.AdapterClaims == nil && !o.AdapterOK {
			e.t.Errorf("harness wiring: GET %s on %s: a valid token reached the handler without claims: is the middleware installed?", r.path, name)
		}
		return sum
	}
	if sum.Adapter.OK || sum.Context.OK {
		e.t.Errorf("%s: GET %s on %s: handler saw claims %+v on a signed-out request", rule, r.path, name, sum.Adapter)
	}
	if reason != "" && o.ResultReported && o.Result != nil && o.Result.Reason() != reason {
		e.t.Errorf("%s: GET %s on %s: the stored Result says %q, want %q (behaviour.md §7.1: the middleware attaches the reason the request is signed out)", rule, r.path, name, o.Result.Reason(), reason)
	}
	return sum
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer = tokencases.SyncBuffer

// unverifiedClaim returns the string claim name of a JWT's payload, decoded
// without verification ("" when absent or not a string).
func unverifiedClaim(tok, name string) string { return tokencases.UnverifiedClaim(tok, name) }

// signedInEverything is a v2 session allowed by every standard session guard.
func signedInEverything() clerktest.Session { return tokencases.SignedInEverything() }
