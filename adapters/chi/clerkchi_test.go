package clerkchi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

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
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, clerktest.NewRequest(http.MethodGet, path, token))
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
