package usersync_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

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
// from the Backend API (here clerktest's fake, on the Issuer's URL); later
// requests with the same token do not run it at all. A user Clerk does not
// know is refused with 401 identity-not-found, not 503.
func ExampleProvisioner() {
	dir, _ := os.MkdirTemp("", "usersync-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := usersync.Open(ctx, filepath.Join(dir, "app.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()

	iss, _ := clerktest.NewIssuer() // stands in for Clerk; in production: the real environment
	defer iss.Close()
	backend := clerktest.NewBackend(clerktest.WithBackendSecretKey(iss.SecretKey()))
	backend.AddUser(clerktest.User{ID: "user_1", Email: "ada@example.com"})
	iss.Handle(backend)
	env := map[string]string{"CLERK_SECRET_KEY": iss.SecretKey(), "CLERK_API_URL": iss.APIURL()} // os.Getenv in production

	cfg, err := usersync.ClientConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		panic(err)
	}
	prov, err := usersync.NewProvisioner(store, usersync.WithClientConfig(cfg))
	if err != nil {
		panic(err)
	}
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
	fmt.Println("Backend API calls:", backend.Requests())

	_, err = auth.VerifyToken(ctx, iss.Mint(clerktest.Session{UserID: "user_unknown", TTL: time.Minute}))
	fmt.Println(core.ReasonOf(err), core.ReasonOf(err).Status())
	// Output:
	// user_1 ada@example.com
	// user_1 ada@example.com
	// user_1 ada@example.com
	// Backend API calls: 1
	// identity-not-found 401
}

// Import the users and organizations that existed before the webhooks,
// here from clerktest's fake Backend API.
func ExampleBackfill() {
	dir, _ := os.MkdirTemp("", "usersync-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := usersync.Open(ctx, filepath.Join(dir, "app.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()

	api := clerktest.NewBackend(clerktest.WithBackendSecretKey("sk_test_example"))
	api.AddUser(clerktest.User{ID: "user_1"})
	api.AddOrganization(clerktest.Organization{ID: "org_1"})
	api.AddMembership(clerktest.Membership{OrganizationID: "org_1", UserID: "user_1"})
	backend := httptest.NewServer(api)
	defer backend.Close()
	cfg, err := usersync.ClientConfigFromEnv(func(k string) string {
		return map[string]string{"CLERK_SECRET_KEY": "sk_test_example", "CLERK_API_URL": backend.URL}[k]
	})
	if err != nil {
		panic(err)
	}
	st, err := usersync.Backfill(ctx, store, usersync.WithBackfillClientConfig(cfg), usersync.WithBackfillLogger(quiet))
	fmt.Printf("%+v %v\n", st, err)
	st, err = usersync.Backfill(ctx, store, usersync.WithBackfillClientConfig(cfg), usersync.WithBackfillLogger(quiet))
	fmt.Printf("run again: %+v %v\n", st, err)
	// Output:
	// {Users:1 Organizations:1 Memberships:1 Pages:3} <nil>
	// run again: {Users:0 Organizations:0 Memberships:0 Pages:0} <nil>
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
