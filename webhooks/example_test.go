package webhooks_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

func ExampleHandler() {
	// In production: webhooks.NewVerifier(os.Getenv("CLERK_WEBHOOK_SIGNING_SECRET")).
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	now := time.Unix(1700000000, 0)
	v, err := webhooks.NewVerifier(secret, webhooks.WithClock(func() time.Time { return now }))
	if err != nil {
		log.Fatal(err)
	}
	h, err := webhooks.Handler(v)
	if err != nil {
		log.Fatal(err)
	}
	h.OnUserCreated(func(ctx context.Context, u *webhooks.User) error {
		ev, _ := webhooks.EventFromContext(ctx)
		fmt.Println("new user", u.ID, u.PrimaryEmail(), "delivery", ev.ID)
		return nil // an error answers 500 and Svix retries
	})
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/clerk", h)

	// What Clerk (Svix) sends:
	body := []byte(`{"type":"user.created","object":"event","timestamp":1700000000000,"data":{"id":"user_1","primary_email_address_id":"idn_1","email_addresses":[{"id":"idn_1","email_address":"ada@example.com"}]}}`)
	signer, _ := webhookstest.NewSigner(secret)
	for range 2 { // the second delivery is a retry of the same message
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, signer.Request("/webhooks/clerk", "msg_1", now, body))
		fmt.Print(rec.Code, " ", rec.Body)
	}
	// Output:
	// new user user_1 ada@example.com delivery msg_1
	// 200 {"status":"processed"}
	// 200 {"status":"duplicate"}
}

func ExampleVerifier_Verify() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	now := time.Unix(1700000000, 0)
	v, _ := webhooks.NewVerifier(secret, webhooks.WithClock(func() time.Time { return now }))

	body := []byte(`{"type":"organization.deleted","object":"event","data":{"id":"org_1","object":"organization","deleted":true}}`)
	signer, _ := webhookstest.NewSigner(secret)
	ev, err := v.Verify(body, signer.Headers("msg_2", now, body))
	if err != nil {
		log.Fatal(err)
	}
	d, _ := ev.Deleted()
	fmt.Println(ev.Type, d.ID, d.Deleted)

	// Six minutes later the same delivery is a replay.
	late, _ := webhooks.NewVerifier(secret, webhooks.WithClock(func() time.Time { return now.Add(6 * time.Minute) }))
	_, err = late.Verify(body, signer.Headers("msg_2", now, body))
	var we *webhooks.Error
	fmt.Println(errors.Is(err, webhooks.ErrTimestampTooOld), errors.As(err, &we) && we.Reason == "timestamp-too-old")
	// Output:
	// organization.deleted org_1 true
	// true true
}

func ExampleNewVerifier() {
	_, err := webhooks.NewVerifier("")
	fmt.Println(err)
	_, err = webhooks.NewVerifier("whsec_not base64!")
	fmt.Println(err)
	// Output:
	// webhooks: the signing secret is empty
	// webhooks: the signing secret is malformed (want whsec_ followed by base64)
}

func ExampleEvent_Decode() {
	// Types without a typed accessor are delivered with raw Data.
	ev, _ := webhooks.ParseEvent([]byte(`{"type":"subscription.created","object":"event","data":{"id":"csub_1","status":"active"}}`))
	var sub struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if err := ev.Decode(&sub); err != nil {
		log.Fatal(err)
	}
	fmt.Println(ev.Family(), sub.ID, sub.Status)
	// Output: subscription csub_1 active
}

func ExampleNewSQLDeduplicator() {
	db := openExampleDB() // a *sql.DB: SQLite here; the dialect comes from the driver you import
	defer db.Close()
	d, err := webhooks.NewSQLDeduplicator(db)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	c1, _ := d.Claim(ctx, "msg_1")
	c2, _ := d.Claim(ctx, "msg_1") // another instance, same delivery, meanwhile
	_ = d.Complete(ctx, "msg_1")
	c3, _ := d.Claim(ctx, "msg_1") // a retry after success
	fmt.Println(c1, c2, c3)

	v, _ := webhooks.NewVerifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if _, err := webhooks.Handler(v, webhooks.WithDeduplicator(d)); err != nil {
		log.Fatal(err)
	}
	// Output: claimed in-flight already-processed
}
