package clerkchi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func newAuthorizer(t *testing.T) (*clerktest.Issuer, *core.Authorizer) {
	t.Helper()
	iss := clerktest.Start(t)
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	return iss, a
}

func serve(h http.Handler, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func ok(w http.ResponseWriter, r *http.Request) {
	c, signedIn := clerkchi.ClaimsFrom(r.Context())
	if !signedIn {
		_, _ = io.WriteString(w, "anonymous")
		return
	}
	_, _ = io.WriteString(w, c.Subject)
}

func TestSkipperSignsOutNeverAuthenticates(t *testing.T) {
	iss := clerktest.Start(t)
	var outcomes int
	a2, err := core.New(append(iss.AuthorizerOptions(), core.WithObserver(func(core.Outcome) { outcomes++ }),
		core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a2, clerkchi.WithSkipper(func(r *http.Request) bool { return r.URL.Path == "/healthz" || r.URL.Path == "/skipped-guarded" })))
	r.Get("/healthz", ok)
	r.With(clerkchi.RequireAuth()).Get("/skipped-guarded", ok)
	tok := iss.Mint(clerktest.Session{UserID: "user_1"})

	if rec := serve(r, "/healthz", tok); rec.Code != 200 || rec.Body.String() != "anonymous" {
		t.Errorf("skipped public route: %d %q, want 200 anonymous", rec.Code, rec.Body)
	}
	rec := serve(r, "/skipped-guarded", tok)
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("X-Clerk-Auth-Reason") != string(core.ReasonSessionTokenMissing) {
		t.Errorf("guard on a skipped request: %d %s, want 401 session-token-missing", rec.Code, rec.Body)
	}
	if outcomes != 0 {
		t.Errorf("skipped requests were authenticated %d times", outcomes)
	}
}

func TestMiddlewareErrorHandlerIsGuardDefault(t *testing.T) {
	_, a := newAuthorizer(t)
	mw := func(w http.ResponseWriter, _ *http.Request, err error) {
		w.WriteHeader(499)
		_, _ = io.WriteString(w, "mw:"+string(core.ReasonOf(err)))
	}
	own := func(w http.ResponseWriter, _ *http.Request, err error) {
		w.WriteHeader(498)
		_, _ = io.WriteString(w, "own:"+string(core.ReasonOf(err)))
	}
	r := chi.NewRouter()
	r.Use(clerkchi.Middleware(a, clerkchi.WithErrorHandler(mw)))
	r.With(clerkchi.RequireAuth()).Get("/inherit", ok)
	r.With(clerkchi.RequireAuth(clerkchi.WithErrorHandler(own))).Get("/own", ok)
	if rec := serve(r, "/inherit", ""); rec.Code != 499 || rec.Body.String() != "mw:session-token-missing" {
		t.Errorf("inherited handler: %d %q", rec.Code, rec.Body)
	}
	if rec := serve(r, "/own", ""); rec.Code != 498 || rec.Body.String() != "own:session-token-missing" {
		t.Errorf("own handler: %d %q", rec.Code, rec.Body)
	}
}

func TestGuardWithoutMiddlewareOnServeMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/x", clerkchi.RequirePermission("org:a:b")(http.HandlerFunc(ok)))
	rec := serve(mux, "/x", "")
	want := core.ProblemFor(core.ErrMiddlewareMissing)
	if rec.Code != http.StatusInternalServerError || rec.Body.String() != string(want.Body) {
		t.Errorf("guard without middleware: %d %s, want 500 %s", rec.Code, rec.Body, want.Body)
	}
}

func TestServeMuxAndGuardHelper(t *testing.T) {
	iss, a := newAuthorizer(t)
	mux := http.NewServeMux()
	perm := clerkchi.Guard(core.RequirePermission("org:reports:read").WithTokenTypes(core.SessionToken))
	mux.Handle("/reports", perm(http.HandlerFunc(ok)))
	h := clerkchi.Middleware(a)(mux)
	tok := iss.Mint(clerktest.Session{UserID: "user_r", OrgID: "org_1", OrgRole: "member", OrgPermissions: []string{"org:reports:read"}})
	if rec := serve(h, "/reports", tok); rec.Code != 200 || rec.Body.String() != "user_r" {
		t.Errorf("ServeMux + Guard: %d %q", rec.Code, rec.Body)
	}
	if res, okRes := clerkchi.ResultFrom(httptest.NewRequest("GET", "/", nil).Context()); okRes || res != nil {
		t.Errorf("ResultFrom on a bare context: %v %v, want nil false", res, okRes)
	}
}

func TestMiddlewareNilAuthorizerPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Middleware(nil) did not panic")
		}
	}()
	clerkchi.Middleware(nil)
}
