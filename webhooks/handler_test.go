package webhooks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/webhooks"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newMux(t testing.TB, opts ...webhooks.HandlerOption) *webhooks.Mux {
	t.Helper()
	return webhooks.Handler(newVerifier(t, t0), append([]webhooks.HandlerOption{webhooks.WithLogger(quiet)}, opts...)...)
}

func deliver(t testing.TB, h http.Handler, id string, body string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newSigner(t).Request("/webhooks/clerk", id, t0, []byte(body)))
	return rec
}

type answer struct {
	Status  string `json:"status"`
	Error   string `json:"error"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

func decodeAnswer(t testing.TB, rec *httptest.ResponseRecorder) answer {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	var a answer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	return a
}

func event(typ, data string) string {
	return `{"type":"` + typ + `","object":"event","timestamp":1654012591835,"instance_id":"ins_1","data":` + data + `}`
}

func TestHandlerAnswers(t *testing.T) {
	m := newMux(t)
	var got []string
	m.OnUserCreated(func(ctx context.Context, u *webhooks.User) error {
		ev, ok := webhooks.EventFromContext(ctx)
		if !ok || ev.ID == "" {
			return errors.New("no event in context")
		}
		got = append(got, ev.ID+":"+u.ID)
		return nil
	})
	sign := newSigner(t)
	for _, tc := range []struct {
		name       string
		req        func() *http.Request
		status     int
		wantStatus string
		wantError  string
		wantReason string
	}{
		{"Processed", func() *http.Request { return sign.Request("/", "msg_a", t0, []byte(userCreated)) }, 200, "processed", "", ""},
		{"Duplicate", func() *http.Request { return sign.Request("/", "msg_a", t0, []byte(userCreated)) }, 200, "duplicate", "", ""},
		{"NoHandler", func() *http.Request {
			return sign.Request("/", "msg_b", t0, []byte(event("subscription.created", `{}`)))
		}, 200, "ignored", "", ""},
		{"Get", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/", nil) }, 405, "", "method_not_allowed", "method-not-allowed"},
		{"BadSignature", func() *http.Request {
			r := sign.Request("/", "msg_c", t0, []byte(userCreated))
			r.Header.Set("svix-signature", "v1,AAAA")
			return r
		}, 400, "", "bad_request", "invalid-signature"},
		{"MissingHeaders", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/", strings.NewReader(userCreated))
		}, 400, "", "bad_request", "missing-headers"},
		{"TooOld", func() *http.Request {
			return sign.Request("/", "msg_d", t0.Add(-5*time.Minute-time.Second), []byte(userCreated))
		}, 400, "", "bad_request", "timestamp-too-old"},
		{"TooNew", func() *http.Request {
			return sign.Request("/", "msg_e", t0.Add(5*time.Minute+time.Second), []byte(userCreated))
		}, 400, "", "bad_request", "timestamp-too-new"},
		{"InvalidPayload", func() *http.Request { return sign.Request("/", "msg_f", t0, []byte(vecBody)) }, 400, "", "bad_request", "invalid-payload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			m.ServeHTTP(rec, tc.req())
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tc.status, rec.Body)
			}
			a := decodeAnswer(t, rec)
			if a.Status != tc.wantStatus || a.Error != tc.wantError || a.Reason != tc.wantReason {
				t.Fatalf("answer %+v", a)
			}
			if a.Error != "" && a.Message == "" {
				t.Fatal("error answer without message")
			}
			if strings.Contains(rec.Body.String(), "MfKQ9r8G") || strings.Contains(rec.Body.String(), "user_29w83") {
				t.Fatalf("answer echoes secret or payload: %s", rec.Body)
			}
			if tc.status == 405 && rec.Header().Get("Allow") != "POST" {
				t.Fatal("405 without Allow: POST")
			}
		})
	}
	if len(got) != 1 || got[0] != "msg_a:user_29w83sxmDNGwOuEthce5gg56FcC" {
		t.Fatalf("handler calls %v", got)
	}
}

func TestHandlerBodyLimit(t *testing.T) {
	// A valid envelope padded with spaces to an exact size.
	sized := func(n int) string {
		e := event("user.created", `{"id":"user_1"}`)
		return e + strings.Repeat(" ", n-len(e))
	}
	for _, tc := range []struct {
		name   string
		opts   []webhooks.HandlerOption
		size   int
		status int
	}{
		{"DefaultAtLimit", nil, webhooks.DefaultMaxBodyBytes, 200},
		{"DefaultOverLimit", nil, webhooks.DefaultMaxBodyBytes + 1, 413},
		{"CustomAtLimit", []webhooks.HandlerOption{webhooks.WithMaxBodyBytes(256)}, 256, 200},
		{"CustomOverLimit", []webhooks.HandlerOption{webhooks.WithMaxBodyBytes(256)}, 257, 413},
		{"ZeroKeepsDefault", []webhooks.HandlerOption{webhooks.WithMaxBodyBytes(0)}, 4096, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMux(t, tc.opts...)
			ran := false
			m.OnUserCreated(func(context.Context, *webhooks.User) error { ran = true; return nil })
			rec := deliver(t, m, "msg_1", sized(tc.size))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tc.status, rec.Body)
			}
			if tc.status == 413 {
				if a := decodeAnswer(t, rec); a.Error != "payload_too_large" || ran {
					t.Fatalf("answer %+v, ran %v", a, ran)
				}
			}
		})
	}
	t.Run("NegativePanics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Fatal("no panic")
			}
		}()
		newMux(t, webhooks.WithMaxBodyBytes(-1))
	})
}

func TestHandlerFailureThenRedelivery(t *testing.T) {
	m := newMux(t)
	var calls atomic.Int32
	m.OnUserUpdated(func(ctx context.Context, u *webhooks.User) error {
		switch calls.Add(1) {
		case 1:
			return errors.New("database is down: secret detail")
		case 2:
			panic("boom")
		}
		return nil
	})
	body := event("user.updated", `{"id":"user_1"}`)
	for i, want := range []struct {
		code   int
		status string
	}{{500, ""}, {500, ""}, {200, "processed"}, {200, "duplicate"}} {
		rec := deliver(t, m, "msg_retry", body)
		if rec.Code != want.code {
			t.Fatalf("delivery %d: status %d, want %d", i+1, rec.Code, want.code)
		}
		a := decodeAnswer(t, rec)
		if want.code == 500 && (a.Error != "handler_failed" || strings.Contains(rec.Body.String(), "secret detail") || strings.Contains(rec.Body.String(), "boom")) {
			t.Fatalf("delivery %d: %s", i+1, rec.Body)
		}
		if a.Status != want.status {
			t.Fatalf("delivery %d: %+v", i+1, a)
		}
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("handler ran %d times, want 3", n)
	}
}

func TestHandlerMultipleHandlersAndOrder(t *testing.T) {
	m := newMux(t)
	var order []string
	m.On(webhooks.EventOrganizationCreated, func(ctx context.Context, ev *webhooks.Event) error {
		order = append(order, "raw:"+ev.Type)
		return nil
	})
	m.OnOrganizationCreated(func(ctx context.Context, o *webhooks.Organization) error {
		order = append(order, "typed:"+o.Name)
		return nil
	})
	if rec := deliver(t, m, "msg_o", event("organization.created", `{"id":"org_1","name":"Acme"}`)); rec.Code != 200 {
		t.Fatal(rec.Code)
	}
	if strings.Join(order, ",") != "raw:organization.created,typed:Acme" {
		t.Fatal(order)
	}
}

func TestHandlerTypedDecodeFailureIs500(t *testing.T) {
	m := newMux(t)
	m.OnOrganizationMembershipCreated(func(context.Context, *webhooks.OrganizationMembership) error { return nil })
	if rec := deliver(t, m, "msg_m", event("organizationMembership.created", `{"id":42}`)); rec.Code != 500 {
		t.Fatalf("status %d", rec.Code)
	}
}

// failingDedup fails every Claim.
type failingDedup struct{ webhooks.Deduplicator }

func (failingDedup) Claim(context.Context, string) (webhooks.Claim, error) {
	return 0, errors.New("connection refused")
}

func TestHandlerDeduplicatorDown(t *testing.T) {
	m := newMux(t, webhooks.WithDeduplicator(failingDedup{}))
	ran := false
	m.OnUserCreated(func(context.Context, *webhooks.User) error { ran = true; return nil })
	rec := deliver(t, m, "msg_1", userCreated)
	if rec.Code != 503 || ran || decodeAnswer(t, rec).Reason != "deduplicator-unavailable" {
		t.Fatalf("status %d ran %v %s", rec.Code, ran, rec.Body)
	}
}

func TestHandlerConcurrentDuplicates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		dedup func(t *testing.T) webhooks.Deduplicator
	}{
		{"Memory", func(t *testing.T) webhooks.Deduplicator {
			d, err := webhooks.NewMemoryDeduplicator()
			if err != nil {
				t.Fatal(err)
			}
			return d
		}},
		{"SQLite", func(t *testing.T) webhooks.Deduplicator { return newSQLDedup(t, t0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMux(t, webhooks.WithDeduplicator(tc.dedup(t)))
			var calls atomic.Int32
			release := make(chan struct{})
			m.OnUserCreated(func(context.Context, *webhooks.User) error {
				if calls.Add(1) == 1 {
					<-release // hold the claim until every duplicate was answered
				}
				return nil
			})
			const n = 16
			codes := make([]int, n)
			var answered atomic.Int32
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					codes[i] = deliver(t, m, "msg_same", userCreated).Code
					answered.Add(1)
				})
			}
			for deadline := time.Now().Add(10 * time.Second); answered.Load() < n-1 && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			close(release)
			wg.Wait()
			var ok, conflict int
			for _, c := range codes {
				switch c {
				case 200:
					ok++
				case 409:
					conflict++
				}
			}
			if calls.Load() != 1 || ok != 1 || conflict != n-1 {
				t.Fatalf("handler ran %d times; %d×200, %d×409 (%v)", calls.Load(), ok, conflict, codes)
			}
			// A later redelivery is a duplicate.
			rec := deliver(t, m, "msg_same", userCreated)
			if rec.Code != 200 || decodeAnswer(t, rec).Status != "duplicate" || calls.Load() != 1 {
				t.Fatalf("redelivery: %d %s", rec.Code, rec.Body)
			}
		})
	}
}

func TestHandlerReadsBodyOnce(t *testing.T) {
	m := newMux(t)
	m.On("user.created", func(ctx context.Context, ev *webhooks.Event) error { return nil })
	r := newSigner(t).Request("/", "msg_1", t0, []byte(userCreated))
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader([]byte(userCreated))))
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, r)
	if rec.Code != 200 {
		t.Fatal(rec.Code)
	}
}
