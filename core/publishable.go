package core

import (
	"encoding/base64"
	"errors"
	"strings"
)

// IssuerFromPublishableKey derives the issuer (the Frontend API URL) from a
// publishable key: pk_test_ or pk_live_ followed by the base64 encoding of
// "<frontend-api-host>$" gives "https://<frontend-api-host>" (behaviour.md §3.8).
func IssuerFromPublishableKey(pk string) (string, error) {
	var body string
	switch {
	case strings.HasPrefix(pk, "pk_test_"):
		body = pk[len("pk_test_"):]
	case strings.HasPrefix(pk, "pk_live_"):
		body = pk[len("pk_live_"):]
	default:
		return "", errors.New("publishable key must start with pk_test_ or pk_live_")
	}
	if body == "" || len(body) > 1024 {
		return "", errors.New("publishable key is malformed")
	}
	raw, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		// Clerk encodes with padding; accept unpadded and URL-safe forms too.
		if raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(body, "=")); err != nil {
			if raw, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(body, "=")); err != nil {
				return "", errors.New("publishable key is not valid base64")
			}
		}
	}
	host, ok := strings.CutSuffix(string(raw), "$")
	if !ok || host == "" || strings.ContainsAny(host, "/$ \t\r\n@?#") {
		return "", errors.New("publishable key does not encode a Frontend API host")
	}
	return "https://" + host, nil
}
