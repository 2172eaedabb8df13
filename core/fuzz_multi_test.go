package core_test

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// FuzzMultiRoute sends arbitrary tokens through NewMulti (behaviour.md
// §12.6): it never panics, and whatever it accepts carries the issuer of the
// instance that verified it.
func FuzzMultiRoute(f *testing.F) {
	ms := newMultiIssuers(f)
	m, err := core.NewMulti(instance(f, ms.a), instance(f, ms.b))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ms.a.Mint(clerktest.Session{UserID: "user_a"}))
	f.Add(ms.b.Mint(clerktest.Session{UserID: "user_b"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = ms.a.IssuerURL() })))
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := m.VerifyToken(t.Context(), tok)
		if err != nil {
			return
		}
		if c.Issuer != ms.a.IssuerURL() && c.Issuer != ms.b.IssuerURL() {
			t.Fatalf("accepted a token of issuer %q", c.Issuer)
		}
	})
}
