package tokencases

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

// ServeJWKS serves a JSON Web Key Set holding keys on an httptest server
// closed with t, and returns its URL.
func ServeJWKS(t testing.TB, keys ...map[string]string) string {
	body, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		t.Fatalf("conformance: %v", err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/.well-known/jwks.json"
}

// RSAJWK is pub as an RS256 JWK under kid.
func RSAJWK(kid string, pub *rsa.PublicKey) map[string]string {
	b64 := base64.RawURLEncoding.EncodeToString
	return map[string]string{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())}
}

var (
	weakOnce sync.Once
	weak     *rsa.PrivateKey
	weakErr  error
)

// weakKey is a 1024-bit RSA key (generated once per test binary): too short
// to be trusted.
func weakKey(t testing.TB) *rsa.PrivateKey {
	weakOnce.Do(func() { weak, weakErr = rsa.GenerateKey(rand.Reader, 1024) })
	if weakErr != nil {
		t.Fatalf("conformance: generating a 1024-bit RSA key: %v", weakErr)
	}
	return weak
}

// Twin starts a second issuer with iss's key, issuer URL and the clock now:
// its tokens verify like iss's, and its JWKS can go down on its own
// (SetJWKSDown) for the key-outage cases of every suite (behaviour.md §2.5).
func Twin(t testing.TB, iss *clerktest.Issuer, now func() time.Time) *clerktest.Issuer {
	return clerktest.Start(t, clerktest.WithClock(now), clerktest.WithKey(iss.KID(), iss.PrivateKey()),
		clerktest.WithIssuerURL(iss.IssuerURL()))
}
