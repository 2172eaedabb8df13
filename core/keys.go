package core

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
)

// minRSABits is the smallest RSA modulus accepted for verification.
const minRSABits = 2048

// keySource resolves the verification key for a token header (behaviour.md §2).
type keySource interface {
	// key returns the key for kid and the key-set generation it was looked
	// up in (0 for a PEM key), or an *Error with a jwk-* reason. Remote keys
	// need a kid (behaviour.md §2.6); a PEM key serves any kid, or none.
	key(ctx context.Context, kid, alg string) (*rsa.PublicKey, uint64, error)
}

// staticKey is the networkless PEM key of behaviour.md §2.1, used for any kid.
type staticKey struct{ pub *rsa.PublicKey }

func (s staticKey) key(context.Context, string, string) (*rsa.PublicKey, uint64, error) {
	return s.pub, 0, nil
}

// parsePublicKey accepts a PEM "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY"
// (PKCS #1) block, or the bare one-line base64 body the Clerk Dashboard shows
// (behaviour.md §2.1). Escaped newlines ("\n" as two characters, as env files often
// hold them) are unescaped. Only RSA keys of at least 2048 bits are accepted.
func parsePublicKey(s string) (*rsa.PublicKey, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, `\n`, "\n"))
	if s == "" {
		return nil, errors.New("key is empty")
	}
	if len(s) > 64<<10 {
		return nil, errors.New("key is too large")
	}
	var der []byte
	isPKCS1 := false
	if block, _ := pem.Decode([]byte(s)); block != nil {
		switch block.Type {
		case "PUBLIC KEY":
		case "RSA PUBLIC KEY":
			isPKCS1 = true
		default:
			return nil, errors.New("PEM block must be a PUBLIC KEY, got " + block.Type)
		}
		der = block.Bytes
	} else {
		body := strings.Join(strings.Fields(s), "")
		var err error
		der, err = base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, errors.New("key is neither PEM nor base64")
		}
	}
	var pub any
	var err error
	if isPKCS1 {
		pub, err = x509.ParsePKCS1PublicKey(der)
	} else {
		pub, err = x509.ParsePKIXPublicKey(der)
		if err != nil {
			if k, err2 := x509.ParsePKCS1PublicKey(der); err2 == nil {
				pub, err = k, nil
			}
		}
	}
	if err != nil {
		return nil, errors.New("key does not parse as an RSA public key")
	}
	rk, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("key is not an RSA public key")
	}
	if rk.N.BitLen() < minRSABits {
		return nil, errors.New("RSA key is shorter than 2048 bits")
	}
	return rk, nil
}
