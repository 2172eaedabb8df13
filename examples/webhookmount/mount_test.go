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
	fiberv3 "github.com/gofiber/fiber/v3"
	adaptorv3 "github.com/gofiber/fiber/v3/middleware/adaptor"
	"github.com/labstack/echo/v4"
	echov5 "github.com/labstack/echo/v5"

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

	e5 := echov5.New()
	e5.POST(path, echov5.WrapHandler(h))

	// fiber v3 mounts a net/http handler as it is (it adapts http.Handler
	// itself); served here through its net/http adaptor.
	f3 := fiberv3.New()
	f3.Post(path, h)

	return map[string]http.Handler{"net/http": mux, "chi": r, "gin": g, "echo": e, "fiber": adaptor.FiberApp(f),
		"echov5": e5, "fiberv3": adaptorv3.FiberApp(f3)}
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
			h, err := webhooks.Handler(v)
			if err != nil {
				t.Fatal(err)
			}
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

// The body limit and the JSON error answers come through every framework
// unchanged: 413 above the limit, 400 with the reason on a bad signature,
// 405 on GET only where the framework routes it to the handler.
func TestMountedAnswers(t *testing.T) {
	secret := webhookstest.NewSecret()
	signer, _ := webhookstest.NewSigner(secret)
	now := time.Unix(1_800_000_000, 0)
	v, _ := webhooks.NewVerifier(secret, webhooks.WithClock(func() time.Time { return now }))
	big := []byte(`{"type":"user.created","data":{"pad":"` + strings.Repeat("x", 600) + `"}}`)
	small := []byte(`{"type":"user.created","data":{"id":"user_1"}}`)
	for name := range mounts(http.NotFoundHandler()) {
		t.Run(name, func(t *testing.T) {
			h, err := webhooks.Handler(v, webhooks.WithMaxBodyBytes(512))
			if err != nil {
				t.Fatal(err)
			}
			var runs atomic.Int32
			h.OnUserCreated(func(context.Context, *webhooks.User) error { runs.Add(1); return nil })
			app := mounts(h)[name]
			for _, tc := range []struct {
				name   string
				req    *http.Request
				status int
				reason string
			}{
				{"TooLarge", signer.Request(path, "msg_big", now, big), http.StatusRequestEntityTooLarge, "body-too-large"},
				{"BadSignature", func() *http.Request {
					r := signer.Request(path, "msg_bad", now, small)
					r.Header.Set("svix-signature", "v1,AAAA")
					return r
				}(), http.StatusBadRequest, "invalid-signature"},
				{"TooOld", signer.Request(path, "msg_old", now.Add(-6*time.Minute), small), http.StatusBadRequest, "timestamp-too-old"},
				{"WebhookHeaders", func() *http.Request {
					r := signer.Request(path, "msg_std", now, small)
					for _, k := range []string{"id", "timestamp", "signature"} {
						r.Header.Set("webhook-"+k, r.Header.Get("svix-"+k))
						r.Header.Del("svix-" + k)
					}
					return r
				}(), http.StatusOK, ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					rec := httptest.NewRecorder()
					app.ServeHTTP(rec, tc.req)
					if rec.Code != tc.status {
						t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
					}
					if tc.reason != "" && !strings.Contains(rec.Body.String(), `"reason":"`+tc.reason+`"`) {
						t.Fatalf("body %s, want reason %s", rec.Body, tc.reason)
					}
				})
			}
			if runs.Load() != 1 {
				t.Fatalf("handler ran %d times, want 1 (the webhook-* delivery)", runs.Load())
			}
		})
	}
}

// Fiber v2 and v3 through their own test servers (fasthttp, not the net/http
// shim of adaptor.FiberApp): the raw body reaches the handler byte for byte.
// fiber v3 mounts the http.Handler as it is.
func TestFiberAppTest(t *testing.T) {
	secret := webhookstest.NewSecret()
	signer, _ := webhookstest.NewSigner(secret)
	v, _ := webhooks.NewVerifier(secret) // real clock: app.Test runs now
	servers := map[string]func(h http.Handler) func(*http.Request) (*http.Response, error){
		"fiber": func(h http.Handler) func(*http.Request) (*http.Response, error) {
			app := fiber.New(fiber.Config{DisableStartupMessage: true})
			app.Post(path, adaptor.HTTPHandler(h))
			return func(r *http.Request) (*http.Response, error) { return app.Test(r, -1) }
		},
		"fiberv3": func(h http.Handler) func(*http.Request) (*http.Response, error) {
			app := fiberv3.New()
			app.Post(path, h)
			return func(r *http.Request) (*http.Response, error) { return app.Test(r, fiberv3.TestConfig{Timeout: 0}) }
		},
	}
	for name, server := range servers {
		t.Run(name, func(t *testing.T) {
			h, err := webhooks.Handler(v)
			if err != nil {
				t.Fatal(err)
			}
			var got atomic.Value
			h.OnUserUpdated(func(_ context.Context, u *webhooks.User) error { got.Store(u.ID); return nil })
			do := server(h)
			body := []byte("{\n  \"type\": \"user.updated\",\n  \"data\": {\"id\": \"user_" + name + "\"}\n}\n")
			for i, want := range []string{`"processed"`, `"duplicate"`} {
				resp, err := do(signer.Request(path, "msg_"+name, time.Now(), body))
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
					t.Fatalf("delivery %d: %d %s", i+1, resp.StatusCode, b)
				}
			}
			if got.Load() != "user_"+name {
				t.Fatalf("handler saw %v", got.Load())
			}
		})
	}
}
