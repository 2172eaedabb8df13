// Package webhookstest signs webhook deliveries the way Svix does, for tests
// of code that receives Clerk webhooks (with webhooks.Handler or anything
// else). It is independent of the svix library, so it also serves as a
// second implementation of behaviour.md §9.2 in tests.
package webhookstest

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
)

// Signer signs payloads with one Svix secret.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer for a "whsec_…" secret (the prefix is
// optional; the base64 after it may omit its "=" padding).
func NewSigner(secret string) (*Signer, error) {
	raw := strings.TrimPrefix(secret, "whsec_")
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(raw)
	}
	if err != nil || len(key) == 0 {
		return nil, errors.New("webhookstest: malformed secret")
	}
	return &Signer{key: key}, nil
}

// NewSecret returns a fresh random "whsec_…" secret of 24 bytes.
func NewSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// Signature returns "v1,<base64 HMAC-SHA256 of id.timestamp.payload>".
func (s *Signer) Signature(id string, ts time.Time, payload []byte) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
	m.Write(payload)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Headers returns the svix-id, svix-timestamp and svix-signature headers of a
// delivery.
func (s *Signer) Headers(id string, ts time.Time, payload []byte) http.Header {
	h := http.Header{}
	h.Set("svix-id", id)
	h.Set("svix-timestamp", strconv.FormatInt(ts.Unix(), 10))
	h.Set("svix-signature", s.Signature(id, ts, payload))
	return h
}

// Request returns a signed POST request to target (for httptest).
func (s *Signer) Request(target, id string, ts time.Time, payload []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(payload))
	for k, v := range s.Headers(id, ts, payload) {
		r.Header[k] = v
	}
	r.Header.Set("Content-Type", "application/json")
	return r
}
