package clerkgin_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
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

func serve(h http.Handler, method, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// SPEC 7.3: the default rendering is core.ProblemFor, byte for byte.
func TestDefaultErrorHandlerBytes(t *testing.T) {
	iss, a := setup(t)
	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.GET("/p", clerkgin.RequirePermission("org:x:y"), func(c *gin.Context) { c.String(200, "reached") })
	cases := map[core.Reason]string{
		core.ReasonSessionTokenMissing:   "",
		core.ReasonTokenInvalidSignature: iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()),
		core.ReasonMissingPermission:     iss.Mint(clerktest.Session{OrgID: "org_1"}),
	}
	for reason, tok := range cases {
		t.Run(string(reason), func(t *testing.T) {
			rec := serve(r, http.MethodGet, "/p", tok)
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
}

// SPEC 7.4, 7.2: a silent hook still aborts; a guard without Middleware is a 500.
func TestAbortAndWiring(t *testing.T) {
	_, a := setup(t)
	reached := false
	r := gin.New()
	r.GET("/silent", clerkgin.Middleware(a), clerkgin.RequireAuth(clerkgin.WithErrorHandler(func(*gin.Context, error) {})),
		func(c *gin.Context) { reached = true })
	r.GET("/nomw", clerkgin.RequireAuth(), func(c *gin.Context) { reached = true })
	r.GET("/skip", clerkgin.Middleware(a, clerkgin.WithSkipper(func(*gin.Context) bool { return true })), clerkgin.RequireAuth(),
		func(c *gin.Context) { reached = true })
	if rec := serve(r, http.MethodGet, "/silent", ""); reached || rec.Body.Len() != 0 {
		t.Fatalf("SPEC 7.4: silent hook let the request through (%d %q)", rec.Code, rec.Body)
	}
	if rec := serve(r, http.MethodGet, "/nomw", ""); reached || rec.Code != http.StatusInternalServerError {
		t.Fatalf("SPEC 7.2: guard without middleware answered %d", rec.Code)
	}
	if rec := serve(r, http.MethodGet, "/skip", ""); reached || rec.Code != http.StatusUnauthorized {
		t.Fatalf("skipped request answered %d", rec.Code)
	}
}

// SPEC 7.5: pooled gin contexts never carry claims into the next request.
func TestNoLeakAcrossPooledContexts(t *testing.T) {
	iss, a := setup(t)
	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.GET("/who", func(c *gin.Context) {
		claims, ok := clerkgin.ClaimsFrom(c)
		ctxClaims, ctxOK := core.ClaimsFromContext(c.Request.Context())
		if ok != ctxOK || (ok && claims != ctxClaims) {
			c.String(500, "accessors disagree")
			return
		}
		if !ok {
			c.String(200, "anonymous")
			return
		}
		c.String(200, claims.UserID())
	})
	tok := iss.Mint(clerktest.Session{UserID: "user_a"})
	for i := 0; i < 50; i++ {
		if rec := serve(r, http.MethodGet, "/who", tok); rec.Body.String() != "user_a" {
			t.Fatalf("signed-in request saw %q", rec.Body)
		}
		if rec := serve(r, http.MethodGet, "/who", ""); rec.Body.String() != "anonymous" {
			t.Fatalf("SPEC 7.5: anonymous request saw %q", rec.Body)
		}
	}
}

func benchHandler(c *gin.Context) { _, _ = io.WriteString(c.Writer, "ok") }

func runBench(b *testing.B, h http.Handler, token string) {
	req := httptest.NewRequest(http.MethodGet, "/invoices", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rec := serve(h, http.MethodGet, "/invoices", token); rec.Code != http.StatusOK {
		b.Fatalf("warm-up: %d %s", rec.Code, rec.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// BenchmarkGinMiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache.
func BenchmarkGinMiddlewareRequirePermissionCached(b *testing.B) {
	iss, a := setup(b)
	tok := iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:invoices:create"}, TTL: time.Hour})
	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.GET("/invoices", clerkgin.RequirePermission("org:invoices:create"), benchHandler)
	runBench(b, r, tok)
}

// BenchmarkGinNoAuth: the same router without authentication.
func BenchmarkGinNoAuth(b *testing.B) {
	r := gin.New()
	r.GET("/invoices", benchHandler)
	runBench(b, r, "")
}
