package webhooks_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/webhooks"
	"github.com/clerkguard/clerkguard/webhooks/webhookstest"
)

func TestReferenceVector(t *testing.T) {
	// behaviour.md §9.2: the vector's signature is produced by our test signer and
	// accepted by the Verifier (through the svix library).
	if got := newSigner(t).Signature(vecID, t0, []byte(vecBody)); got != vecSig {
		t.Fatalf("behaviour.md §9.2 vector: signer produced %q, want %q", got, vecSig)
	}
	v := newVerifier(t, t0)
	id, at, err := v.VerifySignature([]byte(vecBody), headers(vecID, vecTS, vecSig))
	if err != nil {
		t.Fatalf("behaviour.md §9.2 vector rejected: %v", err)
	}
	if id != vecID || !at.Equal(t0) {
		t.Fatalf("got id %q at %v", id, at)
	}
	// Verify accepts it too: the body is a JSON object without a type, an
	// Event that no handler matches (behaviour.md §9.4: unknown types pass through).
	ev, err := v.Verify([]byte(vecBody), headers(vecID, vecTS, vecSig))
	if err != nil {
		t.Fatalf("behaviour.md §9.2 vector: Verify = %v", err)
	}
	if ev.ID != vecID || !ev.SignedAt.Equal(t0) || ev.Type != "" {
		t.Fatalf("behaviour.md §9.2 vector: event %+v", ev)
	}
	var data map[string]int64
	if err := json.Unmarshal(ev.Raw, &data); err != nil || data["test"] != 2432232314 {
		t.Fatalf("behaviour.md §9.2 vector: raw %s, %v", ev.Raw, err)
	}
	// The webhook-* names verify the same vector.
	std := http.Header{}
	std.Set("webhook-id", vecID)
	std.Set("webhook-timestamp", strconv.Itoa(vecTS))
	std.Set("webhook-signature", vecSig)
	if _, err := v.Verify([]byte(vecBody), std); err != nil {
		t.Fatalf("behaviour.md §9.1 webhook-* vector: %v", err)
	}
	// A wrong body, id, timestamp or secret fails with invalid-signature.
	other, _ := webhooks.NewVerifier("whsec_"+strings.Repeat("A", 32), webhooks.WithClock(fixedClock(t0)))
	for name, check := range map[string]func() error{
		"Body": func() error {
			_, err := v.Verify([]byte(`{"test": 2432232315}`), headers(vecID, vecTS, vecSig))
			return err
		},
		"ID":        func() error { _, err := v.Verify([]byte(vecBody), headers(vecID+"x", vecTS, vecSig)); return err },
		"Timestamp": func() error { _, err := v.Verify([]byte(vecBody), headers(vecID, vecTS-1, vecSig)); return err },
		"Secret":    func() error { _, err := other.Verify([]byte(vecBody), headers(vecID, vecTS, vecSig)); return err },
	} {
		if err := check(); !errors.Is(err, webhooks.ErrInvalidSignature) {
			t.Errorf("behaviour.md §9.2 vector with another %s: %v, want invalid-signature", name, err)
		}
	}
	// One flipped byte of the body fails.
	if _, _, err := v.VerifySignature([]byte(`{"test": 2432232315}`), headers(vecID, vecTS, vecSig)); !errors.Is(err, webhooks.ErrInvalidSignature) {
		t.Fatalf("tampered body: %v, want invalid-signature", err)
	}
}

// padded is the standard base64 of 32 bytes: it ends in one "=".
const padded = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh/+/w=="

func TestNewVerifierSecrets(t *testing.T) {
	for _, tc := range []struct {
		name, secret string
		ok           bool
	}{
		{"Valid", vecSecret, true},
		{"WithoutPrefix", strings.TrimPrefix(vecSecret, "whsec_"), true},
		{"Empty", "", false},
		{"PrefixOnly", "whsec_", false},
		{"Spaces", "   ", false},
		{"NotBase64", "whsec_not*base64!!", false},
		{"Truncated", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", false},
		{"OneCharOver", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwA", false},
		{"Padded", "whsec_" + padded, true},
		{"Unpadded", "whsec_" + strings.TrimRight(padded, "="), true},
		{"OverPadded", "whsec_" + padded + "=", false},
		{"URLAlphabet", "whsec_" + strings.NewReplacer("+", "-", "/", "_").Replace(padded), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := webhooks.NewVerifier(tc.secret)
			if tc.ok != (err == nil) || tc.ok != (v != nil) {
				t.Fatalf("NewVerifier(%q) = %v, %v", tc.secret, v, err)
			}
			if raw := strings.TrimSpace(strings.TrimPrefix(tc.secret, "whsec_")); err != nil && raw != "" && strings.Contains(err.Error(), raw) {
				t.Fatalf("error echoes the secret: %v", err)
			}
		})
	}
}

// A secret without its padding is the same key: a delivery signed with the
// padded secret verifies with the unpadded one (behaviour.md §9.2).
func TestSecretPaddingIsTheSameKey(t *testing.T) {
	s, err := webhookstest.NewSigner("whsec_" + padded)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{padded, strings.TrimRight(padded, "=")} {
		v, err := webhooks.NewVerifier(secret, webhooks.WithClock(fixedClock(t0)))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := v.VerifySignature([]byte(vecBody), s.Headers(vecID, t0, []byte(vecBody))); err != nil {
			t.Errorf("secret %q: %v", secret, err)
		}
	}
}

func TestVerifySignatureHeaders(t *testing.T) {
	body := []byte(vecBody)
	other := newSigner(t).Signature(vecID, t0, []byte("other"))
	many := strings.Repeat("v1,AAAA ", webhooks.MaxSignatures) + vecSig
	for _, tc := range []struct {
		name string
		h    http.Header
		want error // nil: valid
	}{
		{"Single", headers(vecID, vecTS, vecSig), nil},
		{"SecondOfTwo", headers(vecID, vecTS, other+" "+vecSig), nil},
		{"FirstOfTwo", headers(vecID, vecTS, vecSig+" "+other), nil},
		{"OtherVersionsSkipped", headers(vecID, vecTS, "v1a,xyz v2,"+strings.TrimPrefix(vecSig, "v1,")+" "+vecSig), nil},
		{"ExtraSpaces", headers(vecID, vecTS, "  "+other+"   "+vecSig+" "), nil},
		{"MaxSignatures", headers(vecID, vecTS, strings.Repeat("v1,AAAA ", webhooks.MaxSignatures-1)+vecSig), nil},
		{"TooManySignatures", headers(vecID, vecTS, many), webhooks.ErrInvalidSignature},
		{"TooLong", headers(vecID, vecTS, vecSig+" v1,"+strings.Repeat("A", webhooks.MaxSignatureHeaderLength)), webhooks.ErrInvalidSignature},
		{"NoneMatch", headers(vecID, vecTS, other), webhooks.ErrInvalidSignature},
		{"OnlyOtherVersion", headers(vecID, vecTS, "v2,"+strings.TrimPrefix(vecSig, "v1,")), webhooks.ErrInvalidSignature},
		{"NoComma", headers(vecID, vecTS, strings.TrimPrefix(vecSig, "v1,")), webhooks.ErrInvalidSignature},
		{"EmptySignature", headers(vecID, vecTS, "v1,"), webhooks.ErrInvalidSignature},
		{"WrongID", headers("msg_other", vecTS, vecSig), webhooks.ErrInvalidSignature},
		{"WrongTimestamp", headers(vecID, vecTS+1, vecSig), webhooks.ErrInvalidSignature},
		{"NoHeaders", http.Header{}, webhooks.ErrMissingHeaders},
		{"NilHeader", nil, webhooks.ErrMissingHeaders},
		{"MissingID", func() http.Header { h := headers(vecID, vecTS, vecSig); h.Del("svix-id"); return h }(), webhooks.ErrMissingHeaders},
		{"MissingTimestamp", func() http.Header { h := headers(vecID, vecTS, vecSig); h.Del("svix-timestamp"); return h }(), webhooks.ErrMissingHeaders},
		{"MissingSignature", func() http.Header { h := headers(vecID, vecTS, vecSig); h.Del("svix-signature"); return h }(), webhooks.ErrMissingHeaders},
		{"IDTooLong", headers(strings.Repeat("m", webhooks.MaxIDLength+1), vecTS, vecSig), webhooks.ErrMissingHeaders},
		{"TimestampNotNumber", func() http.Header {
			h := headers(vecID, vecTS, vecSig)
			h.Set("svix-timestamp", "16142653x0")
			return h
		}(), webhooks.ErrMissingHeaders},
		{"TimestampNegative", func() http.Header {
			h := headers(vecID, vecTS, vecSig)
			h.Set("svix-timestamp", "-1614265330")
			return h
		}(), webhooks.ErrMissingHeaders},
		{"TimestampTooLong", func() http.Header {
			h := headers(vecID, vecTS, vecSig)
			h.Set("svix-timestamp", strings.Repeat("0", 21)+"1614265330")
			return h
		}(), webhooks.ErrMissingHeaders},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := newVerifier(t, t0).VerifySignature(body, tc.h)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("behaviour.md §9.2: want valid, got %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("behaviour.md §9.2: got %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "MfKQ9r8G") {
				t.Fatalf("error echoes the secret: %v", err)
			}
		})
	}
}

func TestVerifyWebhookAliases(t *testing.T) {
	body := []byte(vecBody)
	std := func() http.Header {
		h := http.Header{}
		h.Set("webhook-id", vecID)
		h.Set("webhook-timestamp", strconv.Itoa(vecTS))
		h.Set("webhook-signature", vecSig)
		return h
	}
	for _, tc := range []struct {
		name string
		h    http.Header
		want error
	}{
		{"WebhookOnly", std(), nil},
		{"PartialSvixFallsBack", func() http.Header { h := std(); h.Set("svix-id", "msg_ignored"); return h }(), nil},
		{"SvixWins", func() http.Header {
			h := headers(vecID, vecTS, vecSig)
			h.Set("webhook-id", "msg_other")
			h.Set("webhook-timestamp", "1")
			h.Set("webhook-signature", "v1,AAAA")
			return h
		}(), nil},
		{"MixedFamiliesAreNotCombined", func() http.Header {
			h := http.Header{}
			h.Set("svix-id", vecID)
			h.Set("webhook-timestamp", strconv.Itoa(vecTS))
			h.Set("webhook-signature", vecSig)
			return h
		}(), webhooks.ErrMissingHeaders},
		{"WebhookBadSignature", func() http.Header { h := std(); h.Set("webhook-signature", "v1,AAAA"); return h }(), webhooks.ErrInvalidSignature},
		{"NonCanonicalSvixKeys", http.Header{
			"svix-id":        {vecID},
			"SVIX-TIMESTAMP": {strconv.Itoa(vecTS)},
			"svix-Signature": {vecSig},
		}, nil},
		{"NonCanonicalWebhookKeys", http.Header{
			"webhook-id":        {vecID},
			"webhook-timestamp": {strconv.Itoa(vecTS)},
			"webhook-signature": {vecSig},
		}, nil},
		{"EmptyValues", http.Header{"Svix-Id": {""}, "Svix-Timestamp": {""}, "Svix-Signature": {""}}, webhooks.ErrMissingHeaders},
		{"WebhookMissingID", func() http.Header { h := std(); h.Del("webhook-id"); return h }(), webhooks.ErrMissingHeaders},
		{"WebhookTimestampChanged", func() http.Header { h := std(); h.Set("webhook-timestamp", strconv.Itoa(vecTS-301)); return h }(), webhooks.ErrInvalidSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, _, err := newVerifier(t, t0).VerifySignature(body, tc.h)
			if tc.want == nil {
				if err != nil || id != vecID {
					t.Fatalf("behaviour.md §9.1: got %q, %v", id, err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("behaviour.md §9.1: got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestVerifyTolerance(t *testing.T) {
	for _, tc := range []struct {
		name string
		now  time.Time
		want error
	}{
		{"Exact", t0, nil},
		{"OldAtEdge", t0.Add(5 * time.Minute), nil},
		{"OldInside", t0.Add(5*time.Minute - time.Nanosecond), nil},
		{"OldBeyondEdgeByNanosecond", t0.Add(5*time.Minute + time.Nanosecond), webhooks.ErrTimestampTooOld},
		{"OldBeyondEdgeByMillisecond", t0.Add(5*time.Minute + time.Millisecond), webhooks.ErrTimestampTooOld},
		{"OldBeyondEdge", t0.Add(5*time.Minute + time.Second), webhooks.ErrTimestampTooOld},
		{"NewAtEdge", t0.Add(-5 * time.Minute), nil},
		{"NewInside", t0.Add(-5*time.Minute + time.Nanosecond), nil},
		{"NewBeyondEdgeByNanosecond", t0.Add(-5*time.Minute - time.Nanosecond), webhooks.ErrTimestampTooNew},
		{"NewBeyondEdge", t0.Add(-5*time.Minute - time.Second), webhooks.ErrTimestampTooNew},
		{"VeryNew", t0.Add(-24 * time.Hour), webhooks.ErrTimestampTooNew},
		{"VeryOld", t0.Add(24 * time.Hour), webhooks.ErrTimestampTooOld},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := newVerifier(t, tc.now).VerifySignature([]byte(vecBody), headers(vecID, vecTS, vecSig))
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("behaviour.md §9.2 ±5 min: got %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("Configured", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			now  time.Time
			want error
		}{
			{"OldAtEdge", t0.Add(time.Minute), nil},
			{"OldBeyondEdge", t0.Add(time.Minute + time.Nanosecond), webhooks.ErrTimestampTooOld},
			{"NewAtEdge", t0.Add(-time.Minute), nil},
			{"NewBeyondEdge", t0.Add(-time.Minute - time.Nanosecond), webhooks.ErrTimestampTooNew},
		} {
			t.Run(tc.name, func(t *testing.T) {
				v, err := webhooks.NewVerifier(vecSecret, webhooks.WithClock(fixedClock(tc.now)), webhooks.WithTolerance(time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := v.VerifySignature([]byte(vecBody), headers(vecID, vecTS, vecSig)); tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
					t.Fatalf("WithTolerance(1m): got %v, want %v", err, tc.want)
				}
			})
		}
	})
	t.Run("NotPositiveIsAnError", func(t *testing.T) {
		for _, d := range []time.Duration{0, -time.Nanosecond, -time.Hour} {
			if v, err := webhooks.NewVerifier(vecSecret, webhooks.WithTolerance(d)); err == nil || v != nil {
				t.Errorf("WithTolerance(%s) = %v, %v; want a configuration error", d, v, err)
			}
		}
	})
	t.Run("SignatureCheckedFirst", func(t *testing.T) {
		_, _, err := newVerifier(t, t0.Add(time.Hour)).VerifySignature([]byte(vecBody), headers(vecID, vecTS, "v1,AAAA"))
		if !errors.Is(err, webhooks.ErrInvalidSignature) {
			t.Fatalf("forged old delivery: got %v, want invalid-signature", err)
		}
	})
}

func TestVerifyEvent(t *testing.T) {
	s := newSigner(t)
	ev, err := newVerifier(t, t0).Verify([]byte(userCreated), s.Headers("msg_1", t0, []byte(userCreated)))
	if err != nil {
		t.Fatal(err)
	}
	if ev.ID != "msg_1" || !ev.SignedAt.Equal(t0) || ev.Type != webhooks.EventUserCreated {
		t.Fatalf("event %+v", ev)
	}
	// Re-encoded JSON (same meaning, other bytes) must fail: behaviour.md §9.3.
	reenc := strings.ReplaceAll(userCreated, "\n", "")
	if _, err := newVerifier(t, t0).Verify([]byte(reenc), s.Headers("msg_1", t0, []byte(userCreated))); !errors.Is(err, webhooks.ErrInvalidSignature) {
		t.Fatalf("re-encoded body: %v", err)
	}
}

func TestErrorMatching(t *testing.T) {
	_, _, err := newVerifier(t, t0).VerifySignature([]byte(vecBody), http.Header{})
	var we *webhooks.Error
	if !errors.As(err, &we) || we.Reason != webhooks.ReasonMissingHeaders {
		t.Fatalf("errors.As: %v", err)
	}
	if errors.Is(err, webhooks.ErrInvalidSignature) {
		t.Fatal("matched the wrong sentinel")
	}
	if !strings.HasPrefix(err.Error(), "webhooks: missing-headers") {
		t.Fatalf("Error() = %q", err.Error())
	}
	for reason, sentinel := range map[string]*webhooks.Error{
		"missing-headers":   webhooks.ErrMissingHeaders,
		"invalid-signature": webhooks.ErrInvalidSignature,
		"timestamp-too-old": webhooks.ErrTimestampTooOld,
		"timestamp-too-new": webhooks.ErrTimestampTooNew,
		"invalid-payload":   webhooks.ErrInvalidPayload,
	} {
		if sentinel.Reason != reason || !errors.Is(&webhooks.Error{Reason: reason, Detail: "x"}, sentinel) {
			t.Errorf("sentinel for %s", reason)
		}
	}
}
