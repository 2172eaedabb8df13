package clerkfiberv3_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"

	clerkfiberv3 "github.com/clerkguard/clerkguard/adapters/fiberv3"
	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func setup(t testing.TB, opts ...core.Option) (*clerktest.Issuer, *core.Authorizer) {
	t.Helper()
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
	opts = append(append(iss.AuthorizerOptions(), core.WithLogger(slog.New(slog.DiscardHandler))), opts...)
	a, err := core.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return iss, a
}

type response struct {
	code   int
	header http.Header
	body   string
}

// serve sends one request through fiber's own fasthttp server (app.Test),
// which pools both fiber contexts and fasthttp request buffers.
func serve(t testing.TB, app *fiber.App, path, token, cookie string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: cookie})
		req.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"}) // behaviour.md §10.1
	}
	resp, err := app.Test(req, fiber.TestConfig{Timeout: 0})
	if err != nil {
		t.Error(err)
		return response{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

// who answers the subject seen through both accessors, "anonymous", or 500
// when they disagree.
func who(c fiber.Ctx) error {
	claims, ok := clerkfiberv3.ClaimsFrom(c)
	ctxClaims, ctxOK := core.ClaimsFromContext(c.Context())
	switch {
	case ok != ctxOK || claims != ctxClaims:
		return c.Status(http.StatusInternalServerError).SendString("accessors disagree")
	case !ok:
		return c.SendString("anonymous")
	default:
		return c.SendString(claims.Subject)
	}
}

// behaviour.md §7.3: every rejection is core.ProblemFor, status, headers and
// bytes, for 401, 403, 500 and 503, as fasthttp writes it.
func TestResponsesAreCoreProblems(t *testing.T) {
	iss, a := setup(t)
	down, aDown := setup(t)
	down.SetJWKSDown(true)
	reached := false
	h := func(fiber.Ctx) error { reached = true; return nil }
	app := fiber.New()
	app.Get("/perm", clerkfiberv3.Middleware(a), clerkfiberv3.RequirePermission("org:invoices:create"), h)
	app.Get("/down", clerkfiberv3.Middleware(aDown), clerkfiberv3.RequireAuth(), h)
	app.Get("/nomw", clerkfiberv3.RequirePermission("org:invoices:create"), h)
	cases := []struct {
		name, path, token string
		want              core.Reason
	}{
		{"NoToken", "/perm", "", core.ReasonSessionTokenMissing},
		{"Malformed", "/perm", "not-a-jwt", core.ReasonTokenInvalid},
		{"BadSignature", "/perm", iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()), core.ReasonTokenInvalidSignature},
		{"Expired", "/perm", iss.Mint(clerktest.Session{TTL: -time.Minute}), core.ReasonTokenExpired},
		{"MissingPermission", "/perm", iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "member"}), core.ReasonMissingPermission},
		{"KeysUnavailable", "/down", down.Mint(clerktest.Session{}), core.ReasonJWKRemoteFailedToLoad},
		{"MiddlewareMissing", "/nomw", "", core.ReasonMiddlewareMissing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reached = false
			got := serve(t, app, tc.path, tc.token, "")
			if reached {
				t.Fatal("behaviour.md §7.2: the handler ran")
			}
			conformance.CheckProblem(t, "fiberv3", tc.path, got.code, got.header, []byte(got.body), tc.want)
		})
	}
}

// behaviour.md §7.1: Middleware alone never rejects; it stores the reason in
// Locals and on c.Context().
func TestMiddlewareNeverRejects(t *testing.T) {
	iss, a := setup(t)
	app := fiber.New()
	app.Get("/", clerkfiberv3.Middleware(a), func(c fiber.Ctx) error {
		res, ok := clerkfiberv3.ResultFrom(c)
		ctxRes, ctxOK := core.ResultFromContext(c.Context())
		if !ok || !ctxOK || res != ctxRes {
			return c.Status(http.StatusInternalServerError).SendString("result missing")
		}
		return c.SendString(string(res.Reason()))
	})
	got := serve(t, app, "/", iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()), "")
	if got.code != http.StatusOK || got.body != string(core.ReasonTokenInvalidSignature) {
		t.Fatalf("behaviour.md §7.1: got %d %q", got.code, got.body)
	}
}

// behaviour.md §7.4: hooks that write nothing still stop the request; the
// Middleware's hook is the guards' default and a guard's own hook wins; a
// hook that returns the error hands it to the app's ErrorHandler.
func TestErrorHandlers(t *testing.T) {
	_, a := setup(t)
	reached := false
	h := func(fiber.Ctx) error { reached = true; return nil }
	hook := func(name string) clerkfiberv3.Option {
		return clerkfiberv3.WithErrorHandler(func(c fiber.Ctx, err error) error {
			return c.Status(http.StatusTeapot).SendString(name + ":" + string(core.ReasonOf(err)))
		})
	}
	app := fiber.New(fiber.Config{ErrorHandler: func(c fiber.Ctx, err error) error {
		return c.Status(499).SendString("central:" + string(core.ReasonOf(err)))
	}})
	silent := clerkfiberv3.WithErrorHandler(func(fiber.Ctx, error) error { return nil })
	app.Get("/silent", clerkfiberv3.Middleware(a), clerkfiberv3.RequireAuth(silent), h)
	app.Get("/inherit", clerkfiberv3.Middleware(a, hook("mw")), clerkfiberv3.RequireAuth(), h)
	app.Get("/own", clerkfiberv3.Middleware(a, hook("mw")), clerkfiberv3.RequireAuth(hook("own")), h)
	app.Get("/accepts", clerkfiberv3.Middleware(a, hook("mw")), clerkfiberv3.AcceptsToken([]core.TokenType{core.M2MToken}, hook("own")), h)
	app.Get("/central", clerkfiberv3.Middleware(a, clerkfiberv3.WithErrorHandler(func(_ fiber.Ctx, err error) error { return err })), clerkfiberv3.RequireAuth(), h)
	for path, want := range map[string]string{
		"/silent":  "",
		"/inherit": "mw:session-token-missing",
		"/own":     "own:session-token-missing",
		"/accepts": "own:session-token-missing",
		"/central": "central:session-token-missing",
	} {
		reached = false
		if got := serve(t, app, path, "", ""); reached || got.body != want {
			t.Errorf("%s: reached=%v body %q, want %q", path, reached, got.body, want)
		}
	}
}

// WithSkipper: a skipped request is signed out (401), never 500, never a
// pass; and it is a middleware option only.
func TestSkipper(t *testing.T) {
	iss, a := setup(t)
	skip := clerkfiberv3.WithSkipper(func(c fiber.Ctx) bool { return c.Path() != "/auth" })
	if _, ok := skip.(clerkfiberv3.GuardOption); ok {
		t.Fatal("WithSkipper returns a GuardOption: it would compile on a guard")
	}
	app := fiber.New()
	app.Use(clerkfiberv3.Middleware(a, skip))
	app.Get("/healthz", who)
	app.Get("/skipped", clerkfiberv3.RequireAuth(), who)
	app.Get("/auth", clerkfiberv3.RequireAuth(), who)
	tok := iss.Mint(clerktest.Session{UserID: "user_s"})
	for path, want := range map[string]string{
		"/healthz": "200 anonymous",
		"/skipped": "401 session-token-missing",
		"/auth":    "200 user_s",
	} {
		res := serve(t, app, path, tok, "")
		got := res.body
		if res.code != http.StatusOK {
			got = res.header.Get("X-Clerk-Auth-Reason")
		}
		if got = fmt.Sprint(res.code, " ", got); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
}

// behaviour.md §7.5 and fasthttp buffer reuse: fiber v3 pools its contexts
// and fasthttp its request buffers and user values (where Locals and the
// stored context.Context live). A route without Middleware served right after
// signed-in requests sees nothing in Locals or c.Context(), cached tokens keep
// working after their buffers are reused, and concurrent requests each see
// only their own claims.
func TestNoLeakAcrossPooledContexts(t *testing.T) {
	iss, a := setup(t)
	app := fiber.New()
	app.Get("/auth", clerkfiberv3.Middleware(a), who)
	app.Get("/bare", func(c fiber.Ctx) error {
		_, ok := clerkfiberv3.ResultFrom(c)
		_, ctxOK := core.ResultFromContext(c.Context())
		return c.SendString(fmt.Sprint(ok, " ", ctxOK))
	})
	ta := iss.Mint(clerktest.Session{UserID: "user_a"})
	tb := iss.Mint(clerktest.Session{UserID: "user_b"})
	for i := range 20 {
		if got := serve(t, app, "/auth", ta, ""); got.body != "user_a" {
			t.Fatalf("header request %d saw %q", i, got.body)
		}
		if got := serve(t, app, "/auth", "", tb); got.body != "user_b" {
			t.Fatalf("cookie request %d saw %q", i, got.body)
		}
		if got := serve(t, app, "/bare", "", ""); got.body != "false false" {
			t.Fatalf("behaviour.md §7.5: a request without Middleware saw a stored result (%q)", got.body)
		}
		if got := serve(t, app, "/auth", "", ""); got.body != "anonymous" {
			t.Fatalf("behaviour.md §7.5: anonymous request %d saw %q", i, got.body)
		}
	}
	tokens := make([]string, 8)
	for i := range tokens {
		tokens[i] = iss.Mint(clerktest.Session{UserID: fmt.Sprintf("user_%d", i)})
	}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			tok, want := "", "anonymous"
			if i%3 != 0 {
				tok, want = tokens[i%len(tokens)], fmt.Sprintf("user_%d", i%len(tokens))
			}
			if got := serve(t, app, "/auth", tok, ""); got.body != want {
				t.Errorf("behaviour.md §7.5: request %d saw %q, want %q", i, got.body, want)
			}
		})
	}
	wg.Wait()
}

func TestMiddlewareNilAuthorizerPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Middleware(nil) did not panic")
		}
	}()
	clerkfiberv3.Middleware(nil)
}
