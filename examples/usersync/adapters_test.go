package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/labstack/echo/v4"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	clerkecho "github.com/clerkguard/clerkguard/adapters/echo"
	clerkfiber "github.com/clerkguard/clerkguard/adapters/fiber"
	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/usersync"
)

// The Provisioner lives in the Authorizer (one option), so every adapter
// provisions with no code of its own: a signed-in request creates the row,
// a failing Backend API answers 503 through the adapter's own rendering.
func TestJITInEveryAdapter(t *testing.T) {
	gin.SetMode(gin.TestMode)
	iss, _, down := fakeClerk(t)
	env := map[string]string{core.EnvSecretKey: iss.SecretKey(), core.EnvAPIURL: iss.APIURL()}
	ok := func(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
	for name, mount := range map[string]func(a *core.Authorizer) http.Handler{
		"chi": func(a *core.Authorizer) http.Handler {
			r := chi.NewRouter()
			r.With(clerkchi.Middleware(a), clerkchi.RequireAuth()).Get("/me", func(w http.ResponseWriter, _ *http.Request) { ok(w) })
			return r
		},
		"gin": func(a *core.Authorizer) http.Handler {
			g := gin.New()
			g.GET("/me", clerkgin.Middleware(a), clerkgin.RequireAuth(), func(c *gin.Context) { ok(c.Writer) })
			return g
		},
		"echo": func(a *core.Authorizer) http.Handler {
			e := echo.New()
			e.GET("/me", func(c echo.Context) error { ok(c.Response()); return nil }, clerkecho.Middleware(a), clerkecho.RequireAuth())
			return e
		},
		"fiber": func(a *core.Authorizer) http.Handler {
			f := fiber.New(fiber.Config{DisableStartupMessage: true})
			f.Get("/me", clerkfiber.Middleware(a), clerkfiber.RequireAuth(), func(c *fiber.Ctx) error { return c.SendStatus(http.StatusNoContent) })
			return adaptor.FiberApp(f)
		},
	} {
		t.Run(name, func(t *testing.T) {
			down(false)
			store, err := usersync.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			a, err := authorizer(store, func(k string) string { return env[k] }, quiet, nil)
			if err != nil {
				t.Fatal(err)
			}
			h := mount(a)
			do := func(user string) int {
				r := httptest.NewRequest(http.MethodGet, "/me", nil)
				r.Header.Set("Authorization", "Bearer "+iss.Mint(clerktest.Session{UserID: user, TTL: time.Minute}))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				return rec.Code
			}
			if code := do("user_1"); code != http.StatusNoContent {
				t.Fatalf("signed in: %d", code)
			}
			if u, err := store.User(t.Context(), "user_1"); err != nil || u.PrimaryEmail != "ada@x.test" {
				t.Fatalf("%s did not provision: %+v %v", name, u, err)
			}
			down(true)
			if code := do("user_9"); code != http.StatusServiceUnavailable {
				t.Fatalf("Backend API failing: %d, want 503", code)
			}
		})
	}
}
