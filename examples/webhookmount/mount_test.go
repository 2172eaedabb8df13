package webhookmount_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/labstack/echo/v4"

	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

const path = "/webhooks/clerk"

// mounts builds each framework around the same webhooks handler.
func mounts(h http.Handler) map[string]http.Handler {
	gin.SetMode(gin.ReleaseMode)
	mux := http.NewServeMux()
	mux.Handle("POST "+path, h)

	r := chi.NewRouter()
	r.Method(http.MethodPost, path, h)

	g := gin.New()
	g.POST(path, gin.WrapH(h))

	e := echo.New()
	e.POST(path, echo.WrapHandler(h))

	f := fiber.New(fiber.Config{DisableStartupMessage: true})
	f.Post(path, adaptor.HTTPHandler(h))

	return map[string]http.Handler{"net/http": mux, "chi": r, "gin": g, "echo": e, "fiber": adaptor.FiberApp(f)}
}

// Every framework delivers the raw bytes: a signed event verifies and runs
// its handler once; a body changed by one byte is refused with 400; a
// redelivery is a duplicate.
func TestMountedInEveryFramework(t *testing.T) {
	secret := webhookstest.NewSecret()
	signer, err := webhookstest.NewSigner(secret)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	v, err := webhooks.NewVerifier(secret, webhooks.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	for name := range mounts(http.NotFoundHandler()) {
		t.Run(name, func(t *testing.T) {
			var runs atomic.Int32
			var seen atomic.Value
			h := webhooks.Handler(v)
			h.OnUserCreated(func(_ context.Context, u *webhooks.User) error {
				runs.Add(1)
				seen.Store(u.ID)
				return nil
			})
			app := mounts(h)[name]
			// Whitespace and key order that a re-encoding would change.
			body := []byte("{\"type\":\"user.created\", \"object\":\"event\",\n \"timestamp\":1800000000000,\"data\":{\"id\":\"user_" + strings.ReplaceAll(name, "/", "_") + "\"}}")
			send := func(id string, b []byte) (int, string) {
				req := signer.Request(path, id, now, body)
				req.Body = io.NopCloser(strings.NewReader(string(b)))
				req.ContentLength = int64(len(b))
				rec := httptest.NewRecorder()
				app.ServeHTTP(rec, req)
				return rec.Code, rec.Body.String()
			}
			if code, resp := send("msg_"+name, body); code != http.StatusOK {
				t.Fatalf("signed event: %d %s", code, resp)
			}
			if runs.Load() != 1 || seen.Load() != "user_"+strings.ReplaceAll(name, "/", "_") {
				t.Fatalf("handler runs %d, user %v", runs.Load(), seen.Load())
			}
			tampered := append([]byte(nil), body...)
			tampered[len(tampered)-3] = 'X'
			if code, _ := send("msg_tampered_"+name, tampered); code != http.StatusBadRequest {
				t.Fatalf("tampered body answered %d, want 400", code)
			}
			if code, resp := send("msg_"+name, body); code != http.StatusOK || !strings.Contains(resp, "duplicate") || runs.Load() != 1 {
				t.Fatalf("redelivery: %d %s, runs %d", code, resp, runs.Load())
			}
		})
	}
}
