package core_test

import (
	"crypto/rsa"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// The browser-session tests (behaviour.md §10) port clerk/javascript's
// packages/backend/src/tokens/__tests__/{request,authenticateContext,
// handshake,handshakeToken}.test.ts and integration/tests/handshake.test.ts:
// each case names its source.

var (
	browserKeyOnce sync.Once
	browserKey     *rsa.PrivateKey
)

// browserEnv is one Clerk instance: an Issuer (JWKS and a fake Backend API
// with the handshake-payload and refresh endpoints), a clock, and an
// Authorizer configured as an SSR app would be.
type browserEnv struct {
	iss   *clerktest.Issuer
	clock *clerktest.Clock
	a     *core.Authorizer
	pk    string
	logs  *syncBuffer

	mu         sync.Mutex
	directives map[string][]string // nonce → directives
	refresh    func(sid string, body map[string]any) (int, any)
	calls      atomic.Int64
	lastQuery  url.Values
}

const frontendHost = "clerk.clerktest.example"

// newBrowserEnv builds a development instance (pk_test_) unless live.
func newBrowserEnv(t *testing.T, live bool, opts ...core.Option) *browserEnv {
	t.Helper()
	key := browserKeyFor(t)
	e := &browserEnv{clock: clerktest.NewClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)), logs: &syncBuffer{},
		directives: map[string][]string{}}
	e.iss = clerktest.Start(t, clerktest.WithClock(e.clock.Now), clerktest.WithKey("ins_browser", key))
	e.pk = e.iss.PublishableKey()
	if live {
		e.pk = "pk_live_" + strings.TrimPrefix(e.pk, "pk_test_")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/clients/handshake_payload", func(w http.ResponseWriter, r *http.Request) {
		e.calls.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+e.iss.SecretKey() {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		e.mu.Lock()
		ds, ok := e.directives[r.URL.Query().Get("nonce")]
		e.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errors":[{"code":"resource_not_found"}]}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"directives": ds})
	})
	mux.HandleFunc("POST /v1/sessions/{sid}/refresh", func(w http.ResponseWriter, r *http.Request) {
		e.calls.Add(1)
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		e.mu.Lock()
		e.lastQuery = r.URL.Query()
		fn := e.refresh
		e.mu.Unlock()
		if fn == nil || r.Header.Get("Authorization") != "Bearer "+e.iss.SecretKey() {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errors":[{"code":"resource_not_found"}]}`))
			return
		}
		status, out := fn(r.PathValue("sid"), body)
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(out)
	})
	e.iss.Handle(mux)
	base := []core.Option{core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithPublishableKey(e.pk),
		core.WithSecretKey(e.iss.SecretKey()), core.WithAPIURL(e.iss.APIURL()), core.WithClock(e.clock.Now),
		core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty),
		core.WithLogger(slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))}
	a, err := core.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	e.a = a
	return e
}

// suffix is the instance's cookie suffix.
func (e *browserEnv) suffix() string { return core.CookieSuffix(e.pk) }

// token mints a session token issued at the clock's now plus iatOffset.
func (e *browserEnv) token(iatOffset, ttl time.Duration) string {
	return e.iss.Mint(clerktest.Session{UserID: "user_1", SessionID: "sess_1", IssuedAt: e.clock.Now().Add(iatOffset), TTL: ttl})
}

// uat is a __client_uat value: the clock's now plus offset, in seconds.
func (e *browserEnv) uat(offset time.Duration) string {
	return itoa(e.clock.Now().Add(offset).Unix())
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// handshakeToken signs a handshake payload with the instance key.
func (e *browserEnv) handshakeToken(directives []string, opts ...clerktest.MintOption) string {
	return e.iss.MintClaims(map[string]any{"handshake": directives}, opts...)
}

// page is a page load: GET, Sec-Fetch-Dest: document, with cookies
// "name=value".
func page(target string, cookies ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.Header.Set("Sec-Fetch-Dest", "document")
	if len(cookies) > 0 {
		r.Header.Set("Cookie", strings.Join(cookies, "; "))
	}
	return r
}

// fetchReq is a fetch from a page's script: Sec-Fetch-Dest: empty.
func fetchReq(target string, cookies ...string) *http.Request {
	r := page(target, cookies...)
	r.Header.Set("Sec-Fetch-Dest", "empty")
	return r
}

// outcome runs the browser flow on r.
func (e *browserEnv) outcome(r *http.Request) (*core.Result, core.Answer) {
	c, ans, err := e.a.AuthenticateBrowser(r.Context(), core.HTTPRequest(r))
	return &core.Result{Claims: c, Err: err}, ans
}

// location parses the Location of ans.
func location(t *testing.T, ans core.Answer) *url.URL {
	t.Helper()
	loc := ans.Header.Get("Location")
	u, err := url.Parse(loc)
	if err != nil || loc == "" {
		t.Fatalf("Location %q does not parse: %v", loc, err)
	}
	return u
}

// wantHandshake checks a handshake redirect with reason hsReason.
func wantHandshake(t *testing.T, ans core.Answer, hsReason string) url.Values {
	t.Helper()
	if ans.Status != http.StatusTemporaryRedirect {
		t.Fatalf("status %d, want 307 handshake (%s); header %v", ans.Status, hsReason, ans.Header)
	}
	u := location(t, ans)
	if got := u.Scheme + "://" + u.Host + u.Path; got != "https://"+frontendHost+"/v1/client/handshake" {
		t.Errorf("handshake URL %s, want https://%s/v1/client/handshake", got, frontendHost)
	}
	q := u.Query()
	if q.Get("__clerk_hs_reason") != hsReason || ans.Header.Get("X-Clerk-Auth-Reason") != hsReason {
		t.Errorf("reason %q / header %q, want %q", q.Get("__clerk_hs_reason"), ans.Header.Get("X-Clerk-Auth-Reason"), hsReason)
	}
	if ans.Header.Get("X-Clerk-Auth-Status") != "handshake" || ans.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v: want X-Clerk-Auth-Status handshake and Cache-Control no-store", ans.Header)
	}
	if q.Get("format") != "nonce" || q.Get("__clerk_api_version") == "" {
		t.Errorf("query %v lacks format=nonce or __clerk_api_version", q)
	}
	return q
}

// wantNoAnswer checks that the request continues with nothing added.
func wantNoAnswer(t *testing.T, ans core.Answer) {
	t.Helper()
	if ans.Stops() || ans.Header != nil {
		t.Fatalf("answer %d %v, want none", ans.Status, ans.Header)
	}
}

func wantSignedOut(t *testing.T, res *core.Result, reason core.Reason) {
	t.Helper()
	if res.SignedIn() || res.Reason() != reason {
		t.Fatalf("signed in %v reason %q (%v), want signed out %q", res.SignedIn(), res.Reason(), res.Err, reason)
	}
}

func wantSignedIn(t *testing.T, res *core.Result) {
	t.Helper()
	if !res.SignedIn() {
		t.Fatalf("signed out: %v, want signed in", res.Err)
	}
}
