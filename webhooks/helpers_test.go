package webhooks_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

// behaviour.md §9.2 vector.
const (
	vecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vecID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vecTS     = 1614265330
	vecBody   = `{"test": 2432232314}`
	vecSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var t0 = time.Unix(vecTS, 0)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func newVerifier(t testing.TB, now time.Time) *webhooks.Verifier {
	t.Helper()
	v, err := webhooks.NewVerifier(vecSecret, webhooks.WithClock(fixedClock(now)))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func newSigner(t testing.TB) *webhookstest.Signer {
	t.Helper()
	s, err := webhookstest.NewSigner(vecSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func headers(id string, ts int64, sig string) http.Header {
	h := http.Header{}
	h.Set("svix-id", id)
	h.Set("svix-timestamp", strconv.FormatInt(ts, 10))
	h.Set("svix-signature", sig)
	return h
}

const userCreated = `{
  "data": {
    "id": "user_29w83sxmDNGwOuEthce5gg56FcC",
    "object": "user",
    "first_name": "Example",
    "last_name": "Example",
    "username": null,
    "image_url": "https://img.clerk.com/xxxxxx",
    "primary_email_address_id": "idn_29w83yL7CwVlJXylYLxcslromF1",
    "email_addresses": [
      {"id": "idn_29w83yL7CwVlJXylYLxcslromF1", "object": "email_address",
       "email_address": "example@example.org",
       "verification": {"status": "verified", "strategy": "ticket"}}
    ],
    "public_metadata": {"plan": "pro"},
    "private_metadata": {},
    "unsafe_metadata": {},
    "created_at": 1654012591514,
    "updated_at": 1654012591835
  },
  "event_attributes": {"http_request": {"client_ip": "0.0.0.0", "user_agent": "Mozilla/5.0"}},
  "instance_id": "ins_123",
  "object": "event",
  "timestamp": 1654012591835,
  "type": "user.created"
}`
