package clerkfiber_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	clerkfiber "github.com/clerkguard/clerkguard/adapters/fiber"
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

func newApp() *fiber.App { return fiber.New(fiber.Config{DisableStartupMessage: true}) }

func serve(t *testing.T, app *fiber.App, path, token, cookie string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: cookie})
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// SPEC 7.3: the default rendering is core.ProblemFor, byte for byte.
func TestDefaultErrorHandlerBytes(t *testing.T) {
	iss, a := setup(t)
	app := newApp()
	app.Use(clerkfiber.Middleware(a))
	app.Get("/p", clerkfiber.RequirePermission("org:x:y"), func(c *fiber.Ctx) error { return c.SendString("reached") })
	cases := map[core.Reason]string{
		core.ReasonSessionTokenMissing:   "",
		core.ReasonTokenInvalidSignature: iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()),
		core.ReasonMissingPermission:     iss.Mint(clerktest.Session{OrgID: "org_1"}),
	}
	for reason, tok := range cases {
		t.Run(string(reason), func(t *testing.T) {
			status, hdr, body := serve(t, app, "/p", tok, "")
			p := core.ProblemFor(&core.Error{Reason: reason})
			if status != p.Status || body != string(p.Body) {
				t.Fatalf("got %d %s, want %d %s", status, body, p.Status, p.Body)
			}
			for _, h := range []string{"Content-Type", "WWW-Authenticate", "X-Clerk-Auth-Status", "X-Clerk-Auth-Reason"} {
				if hdr.Get(h) != p.Header.Get(h) {
					t.Errorf("%s = %q, want %q", h, hdr.Get(h), p.Header.Get(h))
				}
			}
		})
	}
}

// SPEC 7.4, 7.2: a silent hook still stops the request; no middleware is a 500.
func TestStopAndWiring(t *testing.T) {
	_, a := setup(t)
	reached := false
	h := func(c *fiber.Ctx) error { reached = true; return nil }
	app := newApp()
	app.Get("/silent", clerkfiber.Middleware(a), clerkfiber.RequireAuth(clerkfiber.WithErrorHandler(func(*fiber.Ctx, error) error { return nil })), h)
	app.Get("/nomw", clerkfiber.RequireAuth(), h)
	app.Get("/skip", clerkfiber.Middleware(a, clerkfiber.WithSkipper(func(*fiber.Ctx) bool { return true })), clerkfiber.RequireAuth(), h)
	if _, _, body := serve(t, app, "/silent", "", ""); reached || body != "" {
		t.Fatalf("SPEC 7.4: silent hook let the request through (%q)", body)
	}
	if status, _, _ := serve(t, app, "/nomw", "", ""); reached || status != http.StatusInternalServerError {
		t.Fatalf("SPEC 7.2: guard without middleware answered %d", status)
	}
	if status, _, _ := serve(t, app, "/skip", "", ""); reached || status != http.StatusUnauthorized {
		t.Fatalf("skipped request answered %d", status)
	}
}

// SPEC 7.5 and fasthttp buffer reuse: claims never leak into the next
// request, and the cached token keeps working after its buffer is reused.
func TestNoLeakAndBufferReuse(t *testing.T) {
	iss, a := setup(t)
	app := newApp()
	app.Use(clerkfiber.Middleware(a))
	app.Get("/who", func(c *fiber.Ctx) error {
		claims, ok := clerkfiber.ClaimsFrom(c)
		ctxClaims, ctxOK := core.ClaimsFromContext(c.UserContext())
		if ok != ctxOK || (ok && claims != ctxClaims) {
			return c.Status(500).SendString("accessors disagree")
		}
		if !ok {
			return c.SendString("anonymous")
		}
		return c.SendString(claims.UserID())
	})
	ta := iss.Mint(clerktest.Session{UserID: "user_a"})
	tb := iss.Mint(clerktest.Session{UserID: "user_b"})
	for i := 0; i < 30; i++ {
		if _, _, body := serve(t, app, "/who", ta, ""); body != "user_a" {
			t.Fatalf("header request %d saw %q", i, body)
		}
		if _, _, body := serve(t, app, "/who", "", tb); body != "user_b" {
			t.Fatalf("cookie request %d saw %q", i, body)
		}
		if _, _, body := serve(t, app, "/who", "", ""); body != "anonymous" {
			t.Fatalf("SPEC 7.5: anonymous request %d saw %q", i, body)
		}
	}
}

func runBench(b *testing.B, app *fiber.App, token string) {
	h := app.Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI("/invoices")
	ctx.Request.Header.SetMethod(http.MethodGet)
	if token != "" {
		ctx.Request.Header.Set("Authorization", "Bearer "+token)
	}
	h(&ctx)
	if ctx.Response.StatusCode() != http.StatusOK {
		b.Fatalf("warm-up: %d %s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ctx.Response.Reset()
		h(&ctx)
	}
}

// BenchmarkFiberMiddlewareRequirePermissionCached: Middleware +
// RequirePermission with a token already in the verified-token cache,
// driven through fasthttp's RequestCtx (no sockets).
func BenchmarkFiberMiddlewareRequirePermissionCached(b *testing.B) {
	iss, a := setup(b)
	tok := iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin", OrgPermissions: []string{"org:invoices:create"}, TTL: time.Hour})
	app := newApp()
	app.Use(clerkfiber.Middleware(a))
	app.Get("/invoices", clerkfiber.RequirePermission("org:invoices:create"), func(c *fiber.Ctx) error { return c.SendString("ok") })
	runBench(b, app, tok)
}

// BenchmarkFiberNoAuth: the same app without authentication.
func BenchmarkFiberNoAuth(b *testing.B) {
	app := newApp()
	app.Get("/invoices", func(c *fiber.Ctx) error { return c.SendString("ok") })
	runBench(b, app, "")
}
