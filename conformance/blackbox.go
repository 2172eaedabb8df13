package conformance

import (
	"io"
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
// with Env (separate process), then call Run with the paths of a public
// route, a signed-in route and a permission-guarded route:
//
//	bb := conformance.NewBlackBox(t)
//	a, _ := core.New(bb.Options()...)
//	bb.Run(t, conformance.BlackBoxConfig{Handler: myapp.NewRouter(a), PublicPath: "/",
//		SignedInPath: "/me", PermissionPath: "/invoices", Permission: "org:invoices:create"})
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

// BlackBoxConfig describes the application under test for Run.
type BlackBoxConfig struct {
	// Handler is the application, served in-process through httptest. Set
	// either Handler or BaseURL.
	Handler http.Handler
	// BaseURL is the root URL of a running application ("http://127.0.0.1:8080").
	BaseURL string
	// Client sends requests to BaseURL (default: a client with a 10 s timeout).
	Client *http.Client
	// Method is the HTTP method of the three routes (default GET).
	Method string

	// PublicPath is a route behind the middleware with no guard: it must
	// answer 200 whether the request is signed in or not.
	PublicPath string
	// SignedInPath is a route behind RequireAuth (or any guard a plain
	// signed-in session passes).
	SignedInPath string
	// PermissionPath is a route behind RequirePermission(Permission).
	PermissionPath string
	// Permission is the permission PermissionPath requires, e.g.
	// "org:invoices:create".
	Permission string

	// CookieAuthDisabled says the application was built with
	// core.WithCookieAuth(false): the cookie checks then expect signed-out.
	CookieAuthDisabled bool
	// StatusOnly checks status codes only, not the SPEC 7.3 bodies and
	// headers: for applications that install their own error handler.
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

// RunBlackBox runs the black-box checks against the application described
// by cfg, which must trust bb (see BlackBox). Case names are stable:
// Public/…, SignedIn/…, Permission/….
func RunBlackBox(t *testing.T, bb *BlackBox, cfg BlackBoxConfig) {
	t.Helper()
	if bb == nil || bb.Issuer == nil {
		t.Fatal("conformance: RunBlackBox needs the *BlackBox from NewBlackBox, whose Options or Env the application trusts")
	}
	if (cfg.Handler == nil) == (cfg.BaseURL == "") {
		t.Fatal("conformance: BlackBoxConfig needs exactly one of Handler and BaseURL")
	}
	if cfg.PermissionPath != "" && cfg.Permission == "" {
		t.Fatal("conformance: BlackBoxConfig.PermissionPath needs Permission")
	}
	r := &blackBoxRunner{bb: bb, cfg: cfg}
	for _, g := range r.groups() {
		if g.path == "" {
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

type bbGroup struct {
	name, path string
	cases      []bbCase
}

type bbCase struct {
	name string
	run  func(t *testing.T)
}

func (r *blackBoxRunner) send(t *testing.T, path string, opts ...reqOpt) response {
	t.Helper()
	method := r.cfg.Method
	if method == "" {
		method = http.MethodGet
	}
	var req *http.Request
	if r.cfg.Handler != nil {
		req = httptest.NewRequestWithContext(t.Context(), method, "http://blackbox.test"+path, nil)
	} else {
		var err error
		req, err = http.NewRequestWithContext(t.Context(), method, strings.TrimRight(r.cfg.BaseURL, "/")+path, nil)
		if err != nil {
			t.Fatalf("conformance: %v", err)
		}
	}
	for _, o := range opts {
		o(req)
	}
	tok := presentedToken(req)
	if r.cfg.Handler != nil {
		rec := httptest.NewRecorder()
		r.cfg.Handler.ServeHTTP(rec, req)
		return response{path: path, status: rec.Code, header: rec.Result().Header, body: rec.Body.Bytes(), token: tok}
	}
	client := r.cfg.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("conformance: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return response{path: path, status: resp.StatusCode, header: resp.Header, body: body, token: tok}
}

func (r *blackBoxRunner) expectOK(t *testing.T, res response, rule string) {
	t.Helper()
	if res.status != http.StatusOK {
		t.Errorf("%s: %s: status %d, want 200; body %.300s", rule, res.path, res.status, res.body)
	}
}

func (r *blackBoxRunner) expectProblem(t *testing.T, res response, rule string, reason core.Reason) {
	t.Helper()
	if r.cfg.StatusOnly {
		if want := reason.Status(); res.status != want {
			t.Errorf("%s: %s: status %d, want %d (reason %s); body %.300s", rule, res.path, res.status, want, reason, res.body)
		}
		if len(res.token) >= 8 && strings.Contains(string(res.body), res.token) {
			t.Errorf("SPEC 7.3: %s: the token appears in the response", res.path)
		}
		return
	}
	checkProblem(t, "the application", res, rule, reason, r.cfg.ExactHeaders)
}

func (r *blackBoxRunner) groups() []bbGroup {
	bb, cfg := r.bb, r.cfg
	mint := func(s clerktest.Session, opts ...clerktest.MintOption) string {
		if s.UserID == "" {
			s.UserID = "user_blackbox"
		}
		return bb.Mint(s, opts...)
	}
	valid := func() string { return mint(clerktest.Session{}) }
	granted := func(version int) string {
		return mint(clerktest.Session{Version: version, OrgID: "org_blackbox", OrgRole: "member", OrgPermissions: []string{cfg.Permission}})
	}
	pub, in, perm := cfg.PublicPath, cfg.SignedInPath, cfg.PermissionPath
	// rejected is a table of tokens the signed-in route must refuse.
	rejected := []struct {
		name, rule string
		token      func() string
		reason     core.Reason
	}{
		{"Malformed", "SPEC 3.1", func() string { return "not-a-jwt-at-all" }, core.ReasonTokenInvalid},
		{"AlgNone", "SPEC 3.3", func() string { return mint(clerktest.Session{}, clerktest.WithAlg("none")) }, core.ReasonTokenInvalidAlgorithm},
		{"AlgHS256WithPublicKey", "SPEC 3.3", func() string { return mint(clerktest.Session{}, clerktest.WithAlg("HS256")) }, core.ReasonTokenInvalidAlgorithm},
		{"TemplateToken", "SPEC 3.4", func() string { return mint(clerktest.Session{}, clerktest.WithHeader("cat", "cl_B7d4PD222AAA")) }, core.ReasonTokenTypeMismatch},
		{"BadSignature", "SPEC 3.5", func() string { return mint(clerktest.Session{}, clerktest.TamperedSignature()) }, core.ReasonTokenInvalidSignature},
		{"AzpMismatch", "SPEC 3.7", func() string { return mint(clerktest.Session{AuthorizedParty: "https://evil.blackbox.example"}) }, core.ReasonTokenInvalidAuthorizedParties},
		{"IssuerMismatch", "SPEC 3.8", func() string {
			return mint(clerktest.Session{Claims: map[string]any{"iss": "https://clerk.other.example"}})
		}, core.ReasonTokenInvalidIssuer},
		{"Expired", "SPEC 3.9", func() string { return mint(clerktest.Session{TTL: -time.Minute}) }, core.ReasonTokenExpired},
		{"NotActiveYet", "SPEC 3.9", func() string {
			return mint(clerktest.Session{NotBefore: time.Now().Add(time.Minute)})
		}, core.ReasonTokenNotActiveYet},
		{"Pending", "SPEC 3.10", func() string { return mint(clerktest.Session{Status: "pending"}) }, core.ReasonSessionPending},
	}
	signedIn := []bbCase{
		{"NoToken", func(t *testing.T) {
			r.expectProblem(t, r.send(t, in), "SPEC 1.4/7.2: signed out", core.ReasonSessionTokenMissing)
		}},
		{"Valid", func(t *testing.T) { r.expectOK(t, r.send(t, in, bearer(valid())), "SPEC 7.2: a valid session token") }},
		{"BearerCaseInsensitive", func(t *testing.T) {
			r.expectOK(t, r.send(t, in, authorization("bearer "+valid())), "SPEC 1.1: bearer is case-insensitive")
		}},
		{"Cookie", func(t *testing.T) {
			res := r.send(t, in, cookie(valid()))
			if cfg.CookieAuthDisabled {
				r.expectProblem(t, res, "SPEC 1.2: cookie auth is off", core.ReasonSessionTokenMissing)
				return
			}
			r.expectOK(t, res, "SPEC 1.2: the __session cookie")
		}},
		{"HeaderWinsOverCookie", func(t *testing.T) {
			res := r.send(t, in, bearer(mint(clerktest.Session{}, clerktest.TamperedSignature())), cookie(valid()))
			r.expectProblem(t, res, "SPEC 1.3: the header wins even when its token is invalid", core.ReasonTokenInvalidSignature)
		}},
	}
	for _, c := range rejected {
		signedIn = append(signedIn, bbCase{c.name, func(t *testing.T) {
			r.expectProblem(t, r.send(t, in, bearer(c.token())), c.rule, c.reason)
		}})
	}
	return []bbGroup{
		{"Public", pub, []bbCase{
			{"NoToken", func(t *testing.T) {
				r.expectOK(t, r.send(t, pub), "SPEC 1.4: no token is not an error on a public route")
			}},
			{"SignedIn", func(t *testing.T) { r.expectOK(t, r.send(t, pub, bearer(valid())), "SPEC 7.1") }},
			{"InvalidToken", func(t *testing.T) {
				r.expectOK(t, r.send(t, pub, bearer(mint(clerktest.Session{}, clerktest.TamperedSignature()))), "SPEC 7.1: the middleware never rejects")
			}},
			{"ExpiredToken", func(t *testing.T) {
				r.expectOK(t, r.send(t, pub, bearer(mint(clerktest.Session{TTL: -time.Minute}))), "SPEC 7.1: the middleware never rejects")
			}},
		}},
		{"SignedIn", in, signedIn},
		{"Permission", perm, []bbCase{
			{"NoToken", func(t *testing.T) {
				r.expectProblem(t, r.send(t, perm), "SPEC 7.2: 401 when signed out", core.ReasonSessionTokenMissing)
			}},
			{"InvalidToken", func(t *testing.T) {
				r.expectProblem(t, r.send(t, perm, bearer(mint(clerktest.Session{TTL: -time.Minute}))), "SPEC 7.2: 401 with the signed-out reason", core.ReasonTokenExpired)
			}},
			{"WithoutPermission", func(t *testing.T) {
				tok := mint(clerktest.Session{OrgID: "org_blackbox", OrgRole: "member", OrgPermissions: []string{"org:blackbox:unrelated"}})
				r.expectProblem(t, r.send(t, perm, bearer(tok)), "SPEC 7.2: 403 signed in without the permission", core.ReasonMissingPermission)
			}},
			{"WithoutOrg", func(t *testing.T) {
				r.expectProblem(t, r.send(t, perm, bearer(valid())), "SPEC 5.2: permissions need an active organization", core.ReasonMissingPermission)
			}},
			{"GrantedV2", func(t *testing.T) { r.expectOK(t, r.send(t, perm, bearer(granted(2))), "SPEC 4.5/5.2: v2 permission") }},
			{"GrantedV1", func(t *testing.T) { r.expectOK(t, r.send(t, perm, bearer(granted(1))), "SPEC 4.3/5.2: v1 permission") }},
		}},
	}
}
