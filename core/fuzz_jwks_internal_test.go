package core

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"testing"
)

// FuzzParseJWKS: a JWKS response is untrusted input (behaviour.md §2.6).
// Parsing never panics, fails when it keeps no key, and keeps only RSA keys
// whose use is absent or "sig" and whose alg is absent or RS256/RS384/RS512,
// each under the kid it was published with.
func FuzzParseJWKS(f *testing.F) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	n, e := b64(key.N.Bytes()), b64(big.NewInt(int64(key.E)).Bytes())
	jwk := func(extra string) string {
		return `{"kty":"RSA","kid":"k1","n":"` + n + `","e":"` + e + `"` + extra + `}`
	}
	for _, s := range []string{
		`{"keys":[` + jwk(`,"use":"sig","alg":"RS256"`) + `]}`,
		`{"keys":[` + jwk(``) + `,` + jwk(`,"use":"enc"`) + `]}`,
		`{"keys":[` + jwk(`,"alg":"PS256"`) + `]}`,
		`{"keys":[` + jwk(`,"use":"SIG","alg":"rs256"`) + `]}`,
		`{"keys":[{"kty":"EC","kid":"e","crv":"P-256","x":"AA","y":"AA"}]}`,
		`{"keys":[` + jwk(`,"use":1`) + `]}`,
		`{"keys":{}}`, `{}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		keys, byKID, err := parseJWKS(body)
		if err != nil {
			if keys != nil || byKID != nil {
				t.Fatal("keys returned with an error")
			}
			return
		}
		if len(keys) == 0 {
			t.Fatal("no usable key but no error")
		}
		// The same member matching as the parser (encoding/json's), with
		// use and alg of any type.
		var set struct {
			Keys []struct {
				KID string `json:"kid"`
				Use any    `json:"use"`
				Alg any    `json:"alg"`
			} `json:"keys"`
		}
		if err := json.Unmarshal(body, &set); err != nil {
			t.Fatalf("parsed a body encoding/json refuses: %v", err)
		}
		published := map[string]bool{}
		for _, k := range set.Keys {
			if (k.Use == nil || k.Use == "" || k.Use == "sig") && (k.Alg == nil || k.Alg == "" || k.Alg == "RS256" || k.Alg == "RS384" || k.Alg == "RS512") {
				published[k.KID] = true
			}
		}
		for kid, k := range byKID {
			if k == nil {
				t.Fatalf("kid %q maps to a nil key", kid)
			}
			if !published[kid] {
				t.Fatalf("kid %q kept although no signing RS* JWK publishes it", kid)
			}
		}
	})
}
