package clerkecho_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func setup(t testing.TB) (*clerktest.Issuer, *core.Authorizer) {
	t.Helper()
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
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

// SPEC 7.3: the default rendering is core.ProblemFor, byte for byte, and
// echo's central error handler never runs for it.
func TestDefaultErrorHandlerBytesNoDoubleRun(t *testing.T) {
	iss, a := setup(t)
	e := echo.New()
	central := 0
	e.HTTPErrorHandler = func(err error, c echo.Context) { central++ }
	e.Use(clerkecho.Middleware(a))
	e.GET("/p", func(c echo.Context) error { return c.String(200, "reached") }, clerkecho.RequirePermission("org:x:y"))
	cases := map[core.Reason]string{
		core.ReasonSessionTokenMissing:   "",
		core.ReasonTokenInvalidSignature: iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()),
		core.ReasonMissingPermission:     iss.Mint(clerktest.Session{OrgID: "org_1"}),
	}
	for reason, tok := range cases {
		t.Run(string(reason), func(t *testing.T) {
			rec := serve(e, "/p", tok)
			p := core.ProblemFor(&core.Error{Reason: reason})
			if rec.Code != p.Status || rec.Body.String() != string(p.Body) {
				t.Fatalf("got %d %s, want %d %s", rec.Code, rec.Body, p.Status, p.Body)
			}
			for _, h := range []string{"Content-Type", "WWW-Authenticate", "X-Clerk-Auth-Status", "X-Clerk-Auth-Reason"} {
				if rec.Header().Get(h) != p.Header.Get(h) {
					t.Errorf("%s = %q, want %q", h, rec.Header().Get(h), p.Header.Get(h))
				}
			}
		})
	}
	if central != 0 {
		t.Fatalf("echo's HTTPErrorHandler ran %d times for responses already written", central)
	}
}

// SPEC 7.4, 7.2: a silent hook still stops the request; no middleware is a 500.
func TestStopAndWiring(t *testing.T) {
	_, a := setup(t)
	reached := false
	h := func(c echo.Context) error { reached = true; return nil }
	e := echo.New()
	e.GET("/silent", h, clerkecho.Middleware(a), clerkecho.RequireAuth(clerkecho.WithErrorHandler(func(echo.Context, error) error { return nil })))
	e.GET("/nomw", h, clerkecho.RequireAuth())
	e.GET("/skip", h, clerkecho.Middleware(a, clerkecho.WithSkipper(func(echo.Context) bool { return true })), clerkecho.RequireAuth())
	if rec := serve(e, "/silent", ""); reached || rec.Body.Len() != 0 {
		t.Fatalf("SPEC 7.4: silent hook let the request through (%d %q)", rec.Code, rec.Body)
	}
	if rec := serve(e, "/nomw", ""); reached || rec.Code != http.StatusInternalServerError {
		t.Fatalf("SPEC 7.2: guard without middleware answered %d", rec.Code)
	}
	if rec := serve(e, "/skip", ""); reached || rec.Code != http.StatusUnauthorized {
		t.Fatalf("skipped request answered %d", rec.Code)
	}
}

// SPEC 7.5: pooled echo contexts never carry claims into the next request.
func TestNoLeakAcrossPooledContexts(t *testing.T) {
	iss, a := setup(t)
	e := echo.New()
	e.Use(clerkecho.Middleware(a))
	e.GET("/who", func(c echo.Context) error {
		claims, ok := clerkecho.ClaimsFrom(c)
		ctxClaims, ctxOK := core.ClaimsFromContext(c.Request().Context())
		if ok != ctxOK || (ok && claims != ctxClaims) {
			return c.String(500, "accessors disagree")
		}
		if !ok {
			return c.String(200, "anonymous")
		}
		return c.String(200, claims.UserID())
	})
	tok := iss.Mint(clerktest.Session{UserID: "user_a"})
	for i := 0; i < 50; i++ {
		if rec := serve(e, "/who", tok); rec.Body.String() != "user_a" {
			t.Fatalf("signed-in request saw %q", rec.Body)
		}
		if rec := serve(e, "/who", ""); rec.Body.String() != "anonymous" {
			t.Fatalf("SPEC 7.5: anonymous request saw %q", rec.Body)
		}
	}
}

func benchHandler(c echo.Context) error { _, err := io.WriteString(c.Response(), "ok"); return err }

func runBench(b *testing.B, h http.Handler, token string) {
	if rec := serve(h, "/invoices", token); rec.Code != http.StatusOK {
		b.Fatalf("warm-up: %d %s", rec.Code, rec.Body)
	}
	req := httptest.NewRequest(http.MethodGet, "/invoices", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// BenchmarkEchoMiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache.
func BenchmarkEchoMiddlewareRequirePermissionCached(b *testing.B) {
	iss, a := setup(b)
	tok := iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:invoices:create"}, TTL: time.Hour})
	e := echo.New()
	e.Use(clerkecho.Middleware(a))
	e.GET("/invoices", benchHandler, clerkecho.RequirePermission("org:invoices:create"))
	runBench(b, e, tok)
}

// BenchmarkEchoNoAuth: the same router without authentication.
func BenchmarkEchoNoAuth(b *testing.B) {
	e := echo.New()
	e.GET("/invoices", benchHandler)
	runBench(b, e, "")
}
