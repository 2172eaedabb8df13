package usersync_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/usersync"
	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

// Keep the tables in step with Clerk's webhooks, then read a row.
func Example() {
	dir, _ := os.MkdirTemp("", "usersync-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := usersync.Open(ctx, filepath.Join(dir, "app.db")) // or a postgres:// URL
	if err != nil {
		panic(err)
	}
	defer store.Close()

	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" // the endpoint's signing secret
	v, err := webhooks.NewVerifier(secret)
	if err != nil {
		panic(err)
	}
	h, err := store.WebhookHandler(v)
	if err != nil {
		panic(err)
	}
	// http.Handle("POST /webhooks/clerk", h)

	// What Clerk sends when a user signs up:
	signer, _ := webhookstest.NewSigner(secret)
	body := `{"type":"user.created","object":"event","timestamp":1700000000000,"data":{"id":"user_1","object":"user",
"first_name":"Ada","primary_email_address_id":"idn_1","email_addresses":[{"id":"idn_1","email_address":"ada@example.com"}],
"public_metadata":{"plan":"pro"},"private_metadata":{},"created_at":1700000000000,"updated_at":1700000000000}}`
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, signer.Request("/webhooks/clerk", "msg_1", time.Now(), []byte(body)))

	u, err := store.User(ctx, "user_1")
	fmt.Println(rec.Code, u.PrimaryEmail, u.FirstName, string(u.PublicMetadata), err)
	// Output: 200 ada@example.com Ada {"plan":"pro"} <nil>
}

// Provision users just in time: one option on the Authorizer, whatever the
// framework adapter. The first request of a user unknown locally fetches it
// from the Backend API (here a stand-in serving Clerk's JSON); later
// requests with the same token do not run it at all.
func ExampleProvisioner() {
	dir, _ := os.MkdirTemp("", "usersync-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := usersync.Open(ctx, filepath.Join(dir, "app.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()

	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("Backend API:", r.Method, r.URL.Path)
		w.Write([]byte(`{"id":"user_1","object":"user","first_name":"Ada","primary_email_address_id":"idn_1",
"email_addresses":[{"id":"idn_1","email_address":"ada@example.com"}],"created_at":1,"updated_at":2}`))
	}))
	defer backend.Close()
	prov, err := usersync.NewProvisioner(store, usersync.WithClientConfig(&clerk.ClientConfig{
		BackendConfig: clerk.BackendConfig{Key: clerk.String("sk_test_…"), URL: clerk.String(backend.URL + "/v1")}}))
	if err != nil {
		panic(err)
	}

	iss, _ := clerktest.NewIssuer() // stands in for Clerk's keys; use core.WithSecretKey in production
	defer iss.Close()
	auth, err := core.New(append(iss.AuthorizerOptions(), prov.Option())...)
	if err != nil {
		panic(err)
	}
	token := iss.Mint(clerktest.Session{UserID: "user_1", TTL: time.Minute})
	for range 3 {
		c, err := auth.VerifyToken(ctx, token)
		if err != nil {
			panic(err)
		}
		u, _ := store.User(ctx, c.UserID())
		fmt.Println(u.ID, u.PrimaryEmail)
	}
	// Output:
	// Backend API: GET /v1/users/user_1
	// user_1 ada@example.com
	// user_1 ada@example.com
	// user_1 ada@example.com
}

// Import the users and organizations that existed before the webhooks.
func ExampleBackfill() {
	dir, _ := os.MkdirTemp("", "usersync-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := usersync.Open(ctx, filepath.Join(dir, "app.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()

	mux := http.NewServeMux() // a stand-in Backend API with one user and no organizations
	mux.HandleFunc("GET /v1/users", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") != "0" {
			w.Write([]byte(`[]`))
			return
		}
		w.Write([]byte(`[{"id":"user_1","object":"user","created_at":1,"updated_at":2}]`))
	})
	mux.HandleFunc("GET /v1/users/count", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"object":"total_count","total_count":1}`))
	})
	mux.HandleFunc("GET /v1/organizations", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":[],"total_count":0}`))
	})
	backend := httptest.NewServer(mux)
	defer backend.Close()

	st, err := usersync.Backfill(ctx, store, usersync.WithPageSize(1), usersync.WithBackfillClientConfig(&clerk.ClientConfig{
		BackendConfig: clerk.BackendConfig{Key: clerk.String("sk_test_…"), URL: clerk.String(backend.URL + "/v1")}}),
		usersync.WithBackfillLogger(quiet))
	fmt.Printf("%+v %v\n", st, err)
	// Output: {Users:1 Organizations:0 Memberships:0 Pages:3} <nil>
}

// Write many objects in one transaction, as Backfill does with a page of
// the Backend API: none of them is visible before all are.
func ExampleStore_Apply() {
	dir, _ := os.MkdirTemp("", "usersync-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := usersync.Open(ctx, filepath.Join(dir, "app.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()

	var b usersync.Batch
	for _, id := range []string{"user_1", "user_2", "user_3"} {
		b.UpsertUser(&webhooks.User{ID: id, UpdatedAt: 1000}, 1000) // the time of the data, in ms
	}
	b.DeleteUser("user_3", 2000) // and its memberships, in the same transaction
	if err := store.Apply(ctx, &b); err != nil {
		panic(err)
	}
	u3, _ := store.User(ctx, "user_3")
	fmt.Println(b.Len(), u3.Deleted())
	// Output: 4 true
}
