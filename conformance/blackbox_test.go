package conformance_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// blackBoxApp is "the user's application" on net/http and core alone, shaped
// like the README's: GET /health public, GET /me signed in, POST /invoices
// behind the permission answering 201, GET /admin behind the role, GET
// /reports behind a feature, GET /billing behind an org plan, DELETE
// /account behind a strict reverification and POST /sync behind an M2M
// scope (its Authorizer accepts M2M tokens). flaw
// names one deliberate mistake (see TestBlackBoxCatchesMistakes), "" for
// none.
func blackBoxApp(a *core.Authorizer, flaw string) http.Handler {
	answer := func(status int, g ...core.Guard) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			res, _ := core.ResultFromContext(r.Context())
			for _, g := range g {
				if err := g.Evaluate(res); err != nil {
					core.WriteProblem(w, core.ProblemFor(err))
					return
				}
			}
			w.WriteHeader(status)
		})
	}
	role := []core.Guard{core.RequireRole("admin")}
	if flaw == "role-not-guarded" {
		role = []core.Guard{core.RequireAuth()}
	}
	feature := core.RequireFeature("reports")
	if flaw == "feature-scoped-to-org" {
		feature = core.RequireFeature("org:reports")
	}
	reverification := core.RequireReverification(core.ReverificationStrict)
	if flaw == "reverification-lax" {
		reverification = core.RequireReverification(core.ReverificationLax)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /health", answer(http.StatusOK))
	mux.Handle("GET /me", answer(http.StatusOK, core.RequireAuth()))
	mux.Handle("POST /invoices", answer(http.StatusCreated, core.RequirePermission("org:invoices:create")))
	mux.Handle("GET /admin", answer(http.StatusNoContent, role...))
	mux.Handle("GET /reports", answer(http.StatusOK, feature))
	mux.Handle("GET /billing", answer(http.StatusOK, core.RequirePlan("org:pro")))
	mux.Handle("DELETE /account", answer(http.StatusNoContent, reverification))
	mux.Handle("POST /sync", answer(http.StatusAccepted, core.RequireScope("invoices:sync")))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(adapter.NewState(r.Context(), a, core.HTTPRequest(r), nil)))
	})
}

var quiet = core.WithLogger(slog.New(slog.DiscardHandler))

// acceptM2M lets the Scope group's M2M tokens reach POST /sync.
var acceptM2M = core.WithAcceptsToken(core.SessionToken, core.M2MToken)

// blackBoxConfig describes blackBoxApp's four routes.
func blackBoxConfig() conformance.BlackBoxConfig {
	return conformance.BlackBoxConfig{
		PublicPath:       "/health",
		SignedInPath:     "/me",
		PermissionMethod: http.MethodPost, PermissionPath: "/invoices", Permission: "org:invoices:create",
		RolePath: "/admin", Role: "admin",
		FeaturePath: "/reports", Feature: "reports",
		PlanPath: "/billing", Plan: "org:pro",
		ReverificationMethod: http.MethodDelete, ReverificationPath: "/account", Reverification: core.ReverificationStrict,
		ScopeMethod: http.MethodPost, ScopePath: "/sync", Scope: "invoices:sync",
		ExactHeaders: true,
	}
}

func newBlackBoxAuthorizer(t *testing.T, bb *conformance.BlackBox, opts ...core.Option) *core.Authorizer {
	t.Helper()
	a, err := core.New(append(append(bb.Options(), quiet, acceptM2M), opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Every route group, with a POST route answering 201 and a role route
// answering 204, in process and over a real listener.
func TestBlackBoxHandlerAndServer(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	cfg := blackBoxConfig()
	cfg.Handler = blackBoxApp(newBlackBoxAuthorizer(t, bb), "")
	bb.RunHandlerAndServer(t, cfg, nil)
}

// The out-of-process recipe: the application reads bb.Env() through
// core.NewFromEnv with no option of its own, and is reached through BaseURL.
func TestBlackBoxBaseURLFromEnv(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	for k, v := range bb.Env() {
		t.Setenv(k, v)
	}
	a, err := core.NewFromEnv(quiet, acceptM2M)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(blackBoxApp(a, ""))
	defer srv.Close()
	cfg := blackBoxConfig()
	cfg.BaseURL = srv.URL
	conformance.RunBlackBox(t, bb, cfg)
}

func TestBlackBoxCookieAuthDisabledStatusOnly(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	cfg := blackBoxConfig()
	cfg.Handler = blackBoxApp(newBlackBoxAuthorizer(t, bb, core.WithCookieAuth(false)), "")
	cfg.CookieAuthDisabled = true
	cfg.StatusOnly = true
	bb.Run(t, cfg)
}

// TestBlackBoxCatchesMistakes runs the black box (in a child process, since
// a failing run fails its *testing.T) against a wrong application or a wrong
// configuration, and checks that it fails with a message that names the real
// request and says what went wrong.
func TestBlackBoxCatchesMistakes(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child test processes")
	}
	for _, c := range []struct {
		mistake string
		want    []string
	}{
		{"permission-method-missing", []string{"GET /invoices: a v2 session token granting org:invoices:create must be let through",
			"the application has no such route", "got status 405, want any 2xx"}},
		{"role-not-guarded", []string{"a signed-in member whose role is not admin must get 403 missing-role", "GET /admin on the application: status 204, want 403"}},
		{"method-without-path", []string{"BlackBoxConfig: RoleMethod is set but RolePath is empty"}},
		{"role-without-path", []string{"BlackBoxConfig: Role is set but RolePath is empty"}},
		{"permission-without-name", []string{"BlackBoxConfig: PermissionPath needs Permission"}},
		{"feature-scoped-to-org", []string{"a session whose user has the feature reports must be let through", "GET /reports: ", "got status 403"}},
		{"reverification-lax", []string{"a session verified exactly strict's minutes ago is stale: 403 reverification-error", "DELETE /account on the application: status 204, want 403"}},
		{"scope-without-name", []string{"BlackBoxConfig: ScopePath needs Scope"}},
		{"reverification-invalid", []string{"BlackBoxConfig: Reverification first_factor/0 is not a valid requirement"}},
		{"scope-without-m2m", []string{"an M2M token carrying the scope invoices:sync must be let through", "POST /sync: "}},
	} {
		t.Run(c.mistake, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestBlackBoxMistakeChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "CONFORMANCE_BLACKBOX_MISTAKE="+c.mistake)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the black box passed with mistake %q:\n%.3000s", c.mistake, out)
			}
			for _, w := range c.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("mistake %q: the black box failed without saying %q:\n%.3000s", c.mistake, w, out)
				}
			}
		})
	}
}

// TestBlackBoxMistakeChild is the child of TestBlackBoxCatchesMistakes.
func TestBlackBoxMistakeChild(t *testing.T) {
	mistake := os.Getenv("CONFORMANCE_BLACKBOX_MISTAKE")
	if mistake == "" {
		t.Skip("helper process of TestBlackBoxCatchesMistakes")
	}
	bb := conformance.NewBlackBox(t)
	cfg := blackBoxConfig()
	switch mistake {
	case "permission-method-missing":
		cfg.PermissionMethod = ""
	case "method-without-path":
		cfg.RolePath = ""
		cfg.RoleMethod = http.MethodGet
	case "role-without-path":
		cfg.RolePath = ""
	case "permission-without-name":
		cfg.Permission = ""
	case "scope-without-name":
		cfg.Scope = ""
	case "reverification-invalid":
		cfg.Reverification = core.Reverification{Level: core.FirstFactor}
	}
	var opts []core.Option
	if mistake == "scope-without-m2m" {
		opts = append(opts, core.WithAcceptsToken(core.SessionToken))
	}
	cfg.Handler = blackBoxApp(newBlackBoxAuthorizer(t, bb, opts...), mistake)
	bb.Run(t, cfg)
}
