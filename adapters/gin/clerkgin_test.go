package clerkgin_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// gin's debug mode prints every route to stdout, which would break the
// // Output: of the examples.
func init() { gin.SetMode(gin.ReleaseMode) }

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

func serve(h http.Handler, method, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// who answers the subject seen through both accessors, "anonymous", or 500
// when they disagree.
func who(c *gin.Context) {
	claims, ok := clerkgin.ClaimsFrom(c)
	ctxClaims, ctxOK := core.ClaimsFromContext(c.Request.Context())
	switch {
	case ok != ctxOK || claims != ctxClaims:
		c.String(http.StatusInternalServerError, "accessors disagree")
	case !ok:
		c.String(http.StatusOK, "anonymous")
	default:
		c.String(http.StatusOK, claims.Subject)
	}
}

// behaviour.md §7.3: every rejection is core.ProblemFor, status, headers and bytes,
// for 401, 403, 500 and 503.
func TestResponsesAreCoreProblems(t *testing.T) {
	iss, a := setup(t)
	down, aDown := setup(t)
	down.SetJWKSDown(true)
	reached := false
	h := func(*gin.Context) { reached = true }
	r := gin.New()
	r.GET("/perm", clerkgin.Middleware(a), clerkgin.RequirePermission("org:invoices:create"), h)
	r.GET("/down", clerkgin.Middleware(aDown), clerkgin.RequireAuth(), h)
	r.GET("/nomw", clerkgin.RequirePermission("org:invoices:create"), h)
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
			rec := serve(r, http.MethodGet, tc.path, tc.token)
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
}

// behaviour.md §7.1: Middleware alone never rejects; it stores the reason.
func TestMiddlewareNeverRejects(t *testing.T) {
	iss, a := setup(t)
	r := gin.New()
	r.GET("/", clerkgin.Middleware(a), func(c *gin.Context) {
		res, ok := clerkgin.ResultFrom(c)
		ctxRes, ctxOK := core.ResultFromContext(c.Request.Context())
		if !ok || !ctxOK || res != ctxRes {
			c.String(http.StatusInternalServerError, "result missing")
			return
		}
		c.String(http.StatusOK, string(res.Reason()))
	})
	rec := serve(r, http.MethodGet, "/", iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()))
	if rec.Code != http.StatusOK || rec.Body.String() != string(core.ReasonTokenInvalidSignature) {
		t.Fatalf("behaviour.md §7.1: got %d %q", rec.Code, rec.Body)
	}
}

// behaviour.md §7.4: hooks that write nothing still stop the request; the
// Middleware's hook is the guards' default and a guard's own hook wins.
func TestErrorHandlers(t *testing.T) {
	_, a := setup(t)
	reached := false
	h := func(*gin.Context) { reached = true }
	hook := func(name string) clerkgin.Option {
		return clerkgin.WithErrorHandler(func(c *gin.Context, err error) {
			c.String(http.StatusTeapot, "%s:%s", name, core.ReasonOf(err))
		})
	}
	r := gin.New()
	r.GET("/silent", clerkgin.Middleware(a), clerkgin.RequireAuth(clerkgin.WithErrorHandler(func(*gin.Context, error) {})), h)
	r.GET("/inherit", clerkgin.Middleware(a, hook("mw")), clerkgin.RequireAuth(), h)
	r.GET("/own", clerkgin.Middleware(a, hook("mw")), clerkgin.RequireAuth(hook("own")), h)
	r.GET("/accepts", clerkgin.Middleware(a, hook("mw")), clerkgin.Guard(core.AcceptsToken(core.M2MToken), hook("own")), h)
	for path, want := range map[string]string{
		"/silent":  "",
		"/inherit": "mw:session-token-missing",
		"/own":     "own:session-token-missing",
		"/accepts": "own:session-token-missing",
	} {
		reached = false
		if rec := serve(r, http.MethodGet, path, ""); reached || rec.Body.String() != want {
			t.Errorf("%s: reached=%v body %q, want %q", path, reached, rec.Body, want)
		}
	}
}

// WithSkipper: a skipped request is signed out (401), never 500, never a pass.
func TestSkipper(t *testing.T) {
	iss, a := setup(t)
	skip := clerkgin.WithSkipper(func(c *gin.Context) bool { return c.FullPath() != "/auth" })
	r := gin.New()
	r.Use(clerkgin.Middleware(a, skip))
	r.GET("/healthz", who)
	r.GET("/skipped", clerkgin.RequireAuth(), who)
	r.GET("/auth", clerkgin.RequireAuth(), who)
	tok := iss.Mint(clerktest.Session{UserID: "user_s"})
	for path, want := range map[string]string{
		"/healthz": "200 anonymous",
		"/skipped": "401 session-token-missing",
		"/auth":    "200 user_s",
	} {
		rec := serve(r, http.MethodGet, path, tok)
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
	r := gin.New()
	r.GET("/m2m", clerkgin.Middleware(a), clerkgin.AcceptsToken([]core.TokenType{core.M2MToken}), who)
	if rec := serve(r, http.MethodGet, "/m2m", iss.MintM2M(clerktest.Machine{Subject: "mch_1"})); rec.Code != http.StatusOK || rec.Body.String() != "mch_1" {
		t.Errorf("m2m token: %d %q", rec.Code, rec.Body)
	}
	rec := serve(r, http.MethodGet, "/m2m", iss.Mint(clerktest.Session{}))
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("X-Clerk-Auth-Reason") != string(core.ReasonTokenTypeMismatch) {
		t.Errorf("session token: %d %s", rec.Code, rec.Body)
	}
}

// behaviour.md §7.5: gin pools its contexts. A route without Middleware served right
// after signed-in requests sees nothing, and concurrent requests each see
// only their own claims.
func TestNoLeakAcrossPooledContexts(t *testing.T) {
	iss, a := setup(t)
	r := gin.New()
	r.GET("/auth", clerkgin.Middleware(a), who)
	r.GET("/bare", func(c *gin.Context) {
		_, ok := clerkgin.ResultFrom(c)
		_, ctxOK := core.ResultFromContext(c.Request.Context())
		c.String(http.StatusOK, "%v %v", ok, ctxOK)
	})
	tok := iss.Mint(clerktest.Session{UserID: "user_a"})
	for range 20 {
		if rec := serve(r, http.MethodGet, "/auth", tok); rec.Body.String() != "user_a" {
			t.Fatalf("signed-in request saw %q", rec.Body)
		}
		if rec := serve(r, http.MethodGet, "/bare", ""); rec.Body.String() != "false false" {
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
			if rec := serve(r, http.MethodGet, "/auth", tok); rec.Body.String() != want {
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
	clerkgin.Middleware(nil)
}

// behaviour.md §7.1: the claims are on c.Request.Context(); *gin.Context itself is a
// context.Context that reaches them only with gin's ContextWithFallback on
// (as documented), so code below the handler can take either.
func TestClaimsFromGinContextWithFallback(t *testing.T) {
	iss, a := setup(t)
	tok := iss.Mint(clerktest.Session{UserID: "user_fallback"})
	for _, fallback := range []bool{false, true} {
		t.Run(fmt.Sprint("ContextWithFallback=", fallback), func(t *testing.T) {
			r := gin.New()
			r.ContextWithFallback = fallback
			r.GET("/", clerkgin.Middleware(a), func(c *gin.Context) {
				fromReq, okReq := core.ClaimsFromContext(c.Request.Context())
				fromGin, okGin := core.ClaimsFromContext(c)
				c.String(http.StatusOK, fmt.Sprint(okReq && fromReq.Subject == "user_fallback", " ", okGin && fromGin == fromReq))
			})
			want := fmt.Sprint(true, " ", fallback)
			if got := serve(r, http.MethodGet, "/", tok).Body.String(); got != want {
				t.Errorf("request context / gin context saw %q, want %q", got, want)
			}
		})
	}
}
