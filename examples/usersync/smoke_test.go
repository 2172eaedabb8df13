package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func userJSON(id, email string, updated int64) string {
	return fmt.Sprintf(`{"id":%q,"object":"user","first_name":"Ada","last_name":"Lovelace","primary_email_address_id":"idn_1",
"email_addresses":[{"id":"idn_1","object":"email_address","email_address":%q}],"public_metadata":{"plan":"pro"},"private_metadata":{},
"created_at":1000,"updated_at":%d}`, id, email, updated)
}

// fakeClerk is a clerktest Issuer (keys, tokens, /v1/jwks) with clerktest's
// fake Backend API on the same URL, serving user_1. down makes every Backend
// API call fail with 500.
func fakeClerk(t *testing.T) (*clerktest.Issuer, *clerktest.Backend, func(bool)) {
	iss := clerktest.Start(t)
	b := clerktest.NewBackend(clerktest.WithBackendSecretKey(iss.SecretKey()))
	if err := b.AddJSON(userJSON("user_1", "ada@x.test", 2000)); err != nil {
		t.Fatal(err)
	}
	iss.Handle(b)
	down := func(d bool) {
		if d {
			b.Fail(func(*http.Request) int { return http.StatusInternalServerError })
			return
		}
		b.Fail(nil)
	}
	return iss, b, down
}

func get(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func postEvent(t *testing.T, url, id, typ string, ts int64, data string) {
	t.Helper()
	s, _ := webhookstest.NewSigner(secret)
	body := fmt.Sprintf(`{"type":%q,"object":"event","timestamp":%d,"data":%s}`, typ, ts, data)
	req := s.Request(url+"/webhooks/clerk", id, time.Now(), []byte(body))
	req.RequestURI = ""
	resp, err := http.DefaultClient.Do(req.WithContext(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", typ, resp.StatusCode)
	}
}

// smoke runs the program's HTTP surface on a real server: GET /me provisions
// an unknown user just in time, reads webhook updates, needs no Backend API
// call for users the webhooks brought, and answers 503 when provisioning
// fails.
func smoke(t *testing.T, databaseURL string) {
	iss, api, down := fakeClerk(t)
	env := map[string]string{
		"CLERK_WEBHOOK_SIGNING_SECRET": secret,
		"CLERK_SECRET_KEY":             iss.SecretKey(),
		"CLERK_API_URL":                iss.APIURL(),
		"DATABASE_URL":                 databaseURL,
	}
	a, err := newApp(t.Context(), func(k string) string { return env[k] }, quiet, options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.store.Close() })
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)

	if code, _ := get(t, srv.URL+"/healthz", ""); code != http.StatusOK {
		t.Fatalf("healthz %d", code)
	}
	if code, _ := get(t, srv.URL+"/me", ""); code != http.StatusUnauthorized {
		t.Fatalf("GET /me signed out: %d, want 401", code)
	}
	tok := iss.Mint(clerktest.Session{UserID: "user_1", TTL: time.Minute})
	code, me := get(t, srv.URL+"/me", tok)
	if code != http.StatusOK || me["email"] != "ada@x.test" || fmt.Sprint(me["public_metadata"]) != "map[plan:pro]" {
		t.Fatalf("GET /me of a user unknown locally: %d %v, want the row provisioned from the Backend API", code, me)
	}
	postEvent(t, srv.URL, "msg_1", "user.updated", 5000, userJSON("user_1", "ada@new.test", 5000))
	postEvent(t, srv.URL, "msg_2", "organizationMembership.created", 5000, `{"id":"orgmem_1","object":"organization_membership","role":"org:admin",
"organization":{"id":"org_1"},"public_user_data":{"user_id":"user_1"},"created_at":5000,"updated_at":5000}`)
	if code, me := get(t, srv.URL+"/me", tok); code != http.StatusOK || me["email"] != "ada@new.test" || fmt.Sprint(me["organizations"]) != "[org_1]" {
		t.Fatalf("GET /me after webhooks: %d %v", code, me)
	}
	if code, me := get(t, srv.URL+"/me", iss.Mint(clerktest.Session{UserID: "user_unknown", TTL: time.Minute})); code != http.StatusUnauthorized || me["reason"] != "identity-not-found" {
		t.Fatalf("GET /me of a user Clerk does not know: %d %v, want 401 identity-not-found (a permanent condition, not an outage)", code, me)
	}
	before := api.Requests()
	postEvent(t, srv.URL, "msg_3", "user.created", 1000, userJSON("user_2", "bob@x.test", 1000))
	if code, me := get(t, srv.URL+"/me", iss.Mint(clerktest.Session{UserID: "user_2", TTL: time.Minute})); code != http.StatusOK || me["email"] != "bob@x.test" {
		t.Fatalf("GET /me of a webhook-synced user: %d %v", code, me)
	}
	if api.Requests() != before {
		t.Fatalf("%d Backend API calls for a user the webhooks brought, want none", api.Requests()-before)
	}
	down(true)
	if code, _ := get(t, srv.URL+"/me", iss.Mint(clerktest.Session{UserID: "user_3", TTL: time.Minute})); code != http.StatusServiceUnavailable {
		t.Fatalf("GET /me while the Backend API fails: %d, want 503 (fail closed)", code)
	}
}

func TestSmokeSQLite(t *testing.T) {
	smoke(t, "sqlite:"+filepath.Join(t.TempDir(), "usersync.db"))
}

// TestSmokePostgres runs the same program on PostgreSQL (scripts/postgres;
// CI always sets the URL, so the skip below never hides a gap there).
func TestSmokePostgres(t *testing.T) {
	base := os.Getenv("CLERKGUARD_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CLERKGUARD_TEST_POSTGRES_URL is not set in CI: .ci/run must start scripts/postgres")
		}
		t.Skip("no PostgreSQL: export CLERKGUARD_TEST_POSTGRES_URL=$(scripts/postgres)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "example_usersync_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	smoke(t, base+"&search_path="+schema)
}

func TestConfig(t *testing.T) {
	if _, err := newApp(t.Context(), func(string) string { return "" }, quiet, options{}); err == nil || !strings.Contains(err.Error(), "CLERK_WEBHOOK_SIGNING_SECRET") {
		t.Fatalf("started without CLERK_WEBHOOK_SIGNING_SECRET: %v", err)
	}
	env := map[string]string{"CLERK_WEBHOOK_SIGNING_SECRET": secret, "SQLITE_PATH": filepath.Join(t.TempDir(), "x.db")}
	if _, err := newApp(t.Context(), func(k string) string { return env[k] }, quiet, options{}); err == nil {
		t.Fatal("started without any CLERK_* key source")
	}
	for _, tc := range []struct{ env, want string }{
		{"", ":8080"}, {"PORT=9000", ":9000"}, {"ADDR=127.0.0.1:1", "127.0.0.1:1"},
	} {
		k, v, _ := strings.Cut(tc.env, "=")
		if got := listenAddr(func(n string) string { return map[string]string{k: v}[n] }); got != tc.want {
			t.Errorf("listenAddr(%s) = %q, want %q", tc.env, got, tc.want)
		}
	}
	if got := databaseURL(func(string) string { return "" }); got != "usersync.db" {
		t.Errorf("databaseURL default %q", got)
	}
}

// USERSYNC_DEV=1 runs the program against an in-process stand-in for Clerk:
// /dev/token mints a token for a sample user, whose first GET /me
// provisions the row from the fake Backend API.
func TestDevMode(t *testing.T) {
	d, err := startDev()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	env := map[string]string{"SQLITE_PATH": filepath.Join(t.TempDir(), "dev.db"), "CLERK_SECRET_KEY": "sk_live_must_not_be_used"}
	a, err := newApp(t.Context(), d.getenv(func(k string) string { return env[k] }), quiet, options{core: d.iss.AuthorizerOptions(), extra: d.routes})
	if err != nil {
		t.Fatal(err)
	}
	defer a.store.Close()
	srv := httptest.NewServer(a.handler)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/dev/token?user=user_1")
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	code, me := get(t, srv.URL+"/me", strings.TrimSpace(string(tok)))
	if code != http.StatusOK || me["email"] != "ada@example.test" || me["first_name"] != "Ada" {
		t.Fatalf("dev mode GET /me: %d %v, want user_1 provisioned from the fake Backend API", code, me)
	}
	if d.backend.RequestsTo("/v1/users/user_1") != 1 {
		t.Fatalf("dev mode: %d Backend API fetches of user_1, want 1", d.backend.RequestsTo("/v1/users/user_1"))
	}
}
