package core

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"log/slog"
	"reflect"
	"testing"
)

// The router of NewMulti is the first instance for everything but
// verification (behaviour.md §12.7): every field of the Authorizer is the
// primary's, except the header cache (a fresh one) and the routing itself. A
// field added to Authorizer and not to NewMulti fails here.
func TestNewMultiCopiesEveryField(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	// Configured so that every field is set: keys, cache, Backend API,
	// issuers, browser sessions of a development instance.
	p, err := New(WithJWTKey(pemKey), WithSecretKey("sk_test_multi"), WithLogger(slog.New(slog.DiscardHandler)),
		WithPublishableKey("pk_test_"+base64.StdEncoding.EncodeToString([]byte("clerk.a.example$"))))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewMulti(p)
	if err != nil {
		t.Fatal(err)
	}
	pv, rv := reflect.ValueOf(p).Elem(), reflect.ValueOf(r).Elem()
	for i := 0; i < pv.NumField(); i++ {
		name := pv.Type().Field(i).Name
		if name == "headers" || name == "multi" {
			continue
		}
		if pv.Field(i).IsZero() {
			t.Errorf("the test leaves Authorizer.%s zero: configure it", name)
		}
		if rv.Field(i).IsZero() {
			t.Errorf("NewMulti does not copy Authorizer.%s", name)
		}
	}
	if r.multi == nil || r.multi.primary != p {
		t.Error("the router does not route to its primary")
	}
}
