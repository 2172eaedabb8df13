package clerkechov5_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v5"

	clerkechov5 "github.com/clerkguard/clerkguard/adapters/echov5"
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

func serve(h http.Handler, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// who answers the subject seen through both accessors, "anonymous", or 500
// when they disagree.
func who(c *echo.Context) error {
	claims, ok := clerkechov5.ClaimsFrom(c)
	ctxClaims, ctxOK := core.ClaimsFromContext(c.Request().Context())
	switch {
	case ok != ctxOK || claims != ctxClaims:
		return c.String(http.StatusInternalServerError, "accessors disagree")
	case !ok:
		return c.String(http.StatusOK, "anonymous")
	default:
		return c.String(http.StatusOK, claims.Subject)
	}
}

// newEcho returns an echo v5 instance whose central HTTPErrorHandler counts
// its runs.
func newEcho() (*echo.Echo, *atomic.Int64) {
	e := echo.New()
	var central atomic.Int64
	def := echo.DefaultHTTPErrorHandler(false)
	e.HTTPErrorHandler = func(c *echo.Context, err error) {
		central.Add(1)
		def(c, err)
	}
	return e, &central
}

// behaviour.md §7.3: every rejection is core.ProblemFor, status, headers and
// bytes, for 401, 403, 500 and 503, and echo's central error handler never
// runs for a response DefaultErrorHandler already wrote.
func TestResponsesAreCoreProblems(t *testing.T) {
	iss, a := setup(t)
	down, aDown := setup(t)
	down.SetJWKSDown(true)
	reached := false
	h := func(*echo.Context) error { reached = true; return nil }
	e, central := newEcho()
	e.GET("/perm", h, clerkechov5.Middleware(a), clerkechov5.RequirePermission("org:invoices:create"))
	e.GET("/down", h, clerkechov5.Middleware(aDown), clerkechov5.RequireAuth())
	e.GET("/nomw", h, clerkechov5.RequirePermission("org:invoices:create"))
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
			rec := serve(e, tc.path, tc.token)
			if reached {
				t.Fatal("behaviour.md §7.2: the handler ran")
			}
			conformance.CheckProblem(t, "echov5", tc.path, rec.Code, rec.Header(), rec.Body.Bytes(), tc.want)
		})
	}
	if n := central.Load(); n != 0 {
		t.Fatalf("echo's HTTPErrorHandler ran %d times for responses already written", n)
	}
}

// behaviour.md §7.1: Middleware alone never rejects; it stores the reason.
func TestMiddlewareNeverRejects(t *testing.T) {
	iss, a := setup(t)
	e := echo.New()
	e.GET("/", func(c *echo.Context) error {
		res, ok := clerkechov5.ResultFrom(c)
		ctxRes, ctxOK := core.ResultFromContext(c.Request().Context())
		if !ok || !ctxOK || res != ctxRes {
			return c.String(http.StatusInternalServerError, "result missing")
		}
		return c.String(http.StatusOK, string(res.Reason()))
	}, clerkechov5.Middleware(a))
	rec := serve(e, "/", iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()))
	if rec.Code != http.StatusOK || rec.Body.String() != string(core.ReasonTokenInvalidSignature) {
		t.Fatalf("behaviour.md §7.1: got %d %q", rec.Code, rec.Body)
	}
}

// behaviour.md §7.4: hooks that write nothing still stop the request; the
// Middleware's hook is the guards' default and a guard's own hook wins; a
// hook that returns the error hands it to echo's central handler once.
func TestErrorHandlers(t *testing.T) {
	_, a := setup(t)
	reached := false
	h := func(*echo.Context) error { reached = true; return nil }
	hook := func(name string) clerkechov5.Option {
		return clerkechov5.WithErrorHandler(func(c *echo.Context, err error) error {
			return c.String(http.StatusTeapot, name+":"+string(core.ReasonOf(err)))
		})
	}
	e, central := newEcho()
	silent := clerkechov5.WithErrorHandler(func(*echo.Context, error) error { return nil })
	e.GET("/silent", h, clerkechov5.Middleware(a), clerkechov5.RequireAuth(silent))
	e.GET("/inherit", h, clerkechov5.Middleware(a, hook("mw")), clerkechov5.RequireAuth())
	e.GET("/own", h, clerkechov5.Middleware(a, hook("mw")), clerkechov5.RequireAuth(hook("own")))
	e.GET("/accepts", h, clerkechov5.Middleware(a, hook("mw")), clerkechov5.AcceptsToken([]core.TokenType{core.M2MToken}, hook("own")))
	for path, want := range map[string]string{
		"/silent":  "",
		"/inherit": "mw:session-token-missing",
		"/own":     "own:session-token-missing",
		"/accepts": "own:session-token-missing",
	} {
		reached = false
		if rec := serve(e, path, ""); reached || rec.Body.String() != want {
			t.Errorf("%s: reached=%v body %q, want %q", path, reached, rec.Body, want)
		}
	}
	if n := central.Load(); n != 0 {
		t.Fatalf("echo's HTTPErrorHandler ran %d times", n)
	}

	e.GET("/central", h, clerkechov5.Middleware(a, clerkechov5.WithErrorHandler(func(_ *echo.Context, err error) error { return err })), clerkechov5.RequireAuth())
	if rec := serve(e, "/central", ""); reached || central.Load() != 1 || rec.Code != http.StatusInternalServerError {
		t.Fatalf("returned error: reached=%v, central ran %d times, status %d", reached, central.Load(), rec.Code)
	}
}

// WithSkipper: a skipped request is signed out (401), never 500, never a
// pass; and it is a middleware option only.
func TestSkipper(t *testing.T) {
	iss, a := setup(t)
	skip := clerkechov5.WithSkipper(func(c *echo.Context) bool { return c.Path() != "/auth" })
	if _, ok := skip.(clerkechov5.GuardOption); ok {
		t.Fatal("WithSkipper returns a GuardOption: it would compile on a guard")
	}
	e := echo.New()
	e.Use(clerkechov5.Middleware(a, skip))
	e.GET("/healthz", who)
	e.GET("/skipped", who, clerkechov5.RequireAuth())
	e.GET("/auth", who, clerkechov5.RequireAuth())
	tok := iss.Mint(clerktest.Session{UserID: "user_s"})
	for path, want := range map[string]string{
		"/healthz": "200 anonymous",
		"/skipped": "401 session-token-missing",
		"/auth":    "200 user_s",
	} {
		rec := serve(e, path, tok)
		got := rec.Body.String()
		if rec.Code != http.StatusOK {
			got = rec.Header().Get("X-Clerk-Auth-Reason")
		}
		if got = fmt.Sprint(rec.Code, " ", got); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
}

// behaviour.md §7.5 (echo v5 pools its *echo.Context values and clears
// their store per request) is proven by TestConformance on the echo instance
// itself: Context/NoLeakBetweenRequests serially, Concurrency with 200 mixed
// concurrent requests.

func TestMiddlewareNilAuthorizerPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Middleware(nil) did not panic")
		}
	}()
	clerkechov5.Middleware(nil)
}
