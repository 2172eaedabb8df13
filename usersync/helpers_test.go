package usersync_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/usersync"
	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver Open uses for postgres:// URLs
	_ "modernc.org/sqlite"             // the "sqlite" driver Open uses for paths
)

var (
	now    = time.Unix(1700000000, 0)
	secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	quiet  = slog.New(slog.NewTextHandler(io.Discard, nil))
)

// postgresURL returns the URL of a real PostgreSQL server (scripts/postgres
// starts one; CI always does). Outside CI a missing server skips the test;
// in CI it fails, so the gap can never hide.
func postgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("CLERKGUARD_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CLERKGUARD_TEST_POSTGRES_URL is not set in CI: .ci/run must start scripts/postgres")
		}
		t.Skip("no PostgreSQL: export CLERKGUARD_TEST_POSTGRES_URL=$(scripts/postgres)")
	}
	return u
}

// freshSchema creates an empty PostgreSQL schema for one test and returns a
// URL whose connections use it.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := postgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "usersync_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	return base + "&search_path=" + schema
}

// database is where a test's Store lives: open returns a new Store (a new
// *sql.DB, as a second instance would have) on the same database.
type database struct {
	name string
	url  string
}

func (d database) open(t testing.TB, opts ...usersync.Option) *usersync.Store {
	t.Helper()
	s, err := usersync.Open(t.Context(), d.url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// eachDatabase runs fn on a fresh SQLite file and a fresh PostgreSQL schema.
func eachDatabase(t *testing.T, fn func(t *testing.T, db database)) {
	t.Run("SQLite", func(t *testing.T) {
		fn(t, database{"sqlite", filepath.Join(t.TempDir(), "usersync.db")})
	})
	t.Run("Postgres", func(t *testing.T) {
		fn(t, database{"postgres", freshSchema(t)})
	})
}

type delivery struct {
	id   string
	body string
}

func ev(id, typ string, ts int64, data string) delivery {
	return delivery{id, fmt.Sprintf(`{"type":%q,"object":"event","timestamp":%d,"instance_id":"ins_1","data":%s}`, typ, ts, data)}
}

// userJSON is a Clerk user object (Backend API and webhook shape).
func userJSON(id, email, first string, updated int64) string {
	return fmt.Sprintf(`{"id":%q,"object":"user","external_id":"ext_%s","first_name":%q,"last_name":"Lovelace","username":null,"image_url":"https://img.test/%s",
"has_image":false,"primary_email_address_id":"idn_%s_1","email_addresses":[{"id":"idn_%s_0","object":"email_address","email_address":"old-%s"},{"id":"idn_%s_1","object":"email_address","email_address":%q}],
"phone_numbers":[],"public_metadata":{"plan":"pro"},"private_metadata":{"stripe":"cus_%s"},"unsafe_metadata":{},"created_at":1000,"updated_at":%d}`,
		id, id, first, id, id, id, email, id, email, id, updated)
}

func orgJSON(id, name string, updated int64) string {
	return fmt.Sprintf(`{"id":%q,"object":"organization","name":%q,"slug":"slug-%s","image_url":"","has_image":false,"max_allowed_memberships":5,
"admin_delete_enabled":true,"public_metadata":{"tier":"gold"},"private_metadata":{"crm":"%s"},"created_by":"user_1","created_at":1000,"updated_at":%d}`, id, name, id, id, updated)
}

func membershipJSON(id, orgID, userID, role string, updated int64) string {
	return fmt.Sprintf(`{"id":%q,"object":"organization_membership","role":%q,"role_name":"R","permissions":[],"public_metadata":{"seat":1},"private_metadata":{"note":"n"},
"organization":{"id":%q,"object":"organization","name":"Org","slug":"o","public_metadata":{},"private_metadata":{},"created_at":1000,"updated_at":1000},
"public_user_data":{"user_id":%q,"first_name":null,"last_name":null,"image_url":"","has_image":false,"identifier":"x@x.test"},"created_at":1500,"updated_at":%d}`, id, role, orgID, userID, updated)
}

func deletedJSON(id, object string) string {
	return fmt.Sprintf(`{"id":%q,"object":%q,"deleted":true}`, id, object)
}

// webhookHandler is the Store's handler with a fixed verification clock.
func webhookHandler(t testing.TB, s *usersync.Store) http.Handler {
	t.Helper()
	v, err := webhooks.NewVerifier(secret, webhooks.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.WebhookHandler(v, webhooks.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var signer = func() *webhookstest.Signer {
	s, err := webhookstest.NewSigner(secret)
	if err != nil {
		panic(err)
	}
	return s
}()

// send delivers d like Svix: retried while the answer is 409 (a duplicate
// in flight). It returns the final status.
func send(t testing.TB, h http.Handler, d delivery) int {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, signer.Request("/webhooks/clerk", d.id, now, []byte(d.body)))
		if rec.Code != http.StatusConflict {
			return rec.Code
		}
		time.Sleep(time.Millisecond)
	}
	t.Errorf("%s: still in flight", d.id)
	return 0
}
