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
	"strconv"
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
	m, err := webhooks.Handler(newVerifier(t, t0), append([]webhooks.HandlerOption{webhooks.WithLogger(quiet)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
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
		{"InvalidPayload", func() *http.Request { return sign.Request("/", "msg_f", t0, []byte(`not json`)) }, 400, "", "bad_request", "invalid-payload"},
		{"InvalidPayloadArray", func() *http.Request { return sign.Request("/", "msg_f2", t0, []byte(`[{"type":"user.created"}]`)) }, 400, "", "bad_request", "invalid-payload"},
		{"ReferenceVectorNoType", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(vecBody))
			r.Header = headers(vecID, vecTS, vecSig)
			return r
		}, 200, "ignored", "", ""},
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
		for _, length := range []string{"Declared", "Chunked", "Understated"} {
			t.Run(tc.name+"/"+length, func(t *testing.T) {
				m := newMux(t, tc.opts...)
				ran := false
				m.OnUserCreated(func(context.Context, *webhooks.User) error { ran = true; return nil })
				body := []byte(sized(tc.size))
				r := newSigner(t).Request("/", "msg_1", t0, body)
				switch length {
				case "Chunked": // no Content-Length: only the read limit applies
					r.ContentLength = -1
				case "Understated": // a lying Content-Length does not get past the limit
					r.ContentLength = 10
				}
				rec := httptest.NewRecorder()
				m.ServeHTTP(rec, r)
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d (%s)", rec.Code, tc.status, rec.Body)
				}
				if tc.status == 413 {
					if a := decodeAnswer(t, rec); a.Error != "payload_too_large" || a.Reason != "body-too-large" || ran {
						t.Fatalf("answer %+v, ran %v", a, ran)
					}
				} else if !ran {
					t.Fatal("handler did not run")
				}
			})
		}
	}
}

func TestHandlerFailureThenRedelivery(t *testing.T) {
	for _, impl := range dedupImpls {
		t.Run(impl.name, func(t *testing.T) {
			m := newMux(t, webhooks.WithDeduplicator(impl.new(t, &clock{now: t0})))
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
			}{{500, ""}, {500, ""}, {200, "processed"}, {200, "duplicate"}, {200, "duplicate"}} {
				rec := deliver(t, m, "msg_retry", body)
				if rec.Code != want.code {
					t.Fatalf("delivery %d: status %d, want %d", i+1, rec.Code, want.code)
				}
				a := decodeAnswer(t, rec)
				if want.code == 500 && (a.Error != "handler_failed" || a.Reason != "handler-failed" ||
					strings.Contains(rec.Body.String(), "secret detail") || strings.Contains(rec.Body.String(), "boom")) {
					t.Fatalf("delivery %d: %s", i+1, rec.Body)
				}
				if a.Status != want.status {
					t.Fatalf("delivery %d: %+v", i+1, a)
				}
			}
			if n := calls.Load(); n != 3 {
				t.Fatalf("handler ran %d times, want 3", n)
			}
		})
	}
}

// A failure in the second of two handlers fails the delivery; the retry runs
// both again.
func TestHandlerSecondHandlerFails(t *testing.T) {
	m := newMux(t)
	var first, second atomic.Int32
	m.On(webhooks.EventUserCreated, func(context.Context, *webhooks.Event) error { first.Add(1); return nil })
	m.On(webhooks.EventUserCreated, func(context.Context, *webhooks.Event) error {
		if second.Add(1) == 1 {
			return errors.New("fail once")
		}
		return nil
	})
	if rec := deliver(t, m, "msg_two", userCreated); rec.Code != 500 {
		t.Fatalf("first delivery %d", rec.Code)
	}
	if rec := deliver(t, m, "msg_two", userCreated); rec.Code != 200 || decodeAnswer(t, rec).Status != "processed" {
		t.Fatalf("retry %d %s", rec.Code, rec.Body)
	}
	if first.Load() != 2 || second.Load() != 2 {
		t.Fatalf("first ran %d, second %d", first.Load(), second.Load())
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

// zeroDedup answers the zero Claim without an error (a broken implementation).
type zeroDedup struct{ nopDedup }

func (zeroDedup) Claim(context.Context, string) (webhooks.Claim, error) { return 0, nil }

func TestHandlerDeduplicatorDown(t *testing.T) {
	for name, d := range map[string]webhooks.Deduplicator{"ClaimError": failingDedup{}, "ZeroClaim": zeroDedup{}} {
		t.Run(name, func(t *testing.T) {
			m := newMux(t, webhooks.WithDeduplicator(d))
			ran := false
			m.OnUserCreated(func(context.Context, *webhooks.User) error { ran = true; return nil })
			rec := deliver(t, m, "msg_1", userCreated)
			if rec.Code != 503 || ran || decodeAnswer(t, rec).Reason != "deduplicator-unavailable" || rec.Header().Get("Retry-After") == "" {
				t.Fatalf("status %d ran %v %s", rec.Code, ran, rec.Body)
			}
		})
	}
}

// countingDedup counts the InFlight answers of the Deduplicator it wraps,
// so a test knows when every duplicate is waiting.
type countingDedup struct {
	webhooks.Deduplicator
	inFlight atomic.Int32
}

func (c *countingDedup) Claim(ctx context.Context, id string) (webhooks.Claim, error) {
	got, err := c.Deduplicator.Claim(ctx, id)
	if got == webhooks.InFlight {
		c.inFlight.Add(1)
	}
	return got, err
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestHandlerConcurrentDuplicates(t *testing.T) {
	const n = 16
	// deliverAll sends n copies of one message at once and returns the
	// status words ("processed", "duplicate", or the HTTP code).
	deliverAll := func(t *testing.T, m http.Handler) map[string]int {
		t.Helper()
		var mu sync.Mutex
		got := map[string]int{}
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				rec := deliver(t, m, "msg_same", userCreated)
				key := strconv.Itoa(rec.Code)
				if rec.Code == 200 {
					key = decodeAnswer(t, rec).Status
				}
				if rec.Code == 409 && rec.Header().Get("Retry-After") == "" {
					t.Error("409 without Retry-After")
				}
				mu.Lock()
				got[key]++
				mu.Unlock()
			})
		}
		wg.Wait()
		return got
	}
	for _, impl := range dedupImpls { // Memory, SQLite, Postgres
		impl := struct {
			name  string
			dedup func(t *testing.T) webhooks.Deduplicator
		}{impl.name, func(t *testing.T) webhooks.Deduplicator { return impl.new(t, &clock{now: t0}) }}
		t.Run(impl.name, func(t *testing.T) {
			t.Run("DuplicatesWaitAndAnswer200", func(t *testing.T) {
				d := &countingDedup{Deduplicator: impl.dedup(t)}
				m := newMux(t, webhooks.WithDeduplicator(d))
				var calls atomic.Int32
				m.OnUserCreated(func(context.Context, *webhooks.User) error {
					calls.Add(1)
					// Hold the claim until every duplicate has seen it in flight.
					waitFor(t, "duplicates in flight", func() bool { return d.inFlight.Load() >= n-1 })
					return nil
				})
				got := deliverAll(t, m)
				if calls.Load() != 1 || got["processed"] != 1 || got["duplicate"] != n-1 {
					t.Fatalf("handler ran %d times; answers %v", calls.Load(), got)
				}
				rec := deliver(t, m, "msg_same", userCreated)
				if rec.Code != 200 || decodeAnswer(t, rec).Status != "duplicate" || calls.Load() != 1 {
					t.Fatalf("later redelivery: %d %s", rec.Code, rec.Body)
				}
			})
			t.Run("FirstFailsAWaiterRunsIt", func(t *testing.T) {
				d := &countingDedup{Deduplicator: impl.dedup(t)}
				m := newMux(t, webhooks.WithDeduplicator(d))
				var calls atomic.Int32
				m.OnUserCreated(func(context.Context, *webhooks.User) error {
					if calls.Add(1) == 1 {
						waitFor(t, "duplicates in flight", func() bool { return d.inFlight.Load() >= n-1 })
						return errors.New("database is down")
					}
					return nil
				})
				got := deliverAll(t, m)
				if calls.Load() != 2 || got["500"] != 1 || got["processed"] != 1 || got["duplicate"] != n-2 {
					t.Fatalf("handler ran %d times; answers %v", calls.Load(), got)
				}
			})
			t.Run("WaitRunsOut409", func(t *testing.T) {
				m := newMux(t, webhooks.WithDeduplicator(impl.dedup(t)), webhooks.WithInFlightWait(20*time.Millisecond))
				var calls atomic.Int32
				release := make(chan struct{})
				m.OnUserCreated(func(context.Context, *webhooks.User) error {
					calls.Add(1)
					<-release
					return nil
				})
				first := make(chan *httptest.ResponseRecorder)
				go func() { first <- deliver(t, m, "msg_same", userCreated) }()
				waitFor(t, "first delivery running", func() bool { return calls.Load() == 1 })
				start := time.Now()
				rec := deliver(t, m, "msg_same", userCreated)
				if rec.Code != 409 || decodeAnswer(t, rec).Reason != "delivery-in-flight" || rec.Header().Get("Retry-After") != "5" {
					t.Fatalf("duplicate while in flight: %d %s", rec.Code, rec.Body)
				}
				if waited := time.Since(start); waited < 20*time.Millisecond {
					t.Fatalf("answered 409 after %v, before the wait ran out", waited)
				}
				close(release)
				if rec := <-first; rec.Code != 200 {
					t.Fatalf("first delivery: %d", rec.Code)
				}
				if rec := deliver(t, m, "msg_same", userCreated); rec.Code != 200 || decodeAnswer(t, rec).Status != "duplicate" || calls.Load() != 1 {
					t.Fatalf("redelivery: %d %s, calls %d", rec.Code, rec.Body, calls.Load())
				}
			})
			t.Run("CancelledWhileWaiting409", func(t *testing.T) {
				m := newMux(t, webhooks.WithDeduplicator(impl.dedup(t)))
				var calls atomic.Int32
				release := make(chan struct{})
				m.OnUserCreated(func(context.Context, *webhooks.User) error {
					calls.Add(1)
					<-release
					return nil
				})
				first := make(chan int)
				go func() { first <- deliver(t, m, "msg_same", userCreated).Code }()
				waitFor(t, "first delivery running", func() bool { return calls.Load() == 1 })
				ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
				defer cancel()
				rec := httptest.NewRecorder()
				m.ServeHTTP(rec, newSigner(t).Request("/", "msg_same", t0, []byte(userCreated)).WithContext(ctx))
				if rec.Code != 409 {
					t.Fatalf("cancelled duplicate: %d %s", rec.Code, rec.Body)
				}
				close(release)
				if code := <-first; code != 200 || calls.Load() != 1 {
					t.Fatalf("first %d, calls %d", code, calls.Load())
				}
			})
		})
	}
}

// errReader fails like a client that disconnects mid-body.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestHandlerBodyReadError(t *testing.T) {
	m := newMux(t)
	m.On("user.created", func(context.Context, *webhooks.Event) error {
		t.Error("handler ran")
		return nil
	})
	r := newSigner(t).Request("/", "msg_1", t0, []byte(userCreated))
	r.Body = io.NopCloser(errReader{})
	r.ContentLength = -1
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, r)
	if rec.Code != 400 || decodeAnswer(t, rec).Reason != "invalid-payload" {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

func TestHandlerMethods(t *testing.T) {
	m := newMux(t)
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		t.Run(method, func(t *testing.T) {
			r := newSigner(t).Request("/", "msg_1", t0, []byte(userCreated))
			r.Method = method
			rec := httptest.NewRecorder()
			m.ServeHTTP(rec, r)
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
				t.Fatalf("%s: %d, Allow %q", method, rec.Code, rec.Header().Get("Allow"))
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

func TestTypedHelpers(t *testing.T) {
	m := newMux(t)
	var got []string
	rec := func(typ string) func(string) error {
		return func(v string) error { got = append(got, typ+"="+v); return nil }
	}
	user := func(typ string) func(context.Context, *webhooks.User) error {
		return func(_ context.Context, u *webhooks.User) error { return rec(typ)(u.ID) }
	}
	deleted := func(typ string) func(context.Context, *webhooks.DeletedObject) error {
		return func(_ context.Context, d *webhooks.DeletedObject) error { return rec(typ)(d.ID) }
	}
	session := func(typ string) func(context.Context, *webhooks.Session) error {
		return func(_ context.Context, s *webhooks.Session) error { return rec(typ)(s.ID) }
	}
	org := func(typ string) func(context.Context, *webhooks.Organization) error {
		return func(_ context.Context, o *webhooks.Organization) error { return rec(typ)(o.ID) }
	}
	mem := func(typ string) func(context.Context, *webhooks.OrganizationMembership) error {
		return func(_ context.Context, o *webhooks.OrganizationMembership) error { return rec(typ)(o.ID) }
	}
	inv := func(typ string) func(context.Context, *webhooks.OrganizationInvitation) error {
		return func(_ context.Context, o *webhooks.OrganizationInvitation) error { return rec(typ)(o.ID) }
	}
	role := func(typ string) func(context.Context, *webhooks.Role) error {
		return func(_ context.Context, o *webhooks.Role) error { return rec(typ)(o.ID) }
	}
	perm := func(typ string) func(context.Context, *webhooks.Permission) error {
		return func(_ context.Context, o *webhooks.Permission) error { return rec(typ)(o.ID) }
	}
	for _, tc := range []struct {
		typ      string
		register func()
	}{
		{webhooks.EventUserCreated, func() { m.OnUserCreated(user(webhooks.EventUserCreated)) }},
		{webhooks.EventUserUpdated, func() { m.OnUserUpdated(user(webhooks.EventUserUpdated)) }},
		{webhooks.EventUserDeleted, func() { m.OnUserDeleted(deleted(webhooks.EventUserDeleted)) }},
		{webhooks.EventSessionCreated, func() { m.OnSessionCreated(session(webhooks.EventSessionCreated)) }},
		{webhooks.EventSessionEnded, func() { m.OnSessionEnded(session(webhooks.EventSessionEnded)) }},
		{webhooks.EventSessionRemoved, func() { m.OnSessionRemoved(session(webhooks.EventSessionRemoved)) }},
		{webhooks.EventSessionRevoked, func() { m.OnSessionRevoked(session(webhooks.EventSessionRevoked)) }},
		{webhooks.EventSessionPending, func() { m.OnSessionPending(session(webhooks.EventSessionPending)) }},
		{webhooks.EventOrganizationCreated, func() { m.OnOrganizationCreated(org(webhooks.EventOrganizationCreated)) }},
		{webhooks.EventOrganizationUpdated, func() { m.OnOrganizationUpdated(org(webhooks.EventOrganizationUpdated)) }},
		{webhooks.EventOrganizationDeleted, func() { m.OnOrganizationDeleted(deleted(webhooks.EventOrganizationDeleted)) }},
		{webhooks.EventOrganizationMembershipCreated, func() { m.OnOrganizationMembershipCreated(mem(webhooks.EventOrganizationMembershipCreated)) }},
		{webhooks.EventOrganizationMembershipUpdated, func() { m.OnOrganizationMembershipUpdated(mem(webhooks.EventOrganizationMembershipUpdated)) }},
		{webhooks.EventOrganizationMembershipDeleted, func() { m.OnOrganizationMembershipDeleted(mem(webhooks.EventOrganizationMembershipDeleted)) }},
		{webhooks.EventOrganizationInvitationCreated, func() { m.OnOrganizationInvitationCreated(inv(webhooks.EventOrganizationInvitationCreated)) }},
		{webhooks.EventOrganizationInvitationAccepted, func() { m.OnOrganizationInvitationAccepted(inv(webhooks.EventOrganizationInvitationAccepted)) }},
		{webhooks.EventOrganizationInvitationRevoked, func() { m.OnOrganizationInvitationRevoked(inv(webhooks.EventOrganizationInvitationRevoked)) }},
		{webhooks.EventRoleCreated, func() { m.OnRoleCreated(role(webhooks.EventRoleCreated)) }},
		{webhooks.EventRoleUpdated, func() { m.OnRoleUpdated(role(webhooks.EventRoleUpdated)) }},
		{webhooks.EventRoleDeleted, func() { m.OnRoleDeleted(deleted(webhooks.EventRoleDeleted)) }},
		{webhooks.EventPermissionCreated, func() { m.OnPermissionCreated(perm(webhooks.EventPermissionCreated)) }},
		{webhooks.EventPermissionUpdated, func() { m.OnPermissionUpdated(perm(webhooks.EventPermissionUpdated)) }},
		{webhooks.EventPermissionDeleted, func() { m.OnPermissionDeleted(deleted(webhooks.EventPermissionDeleted)) }},
		{webhooks.EventEmailCreated, func() {
			m.OnEmailCreated(func(_ context.Context, e *webhooks.Email) error { return rec(webhooks.EventEmailCreated)(e.ID) })
		}},
		{webhooks.EventSMSCreated, func() {
			m.OnSMSCreated(func(_ context.Context, e *webhooks.SMS) error { return rec(webhooks.EventSMSCreated)(e.ID) })
		}},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			got = nil
			tc.register()
			res := deliver(t, m, "msg_"+tc.typ, event(tc.typ, `{"id":"obj_1","object":"x","deleted":true}`))
			if res.Code != 200 || decodeAnswer(t, res).Status != "processed" {
				t.Fatalf("%d %s", res.Code, res.Body)
			}
			if len(got) != 1 || got[0] != tc.typ+"=obj_1" {
				t.Fatalf("calls %v", got)
			}
		})
	}
	t.Run("NilPanics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Fatal("no panic")
			}
		}()
		m.OnUserCreated(nil)
	})
}

// A bad argument is an error from Handler, as from NewVerifier: never a
// panic, never a Mux.
func TestHandlerConfigurationErrors(t *testing.T) {
	v := newVerifier(t, t0)
	for _, tc := range []struct {
		name string
		v    *webhooks.Verifier
		opt  webhooks.HandlerOption
		want string
	}{
		{"NilVerifier", nil, nil, "nil *Verifier"},
		{"NegativeBodyLimit", v, webhooks.WithMaxBodyBytes(-1), "WithMaxBodyBytes"},
		{"NegativeInFlightWait", v, webhooks.WithInFlightWait(-time.Second), "WithInFlightWait"},
		{"NilLogger", v, webhooks.WithLogger(nil), "logger must not be nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := webhooks.Handler(tc.v, tc.opt)
			if err == nil || m != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Handler = %v, %v; want no Mux and an error saying %q", m, err, tc.want)
			}
		})
	}
	t.Run("ZeroValuesKeepDefaults", func(t *testing.T) {
		m, err := webhooks.Handler(v, nil, webhooks.WithMaxBodyBytes(0), webhooks.WithInFlightWait(0), webhooks.WithDeduplicator(nil))
		if err != nil || m == nil {
			t.Fatalf("Handler = %v, %v", m, err)
		}
	})
}

// Every rejected delivery is logged with its reason and svix-id, and never
// with the body, a signature or the secret.
func TestHandlerLogsRejections(t *testing.T) {
	const body = `{"type":"user.created","secret_marker":"do-not-log"}`
	sig := newSigner(t).Signature("msg_rejected", t0, []byte(body))
	old := newSigner(t).Signature("msg_old", t0.Add(-time.Hour), []byte(body))
	for _, tc := range []struct {
		name, method string
		header       http.Header
		status       int
		reason       string
		id           string
	}{
		{"BadSignature", http.MethodPost, headers("msg_rejected", vecTS, "v1,AAAA"+sig[7:]), 400, "invalid-signature", "msg_rejected"},
		{"TooOld", http.MethodPost, headers("msg_old", vecTS-3600, old), 400, "timestamp-too-old", "msg_old"},
		{"MissingHeaders", http.MethodPost, http.Header{"Svix-Id": {"msg_partial"}}, 400, "missing-headers", "msg_partial"},
		{"WebhookID", http.MethodPost, http.Header{"Webhook-Id": {"msg_std"}}, 400, "missing-headers", "msg_std"},
		{"LongIDCut", http.MethodPost, http.Header{"Svix-Id": {strings.Repeat("x", 5000)}}, 400, "missing-headers", strings.Repeat("x", webhooks.MaxIDLength)},
		{"Method", http.MethodGet, headers("msg_get", vecTS, sig), 405, "method-not-allowed", "msg_get"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			m := newMux(t, webhooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			req := httptest.NewRequest(tc.method, "/", strings.NewReader(body))
			req.Header = tc.header
			rec := httptest.NewRecorder()
			m.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			var rec1 struct {
				Level, Msg, Reason string
				Status             int
				SvixID             string `json:"svix_id"`
			}
			if err := json.Unmarshal(logs.Bytes(), &rec1); err != nil {
				t.Fatalf("want one JSON log record, got %q: %v", logs.String(), err)
			}
			if rec1.Level != "WARN" || rec1.Msg != "webhooks: delivery rejected" || rec1.Reason != tc.reason || rec1.Status != tc.status || rec1.SvixID != tc.id {
				t.Errorf("log record %+v, want WARN reason %s status %d svix_id %.20s…", rec1, tc.reason, tc.status, tc.id)
			}
			for _, secret := range []string{"do-not-log", sig[3:], old[3:], vecSecret[6:]} {
				if strings.Contains(logs.String(), secret) {
					t.Errorf("the log holds the body, a signature or the secret: %s", logs.String())
				}
			}
		})
	}
}
