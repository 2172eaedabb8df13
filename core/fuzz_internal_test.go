package core

import (
	"strings"
	"testing"
)

// FuzzTokenFromHeader: behaviour.md §1.1 parsing of the Authorization header.
func FuzzTokenFromHeader(f *testing.F) {
	f.Add("Bearer abc.def.ghi")
	f.Add("bearer   x")
	f.Add("Basic dXNlcg==")
	f.Add("token-without-space")
	f.Add("Bearer ")
	f.Add("Bearer")
	f.Add("BEARER BEARER")
	f.Fuzz(func(t *testing.T, v string) {
		tok := tokenFromHeader(v)
		if tok != strings.TrimSpace(tok) {
			t.Fatalf("token %q not trimmed", tok)
		}
		if tok != "" && !strings.Contains(v, tok) {
			t.Fatalf("token %q not from %q", tok, v)
		}
		scheme, _, found := strings.Cut(strings.TrimSpace(v), " ")
		if found && !strings.EqualFold(scheme, "bearer") && tok != "" {
			t.Fatalf("scheme %q yielded a token", scheme)
		}
		// behaviour.md §1.1: Bearer with empty credentials is no token. (The
		// word as credentials, "Bearer Bearer", is a token: a malformed one.)
		if strings.EqualFold(strings.TrimSpace(v), "bearer") && tok != "" {
			t.Fatalf("%q yielded the scheme %q as the token", v, tok)
		}
	})
}
