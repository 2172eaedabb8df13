package webhooks

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	svix "github.com/svix/svix-webhooks/go"
)

// Limits applied to the signature headers before any cryptographic work. They
// are far above what Svix sends and keep a hostile request cheap.
const (
	// DefaultTolerance is how far the signed timestamp may be from now, on
	// either side, unless WithTolerance says otherwise (behaviour.md §9.2).
	// A timestamp exactly the tolerance away passes.
	DefaultTolerance = 5 * time.Minute
	// MaxIDLength bounds the svix-id header.
	MaxIDLength = 256
	// MaxTimestampLength bounds the svix-timestamp header.
	MaxTimestampLength = 20
	// MaxSignatureHeaderLength bounds the svix-signature header.
	MaxSignatureHeaderLength = 4096
	// MaxSignatures bounds the number of space-separated entries in the
	// svix-signature header (Svix sends one per active secret).
	MaxSignatures = 16
)

const secretPrefix = "whsec_"

// Verifier checks Svix signatures (behaviour.md §9.2) with one signing secret. It is
// safe for concurrent use.
type Verifier struct {
	wh        *svix.Webhook
	clock     func() time.Time
	tolerance time.Duration
}

// NewVerifier returns a Verifier for a Clerk webhook signing secret
// ("whsec_…" from the Clerk Dashboard; the prefix may be omitted). The part
// after the prefix is standard base64, with or without its "=" padding, as
// the Standard Webhooks libraries accept it (behaviour.md §9.2). An empty
// secret, one that is not base64 after the prefix, or a bad option is an
// error; the error never contains the secret.
func NewVerifier(secret string, opts ...VerifierOption) (*Verifier, error) {
	cfg := verifierConfig{clock: time.Now, tolerance: DefaultTolerance}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	secret = strings.TrimSpace(secret)
	raw := strings.TrimPrefix(secret, secretPrefix)
	if raw == "" {
		return nil, errors.New("webhooks: the signing secret is empty")
	}
	key, err := base64.StdEncoding.Strict().DecodeString(raw)
	if err != nil {
		key, err = base64.RawStdEncoding.Strict().DecodeString(raw)
	}
	if err != nil || len(key) == 0 {
		return nil, errors.New("webhooks: the signing secret is malformed (want whsec_ followed by base64)")
	}
	wh, err := svix.NewWebhookRaw(key)
	if err != nil {
		return nil, errors.New("webhooks: the signing secret was refused")
	}
	return &Verifier{wh: wh, clock: cfg.clock, tolerance: cfg.tolerance}, nil
}

// signedHeaders are the three values of one header family.
type signedHeaders struct {
	id, timestamp, signature string
}

// pickHeaders returns the svix-* headers when all three are present, else the
// webhook-* headers (Standard Webhooks) when all three are present.
func pickHeaders(h http.Header) (signedHeaders, bool) {
	s := signedHeaders{header(h, "Svix-Id"), header(h, "Svix-Timestamp"), header(h, "Svix-Signature")}
	if s.id != "" && s.timestamp != "" && s.signature != "" {
		return s, true
	}
	s = signedHeaders{header(h, "Webhook-Id"), header(h, "Webhook-Timestamp"), header(h, "Webhook-Signature")}
	if s.id != "" && s.timestamp != "" && s.signature != "" {
		return s, true
	}
	return signedHeaders{}, false
}

// header returns the first value of the header with the canonical name
// canon. A header map built by hand (http.Header{"svix-id": …}) is not
// canonicalised, so when the canonical key is absent the keys are compared
// case-insensitively.
func header(h http.Header, canon string) string {
	if vs := h[canon]; len(vs) > 0 {
		return vs[0]
	}
	for k, vs := range h {
		if len(vs) > 0 && strings.EqualFold(k, canon) {
			return vs[0]
		}
	}
	return ""
}

// parseTimestamp parses a decimal Unix time in seconds.
func parseTimestamp(s string) (int64, bool) {
	if s == "" || len(s) > MaxTimestampLength {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parseSignatureHeader returns the v1 signatures of a space-separated
// "v1,<base64> v1,<base64>" list. Entries of other versions are skipped.
// It fails on an oversized header, more than MaxSignatures entries, or when no
// v1 entry is left.
func parseSignatureHeader(s string) ([]string, error) {
	if len(s) > MaxSignatureHeaderLength {
		return nil, newError(ReasonInvalidSignature, "signature header too long", nil)
	}
	var sigs []string
	n := 0
	for entry := range strings.FieldsSeq(s) {
		n++
		if n > MaxSignatures {
			return nil, newError(ReasonInvalidSignature, "too many signatures", nil)
		}
		version, sig, ok := strings.Cut(entry, ",")
		if !ok || version != "v1" || sig == "" {
			continue
		}
		// Svix reads only the part up to a further comma.
		sig, _, _ = strings.Cut(sig, ",")
		if sig == "" {
			continue
		}
		sigs = append(sigs, sig)
	}
	if len(sigs) == 0 {
		return nil, newError(ReasonInvalidSignature, "no v1 signature", nil)
	}
	return sigs, nil
}

// Verify checks the Svix signature of a raw request body (behaviour.md §9.2, before any
// JSON parsing: behaviour.md §9.3) with VerifySignature, then decodes the event
// envelope (behaviour.md §9.4) with ParseEvent and sets the Event's ID and SignedAt
// from the headers.
//
// Every failure is an *Error: ErrMissingHeaders, ErrInvalidSignature,
// ErrTimestampTooOld, ErrTimestampTooNew or ErrInvalidPayload.
func (v *Verifier) Verify(payload []byte, h http.Header) (*Event, error) {
	id, signedAt, err := v.VerifySignature(payload, h)
	if err != nil {
		return nil, err
	}
	ev, err := ParseEvent(payload)
	if err != nil {
		return nil, err
	}
	// The id outlives the request (handlers, the deduplicator's memory):
	// copy it, in case the header string aliases a buffer the server reuses
	// for the next request (fasthttp-based frameworks such as fiber do).
	ev.ID = strings.Clone(id)
	ev.SignedAt = signedAt
	return ev, nil
}

// VerifySignature checks the signature and timestamp of payload only, and
// returns the message id and the signed time. It accepts the svix-id,
// svix-timestamp and svix-signature headers or their webhook-* equivalents
// (Standard Webhooks); when the three svix-* headers are not all present, the
// three webhook-* ones are used.
//
// Headers are bounded (MaxIDLength, MaxTimestampLength,
// MaxSignatureHeaderLength, MaxSignatures) before any HMAC is computed. The
// HMAC-SHA256 comparison is done by the Svix library
// (github.com/svix/svix-webhooks/go), in constant time; any listed v1
// signature may match, so secret rotation works. The signature is checked
// first, then the timestamp must be within the tolerance of the Verifier's
// clock (DefaultTolerance unless WithTolerance; both edges included: exactly
// the tolerance passes, anything beyond fails).
// Header names are matched case-insensitively, also in a hand-built
// http.Header whose keys are not canonical.
//
// Failures are ErrMissingHeaders, ErrInvalidSignature, ErrTimestampTooOld or
// ErrTimestampTooNew.
func (v *Verifier) VerifySignature(payload []byte, h http.Header) (id string, signedAt time.Time, err error) {
	hs, ok := pickHeaders(h)
	if !ok {
		return "", time.Time{}, newError(ReasonMissingHeaders, "svix-id, svix-timestamp or svix-signature is missing", nil)
	}
	if len(hs.id) > MaxIDLength {
		return "", time.Time{}, newError(ReasonMissingHeaders, "message id header too long", nil)
	}
	ts, ok := parseTimestamp(hs.timestamp)
	if !ok {
		return "", time.Time{}, newError(ReasonMissingHeaders, "timestamp header is not a Unix time", nil)
	}
	sigs, err := parseSignatureHeader(hs.signature)
	if err != nil {
		return "", time.Time{}, err
	}
	norm := http.Header{
		"Svix-Id":        {hs.id},
		"Svix-Timestamp": {hs.timestamp},
		"Svix-Signature": {"v1," + strings.Join(sigs, " v1,")},
	}
	if err := v.wh.VerifyIgnoringTimestamp(payload, norm); err != nil {
		// The library's error texts carry no secret material, but the
		// detail stays ours and fixed.
		return "", time.Time{}, newError(ReasonInvalidSignature, "no signature matched", nil)
	}
	// Compared at full clock precision, as the Svix libraries do: exactly
	// the tolerance away passes, a nanosecond more fails.
	now := v.clock()
	signedAt = time.Unix(ts, 0)
	switch {
	case now.Sub(signedAt) > v.tolerance:
		return "", time.Time{}, newError(ReasonTimestampTooOld, "timestamp older than the tolerance", nil)
	case signedAt.Sub(now) > v.tolerance:
		return "", time.Time{}, newError(ReasonTimestampTooNew, "timestamp further in the future than the tolerance", nil)
	}
	return hs.id, signedAt, nil
}
