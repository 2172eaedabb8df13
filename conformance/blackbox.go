package conformance

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// BlackBox runs the suite's black-box checks against your own application:
// your real router, middleware and guards, seen only from the outside.
//
// The suite owns the keys, so your application must trust the suite's
// issuer: build its Authorizer from Options (in-process handler) or start it
// with Env (separate process), then call Run with the routes to check: a
// public one, a signed-in one, a permission-guarded one and a role-guarded
// one, each optional and each with its own method:
//
//	bb := conformance.NewBlackBox(t)
//	a, _ := core.New(bb.Options()...)
//	bb.Run(t, conformance.BlackBoxConfig{Handler: NewRouter(a), PublicPath: "/health",
//		SignedInPath: "/me", PermissionMethod: "POST", PermissionPath: "/invoices",
//		Permission: "org:invoices:create"})
//
// Tokens are minted with the real clock (your application uses it too).
type BlackBox struct {
	// Issuer is the in-process Clerk stand-in whose keys the application
	// must trust. Use it to mint extra tokens for your own tests.
	Issuer *clerktest.Issuer
}

// BlackBoxAuthorizedParty is the azp of the tokens the black-box checks
// send, and the authorized party configured by Options and Env.
const BlackBoxAuthorizedParty = clerktest.DefaultAuthorizedParty

// NewBlackBox starts the suite's issuer (an RSA key, a JWKS served by an
// httptest.Server, closed when t ends) for a black-box run.
func NewBlackBox(t testing.TB) *BlackBox {
	t.Helper()
	key, _, err := sharedKeys()
	if err != nil {
		t.Fatalf("conformance: generating RSA keys: %v", err)
	}
	return &BlackBox{Issuer: clerktest.Start(t, clerktest.WithKey(suiteKID, key))}
}

// Options are the core options that make an Authorizer trust the suite: the
// issuer's JWKS URL, its issuer and BlackBoxAuthorizedParty. Append your own
// options (they must not replace the key source, the issuer or the
// authorized parties).
func (b *BlackBox) Options() []core.Option {
	return []core.Option{core.WithJWKSURL(b.Issuer.JWKSURL()), core.WithIssuer(b.Issuer.IssuerURL()),
		core.WithAuthorizedParties(BlackBoxAuthorizedParty)}
}

// Env is the environment (for core.NewFromEnv) that makes an application
// started in another process trust the suite, without any network call back
// to the test: CLERK_JWT_KEY (the public key as PEM), CLERK_PUBLISHABLE_KEY
// (from which the issuer is derived) and CLERK_AUTHORIZED_PARTIES.
func (b *BlackBox) Env() map[string]string {
	return map[string]string{
		core.EnvJWTKey:            b.Issuer.PublicKeyPEM(),
		core.EnvPublishableKey:    b.Issuer.PublishableKey(),
		core.EnvAuthorizedParties: BlackBoxAuthorizedParty,
	}
}

// Mint mints a session token the application trusts (see clerktest.Session).
func (b *BlackBox) Mint(s clerktest.Session, opts ...clerktest.MintOption) string {
	return b.Issuer.Mint(s, opts...)
}

// BlackBoxConfig describes the application under test for Run: where to
// send requests, and which routes to check. Each route group is optional
// (an empty path skips it) and has its own method, so a permission-guarded
// POST /invoices is checked as POST while GET /me stays GET.
type BlackBoxConfig struct {
	// Handler is the application, served in-process through httptest. Set
	// either Handler or BaseURL.
	Handler http.Handler
	// BaseURL is the root URL of a running application ("http://127.0.0.1:8080").
	BaseURL string
	// Client sends requests to BaseURL (default: a client with a 10 s timeout).
	Client *http.Client

	// PublicPath is a route behind the middleware with no guard: it must
	// let every request through (any 2xx), signed in or not, even with a
	// broken token. PublicMethod is its method (default GET).
	PublicPath, PublicMethod string
	// SignedInPath is a route behind RequireAuth (or any guard a plain
	// signed-in session without an organization passes). SignedInMethod is
	// its method (default GET).
	SignedInPath, SignedInMethod string
	// PermissionPath is a route behind RequirePermission(Permission), such
	// as POST /invoices behind "org:invoices:create". PermissionMethod is
	// its method (default GET).
	PermissionPath, PermissionMethod string
	// Permission is the permission PermissionPath requires.
	Permission string
	// RolePath is a route behind RequireRole(Role), such as GET /admin
	// behind "admin". RoleMethod is its method (default GET).
	RolePath, RoleMethod string
	// Role is the organization role RolePath requires ("admin" or
	// "org:admin").
	Role string
	// FeaturePath is a route behind RequireFeature(Feature) alone, such as
	// GET /reports behind "reports". FeatureMethod is its method (default
	// GET). Feature may carry a scope ("org:reports", "user:reports",
	// behaviour.md §5.4); the group checks that the other scope does not
	// count.
	FeaturePath, FeatureMethod string
	// Feature is the feature FeaturePath requires.
	Feature string
	// PlanPath is a route behind RequirePlan(Plan) alone, such as GET
	// /billing behind "pro"; PlanMethod and Plan as for features.
	PlanPath, PlanMethod string
	// Plan is the plan PlanPath requires.
	Plan string
	// ReverificationPath is a route behind
	// RequireReverification(Reverification), such as DELETE /account behind
	// core.ReverificationStrict. ReverificationMethod is its method
	// (default GET).
	ReverificationPath, ReverificationMethod string
	// Reverification is the requirement of ReverificationPath.
	Reverification core.Reverification
	// ScopePath is a route behind RequireScope(Scope), such as POST /sync
	// behind "invoices:sync". The application must accept M2M tokens there
	// (core.WithAcceptsToken(core.SessionToken, core.M2MToken), or the
	// adapter's AcceptsToken); the group sends JWT-format M2M tokens.
	// ScopeMethod is its method (default GET).
	ScopePath, ScopeMethod string
	// Scope is the scope ScopePath requires.
	Scope string

	// CookieAuthDisabled says the application was built with
	// core.WithCookieAuth(false): the cookie checks then expect signed-out.
	CookieAuthDisabled bool
	// StatusOnly checks status codes only, not the bodies and headers of
	// rejections (behaviour.md §7.3): for applications that install their
	// own error handler.
	StatusOnly bool
	// ExactHeaders also refuses, on every rejection, any response header
	// that core.ProblemFor does not render (besides Content-Length and
	// Date). Off by default, since real applications often add headers in
	// other middleware (CORS, request IDs); turn it on to prove that your
	// stack answers with exactly the bytes every clerkguard adapter sends.
	ExactHeaders bool
	// Unsupported lists case names ("SignedIn/Cookie") to skip, with why.
	Unsupported map[string]string
}

// Run runs the black-box checks against cfg. Empty paths skip their group.
func (b *BlackBox) Run(t *testing.T, cfg BlackBoxConfig) {
	t.Helper()
	RunBlackBox(t, b, cfg)
}

// ServeFunc starts serving an application on ln in the background and
// registers with t.Cleanup whatever stops it. RunHandlerAndServer calls it
// with a fresh loopback listener.
type ServeFunc func(t *testing.T, ln net.Listener)

// RunHandlerAndServer runs the black-box checks twice, in two subtests:
// "Handler" sends the requests to cfg.Handler in process, and "Server"
// serves the application on a fresh 127.0.0.1 listener and sends real HTTP
// requests to it, so that what the server really puts on the wire is
// checked too. serve starts the server; nil serves cfg.Handler with
// net/http. Pass your own for a server that is not net/http, such as
// fiber's:
//
//	bb.RunHandlerAndServer(t, conformance.BlackBoxConfig{Handler: adaptor.FiberApp(app), …},
//		func(t *testing.T, ln net.Listener) {
//			go app.Listener(ln)
//			t.Cleanup(func() { app.Shutdown() })
//		})
//
// cfg.Handler is required and cfg.BaseURL must be empty.
func (b *BlackBox) RunHandlerAndServer(t *testing.T, cfg BlackBoxConfig, serve ServeFunc) {
	t.Helper()
	if cfg.Handler == nil || cfg.BaseURL != "" {
		t.Fatal("conformance: RunHandlerAndServer needs BlackBoxConfig.Handler and no BaseURL (it serves the application itself)")
	}
	if serve == nil {
		h := cfg.Handler
		serve = func(t *testing.T, ln net.Listener) {
			srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
			go func() { _ = srv.Serve(ln) }()
			t.Cleanup(func() { _ = srv.Close() })
		}
	}
	t.Run("Handler", func(t *testing.T) { RunBlackBox(t, b, cfg) })
	t.Run("Server", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("conformance: listening on loopback: %v", err)
		}
		serve(t, ln)
		served := cfg
		served.Handler, served.BaseURL = nil, "http://"+ln.Addr().String()
		RunBlackBox(t, b, served)
	})
}

// RunBlackBox runs the black-box checks against the application described
// by cfg, which must trust bb (see BlackBox). Case names are stable:
// Public/…, SignedIn/…, Permission/…, Role/…, Feature/…, Plan/…,
// Reverification/…, Scope/…. Every failure message names
// the request ("POST /invoices") and states the rule it enforces.
func RunBlackBox(t *testing.T, bb *BlackBox, cfg BlackBoxConfig) {
	t.Helper()
	if bb == nil || bb.Issuer == nil {
		t.Fatal("conformance: RunBlackBox needs the *BlackBox from NewBlackBox, whose Options or Env the application trusts")
	}
	if (cfg.Handler == nil) == (cfg.BaseURL == "") {
		t.Fatal("conformance: BlackBoxConfig needs exactly one of Handler and BaseURL")
	}
	r := &blackBoxRunner{bb: bb, cfg: cfg}
	groups := r.groups()
	for _, g := range groups {
		if msg := g.misconfigured(); msg != "" {
			t.Fatal("conformance: BlackBoxConfig: " + msg)
		}
	}
	if msg := misconfiguredReverification(cfg); msg != "" {
		t.Fatal("conformance: BlackBoxConfig: " + msg)
	}
	for _, g := range groups {
		if g.route.path == "" {
			continue
		}
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					if reason, ok := cfg.Unsupported[g.name+"/"+c.name]; ok {
						t.Skipf("unsupported: %s", reason)
					}
					c.run(t)
				})
			}
		})
	}
}

type blackBoxRunner struct {
	bb  *BlackBox
	cfg BlackBoxConfig
}

// bbRoute is one route of the application under test.
type bbRoute struct {
	method, path string
}

// route returns the route at path with method, GET when method is empty.
func route(method, path string) bbRoute {
	if method == "" {
		method = http.MethodGet
	}
	return bbRoute{method: method, path: path}
}

func (r bbRoute) String() string { return r.method + " " + r.path }

type bbGroup struct {
	name  string
	route bbRoute
	// methodSet says the config set the group's method field; need names
	// the field the route needs besides its path ("Permission"), and value
	// holds that field's value.
	methodSet   bool
	need, value string
	cases       []bbCase
}

// misconfigured explains a group whose fields do not go together, or "".
func (g bbGroup) misconfigured() string {
	switch {
	case g.route.path == "" && g.methodSet:
		return g.name + "Method is set but " + g.name + "Path is empty"
	case g.route.path == "" && g.value != "":
		return g.need + " is set but " + g.name + "Path is empty"
	case g.route.path != "" && g.need != "" && g.value == "":
		return g.name + "Path needs " + g.need
	case g.route.path != "" && !strings.HasPrefix(g.route.path, "/"):
		return g.name + "Path must start with /"
	}
	return ""
}

type bbCase struct {
	name string
	run  func(t *testing.T)
}

func (r *blackBoxRunner) send(t *testing.T, rt bbRoute, opts ...reqOpt) response {
	t.Helper()
	var req *http.Request
	if r.cfg.Handler != nil {
		req = httptest.NewRequestWithContext(t.Context(), rt.method, "http://blackbox.test"+rt.path, nil)
	} else {
		var err error
		req, err = http.NewRequestWithContext(t.Context(), rt.method, strings.TrimRight(r.cfg.BaseURL, "/")+rt.path, nil)
		if err != nil {
			t.Fatalf("conformance: %s: %v", rt, err)
		}
	}
	for _, o := range opts {
		o(req)
	}
	res := response{method: rt.method, path: rt.path, token: presentedToken(req)}
	if r.cfg.Handler != nil {
		rec := httptest.NewRecorder()
		r.cfg.Handler.ServeHTTP(rec, req)
		res.status, res.header, res.body = rec.Code, rec.Result().Header, rec.Body.Bytes()
		return res
	}
	client := r.cfg.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("conformance: %s: %v", rt, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	res.status, res.header, res.body = resp.StatusCode, resp.Header, body
	return res
}

// expectGranted checks that the application let the request through: any
// 2xx (a create handler answers 201, a delete 204).
func (r *blackBoxRunner) expectGranted(t *testing.T, res response, rule string) {
	t.Helper()
	if res.status < 200 || res.status > 299 {
		t.Errorf("%s: %s: %s; got status %d, want any 2xx; body %.300s", res.request(), rule, grantedHint(res.status), res.status, res.body)
	}
}

// grantedHint explains the usual cause of a status on a request that
// should have been let through.
func grantedHint(status int) string {
	switch status {
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return "the application has no such route: check the path and its …Method field"
	case http.StatusUnauthorized:
		return "the application refused a token of the suite's issuer: build its Authorizer from bb.Options(), or start it with bb.Env()"
	}
	return "the request was not let through"
}

func (r *blackBoxRunner) expectProblem(t *testing.T, res response, rule string, reason core.Reason) {
	t.Helper()
	if r.cfg.StatusOnly {
		if want := reason.Status(); res.status != want {
			t.Errorf("%s: %s: got status %d, want %d (reason %s); body %.300s", res.request(), rule, res.status, want, reason, res.body)
		}
		if len(res.token) >= 8 && strings.Contains(string(res.body), res.token) {
			t.Errorf("%s: the token appears in the response; a token must never be echoed (behaviour.md §7.3)", res.request())
		}
		return
	}
	checkProblem(t, "the application", res, rule, reason, r.cfg.ExactHeaders)
}

func (r *blackBoxRunner) groups() []bbGroup {
	cfg := r.cfg
	mint := r.mintSession
	valid := func() string { return mint(clerktest.Session{}) }
	expired := func() string { return mint(clerktest.Session{TTL: -time.Minute}) }
	tampered := func() string { return mint(clerktest.Session{}, clerktest.TamperedSignature()) }
	pub := route(cfg.PublicMethod, cfg.PublicPath)
	in := route(cfg.SignedInMethod, cfg.SignedInPath)
	perm := route(cfg.PermissionMethod, cfg.PermissionPath)
	role := route(cfg.RoleMethod, cfg.RolePath)

	// rejected is a table of tokens the signed-in route must refuse.
	rejected := []struct {
		name, rule string
		token      func() string
		reason     core.Reason
	}{
		{"Malformed", "a token that is not three base64url JSON parts must get 401 token-invalid (behaviour.md §3.1)",
			func() string { return "not-a-jwt-at-all" }, core.ReasonTokenInvalid},
		{"AlgNone", `a token with alg "none" must get 401 token-invalid-algorithm (behaviour.md §3.3)`,
			func() string { return mint(clerktest.Session{}, clerktest.WithAlg("none")) }, core.ReasonTokenInvalidAlgorithm},
		{"AlgHS256WithPublicKey", "a token HMAC-signed with the public key (alg HS256) must get 401 token-invalid-algorithm (behaviour.md §3.3)",
			func() string { return mint(clerktest.Session{}, clerktest.WithAlg("HS256")) }, core.ReasonTokenInvalidAlgorithm},
		{"TemplateToken", "a JWT template token (a cat header) is not a session token and must get 401 token-type-mismatch (behaviour.md §3.4)",
			func() string { return mint(clerktest.Session{}, clerktest.WithHeader("cat", "cl_B7d4PD222AAA")) }, core.ReasonTokenTypeMismatch},
		{"BadSignature", "a token whose signature does not verify must get 401 token-invalid-signature (behaviour.md §3.5)",
			tampered, core.ReasonTokenInvalidSignature},
		{"AzpMismatch", "a token whose azp is not an authorized party must get 401 token-invalid-authorized-parties (behaviour.md §3.7)",
			func() string { return mint(clerktest.Session{AuthorizedParty: "https://evil.blackbox.example"}) }, core.ReasonTokenInvalidAuthorizedParties},
		{"IssuerMismatch", "a token from another issuer must get 401 token-invalid-issuer (behaviour.md §3.8)", func() string {
			return mint(clerktest.Session{Claims: map[string]any{"iss": "https://clerk.other.example"}})
		}, core.ReasonTokenInvalidIssuer},
		{"Expired", "a token that expired a minute ago must get 401 token-expired (behaviour.md §3.9)",
			expired, core.ReasonTokenExpired},
		{"NotActiveYet", "a token whose nbf is a minute ahead must get 401 token-not-active-yet (behaviour.md §3.9)", func() string {
			return mint(clerktest.Session{NotBefore: time.Now().Add(time.Minute)})
		}, core.ReasonTokenNotActiveYet},
		{"Pending", "a pending session must get 401 session-pending unless pending sessions are accepted (behaviour.md §3.10)",
			func() string { return mint(clerktest.Session{Status: "pending"}) }, core.ReasonSessionPending},
	}
	signedIn := []bbCase{
		{"NoToken", func(t *testing.T) {
			r.expectProblem(t, r.send(t, in), "a request without a token must get 401 session-token-missing on a signed-in route (behaviour.md §1.4, §7.2)", core.ReasonSessionTokenMissing)
		}},
		{"Valid", func(t *testing.T) {
			r.expectGranted(t, r.send(t, in, bearer(valid())), "a valid session token in the Authorization header must be let through (behaviour.md §7.2)")
		}},
		{"BearerCaseInsensitive", func(t *testing.T) {
			r.expectGranted(t, r.send(t, in, authorization("bearer "+valid())), `the "Bearer" scheme is case-insensitive, so "bearer <token>" must be let through (behaviour.md §1.1)`)
		}},
		{"Cookie", func(t *testing.T) {
			res := r.send(t, in, cookie(valid()))
			if cfg.CookieAuthDisabled {
				r.expectProblem(t, res, "with cookie authentication off, a token in the __session cookie must be ignored: 401 session-token-missing (behaviour.md §1.2)", core.ReasonSessionTokenMissing)
				return
			}
			r.expectGranted(t, res, "a valid session token in the __session cookie must be let through (behaviour.md §1.2)")
		}},
		{"HeaderWinsOverCookie", func(t *testing.T) {
			res := r.send(t, in, bearer(tampered()), cookie(valid()))
			r.expectProblem(t, res, "the Authorization header wins over the cookie even when its token is invalid: 401 token-invalid-signature (behaviour.md §1.3)", core.ReasonTokenInvalidSignature)
		}},
	}
	for _, c := range rejected {
		signedIn = append(signedIn, bbCase{c.name, func(t *testing.T) {
			r.expectProblem(t, r.send(t, in, bearer(c.token())), c.rule, c.reason)
		}})
	}
	org := func(version int, role string, perms ...string) string {
		return mint(clerktest.Session{Version: version, OrgID: "org_blackbox", OrgRole: role, OrgPermissions: perms})
	}
	// orgGuarded is the table of a route behind a guard that needs an
	// active organization: noun is what the guard checks ("permission"),
	// without the name of the case of a member lacking it, lacking and
	// having describe that member and one who passes, section is the rule's
	// section, and member mints a member of the given token version, with
	// (granted) or without what the guard asks.
	orgGuarded := func(rt bbRoute, reason core.Reason, noun, without, lacking, having, section string, member func(version int, granted bool) string) []bbCase {
		return append(r.signedOutCases(rt, noun), []bbCase{
			{without, func(t *testing.T) {
				r.expectProblem(t, r.send(t, rt, bearer(member(2, false))), "a signed-in member "+lacking+" must get 403 "+string(reason)+" (behaviour.md "+section+", §7.2)", reason)
			}},
			{"WithoutOrg", func(t *testing.T) {
				r.expectProblem(t, r.send(t, rt, bearer(valid())), "a signed-in session with no active organization has no "+noun+": 403 "+string(reason)+" (behaviour.md "+section+")", reason)
			}},
			{"GrantedV2", func(t *testing.T) {
				r.expectGranted(t, r.send(t, rt, bearer(member(2, true))), "a v2 session token "+having+" must be let through (behaviour.md §4.2, "+section+")")
			}},
			{"GrantedV1", func(t *testing.T) {
				r.expectGranted(t, r.send(t, rt, bearer(member(1, true))), "a v1 session token "+having+" must be let through (behaviour.md §4.3, "+section+")")
			}},
		}...)
	}
	groups := []bbGroup{
		{name: "Public", route: pub, methodSet: cfg.PublicMethod != "", cases: []bbCase{
			{"NoToken", func(t *testing.T) {
				r.expectGranted(t, r.send(t, pub), "a request without a token must be let through on a public route (behaviour.md §1.4)")
			}},
			{"SignedIn", func(t *testing.T) {
				r.expectGranted(t, r.send(t, pub, bearer(valid())), "a signed-in request must be let through on a public route (behaviour.md §7.1)")
			}},
			{"InvalidToken", func(t *testing.T) {
				r.expectGranted(t, r.send(t, pub, bearer(tampered())), "the middleware never rejects: a badly signed token must be let through on a public route (behaviour.md §7.1)")
			}},
			{"ExpiredToken", func(t *testing.T) {
				r.expectGranted(t, r.send(t, pub, bearer(expired())), "the middleware never rejects: an expired token must be let through on a public route (behaviour.md §7.1)")
			}},
		}},
		{name: "SignedIn", route: in, methodSet: cfg.SignedInMethod != "", cases: signedIn},
		{name: "Permission", route: perm, methodSet: cfg.PermissionMethod != "", need: "Permission", value: cfg.Permission,
			cases: orgGuarded(perm, core.ReasonMissingPermission, "permission", "WithoutPermission", "without "+cfg.Permission, "granting "+cfg.Permission, "§5.2",
				func(version int, granted bool) string {
					if granted {
						return org(version, "member", cfg.Permission)
					}
					return org(version, "member", "org:blackbox:unrelated")
				})},
		{name: "Role", route: role, methodSet: cfg.RoleMethod != "", need: "Role", value: cfg.Role,
			cases: orgGuarded(role, core.ReasonMissingRole, "role", "WithoutRole", "whose role is not "+cfg.Role, "with role "+cfg.Role, "§5.3",
				func(version int, granted bool) string {
					if granted {
						return org(version, cfg.Role)
					}
					return org(version, "org:blackbox_other_role")
				})},
	}
	return append(groups, r.moreGroups()...)
}
