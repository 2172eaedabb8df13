package webhookstest_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

func TestSignerReferenceVector(t *testing.T) {
	s, err := webhookstest.NewSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	got := s.Signature("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if got != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Fatalf("behaviour.md §9.2 vector: %s", got)
	}
}

func TestNewSigner(t *testing.T) {
	for _, tc := range []struct {
		name, secret string
		ok           bool
	}{
		{"Prefixed", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true},
		{"Bare", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true},
		{"Generated", webhookstest.NewSecret(), true},
		{"Padded", "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh/+/w==", true},
		{"Unpadded", "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh/+/w", true},
		{"Empty", "", false},
		{"NotBase64", "whsec_%%%", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := webhookstest.NewSigner(tc.secret); (err == nil) != tc.ok {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if a, b := webhookstest.NewSecret(), webhookstest.NewSecret(); a == b || !strings.HasPrefix(a, "whsec_") {
		t.Fatalf("NewSecret: %q %q", a, b)
	}
}

func ExampleSigner_Request() {
	s, _ := webhookstest.NewSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	r := s.Request("/webhooks/clerk", "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	body, _ := io.ReadAll(r.Body)
	fmt.Println(r.Method, r.URL.Path, string(body))
	fmt.Println(r.Header.Get("svix-id"), r.Header.Get("svix-timestamp"))
	fmt.Println(r.Header.Get("svix-signature"))
	// Output:
	// POST /webhooks/clerk {"test": 2432232314}
	// msg_p5jXN8AQM9LWM0D4loKWxJek 1614265330
	// v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
}
