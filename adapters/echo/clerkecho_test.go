package clerkecho_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
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
func who(c echo.Context) error {
	claims, ok := clerkecho.ClaimsFrom(c)
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

// newEcho returns an echo instance whose central HTTPErrorHandler counts
// its runs.
func newEcho() (*echo.Echo, *atomic.Int64) {
	e := echo.New()
	var central atomic.Int64
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		central.Add(1)
		e.DefaultHTTPErrorHandler(err, c)
	}
	return e, &central
}

// behaviour.md §7.3: every rejection is core.ProblemFor, status, headers and bytes,
// for 401, 403, 500 and 503, and echo's central error handler never runs for
// a response DefaultErrorHandler already wrote.
func TestResponsesAreCoreProblems(t *testing.T) {
	iss, a := setup(t)
	down, aDown := setup(t)
	down.SetJWKSDown(true)
	reached := false
	h := func(echo.Context) error { reached = true; return nil }
	e, central := newEcho()
	e.GET("/perm", h, clerkecho.Middleware(a), clerkecho.RequirePermission("org:invoices:create"))
	e.GET("/down", h, clerkecho.Middleware(aDown), clerkecho.RequireAuth())
	e.GET("/nomw", h, clerkecho.RequirePermission("org:invoices:create"))
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
			p := core.ProblemFor(&core.Error{Reason: tc.want})
			if reached {
				t.Fatal("behaviour.md §7.2: the handler ran")
			}
			if rec.Code != p.Status || rec.Body.String() != string(p.Body) {
				t.Fatalf("behaviour.md §7.3: got %d %s, want %d %s", rec.Code, rec.Body, p.Status, p.Body)
			}
			for k, want := range p.Header {
				if got := rec.Header().Values(k); !slices.Equal(got, want) {
					t.Errorf("behaviour.md §7.3: header %s = %q, want %q", k, got, want)
				}
			}
			// behaviour.md §7: exactly core's headers, nothing the framework adds
			// (only the transport's framing headers may accompany them).
			for k, v := range rec.Header() {
				if _, ok := p.Header[k]; !ok && k != "Content-Length" && k != "Date" {
					t.Errorf("behaviour.md §7: extra header %s: %q", k, v)
				}
			}
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
	e.GET("/", func(c echo.Context) error {
		res, ok := clerkecho.ResultFrom(c)
		ctxRes, ctxOK := core.ResultFromContext(c.Request().Context())
		if !ok || !ctxOK || res != ctxRes {
			return c.String(http.StatusInternalServerError, "result missing")
		}
		return c.String(http.StatusOK, string(res.Reason()))
	}, clerkecho.Middleware(a))
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
	h := func(echo.Context) error { reached = true; return nil }
	hook := func(name string) clerkecho.Option {
		return clerkecho.WithErrorHandler(func(c echo.Context, err error) error {
			return c.String(http.StatusTeapot, name+":"+string(core.ReasonOf(err)))
		})
	}
	e, central := newEcho()
	e.GET("/silent", h, clerkecho.Middleware(a), clerkecho.RequireAuth(clerkecho.WithErrorHandler(func(echo.Context, error) error { return nil })))
	e.GET("/inherit", h, clerkecho.Middleware(a, hook("mw")), clerkecho.RequireAuth())
	e.GET("/own", h, clerkecho.Middleware(a, hook("mw")), clerkecho.RequireAuth(hook("own")))
	e.GET("/accepts", h, clerkecho.Middleware(a, hook("mw")), clerkecho.Guard(core.AcceptsToken(core.M2MToken), hook("own")))
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

	e.GET("/central", h, clerkecho.Middleware(a, clerkecho.WithErrorHandler(func(_ echo.Context, err error) error { return err })), clerkecho.RequireAuth())
	if rec := serve(e, "/central", ""); reached || central.Load() != 1 || rec.Code != http.StatusInternalServerError {
		t.Fatalf("returned error: reached=%v, central ran %d times, status %d", reached, central.Load(), rec.Code)
	}
}

// WithSkipper: a skipped request is signed out (401), never 500, never a pass.
func TestSkipper(t *testing.T) {
	iss, a := setup(t)
	e := echo.New()
	e.Use(clerkecho.Middleware(a, clerkecho.WithSkipper(func(c echo.Context) bool { return c.Path() != "/auth" })))
	e.GET("/healthz", who)
	e.GET("/skipped", who, clerkecho.RequireAuth())
	e.GET("/auth", who, clerkecho.RequireAuth())
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

// AcceptsToken narrows a route to the given token types (behaviour.md §6.3).
func TestAcceptsToken(t *testing.T) {
	iss, a := setup(t, core.WithAcceptsToken(core.SessionToken, core.M2MToken))
	e := echo.New()
	e.GET("/m2m", who, clerkecho.Middleware(a), clerkecho.AcceptsToken([]core.TokenType{core.M2MToken}))
	if rec := serve(e, "/m2m", iss.MintM2M(clerktest.Machine{Subject: "mch_1"})); rec.Code != http.StatusOK || rec.Body.String() != "mch_1" {
		t.Errorf("m2m token: %d %q", rec.Code, rec.Body)
	}
	rec := serve(e, "/m2m", iss.Mint(clerktest.Session{}))
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("X-Clerk-Auth-Reason") != string(core.ReasonTokenTypeMismatch) {
		t.Errorf("session token: %d %s", rec.Code, rec.Body)
	}
}

// behaviour.md §7.5: echo pools its contexts. A route without Middleware served right
// after signed-in requests sees nothing, and concurrent requests each see
// only their own claims.
func TestNoLeakAcrossPooledContexts(t *testing.T) {
	iss, a := setup(t)
	e := echo.New()
	e.GET("/auth", who, clerkecho.Middleware(a))
	e.GET("/bare", func(c echo.Context) error {
		_, ok := clerkecho.ResultFrom(c)
		_, ctxOK := core.ResultFromContext(c.Request().Context())
		return c.String(http.StatusOK, fmt.Sprint(ok, " ", ctxOK))
	})
	tok := iss.Mint(clerktest.Session{UserID: "user_a"})
	for range 20 {
		if rec := serve(e, "/auth", tok); rec.Body.String() != "user_a" {
			t.Fatalf("signed-in request saw %q", rec.Body)
		}
		if rec := serve(e, "/bare", ""); rec.Body.String() != "false false" {
			t.Fatalf("behaviour.md §7.5: a request without Middleware saw a stored result (%q)", rec.Body)
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
			if rec := serve(e, "/auth", tok); rec.Body.String() != want {
				t.Errorf("behaviour.md §7.5: request %d saw %q, want %q", i, rec.Body, want)
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
	clerkecho.Middleware(nil)
}
