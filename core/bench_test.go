package core_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// The three benchmarks share one token so their ratios mean something:
//
//	go test -run '^$' -bench 'Authenticate|RawRSA' -benchmem -count 5 ./core
//
// BenchmarkRawRSAVerify is the floor: SHA-256 of the signing input plus
// rsa.VerifyPKCS1v15, nothing else.

func benchSetup(b *testing.B, opts ...core.Option) (*clerktest.Issuer, *core.Authorizer, string) {
	b.Helper()
	e := newRuleEnv(b)
	a := e.authorizer(b, append([]core.Option{core.WithLogger(quietLogger())}, opts...)...)
	tok := e.iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create", "org:invoices:read", "org:reports:read"},
		TTL:            1 << 40})
	return e.iss, a, tok
}

// BenchmarkAuthenticateFresh verifies the signature on every iteration (the
// token cache is off): a token seen for the first time.
func BenchmarkAuthenticateFresh(b *testing.B) {
	_, a, tok := benchSetup(b, core.WithTokenCache(0))
	r := req("Bearer "+tok, "")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Authenticate(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticateCached presents the same token again: a cache hit.
func BenchmarkAuthenticateCached(b *testing.B) {
	_, a, tok := benchSetup(b)
	r := req("Bearer "+tok, "")
	ctx := context.Background()
	if _, err := a.Authenticate(ctx, r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Authenticate(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticateCachedPermission adds a v2 permission check.
func BenchmarkAuthenticateCachedPermission(b *testing.B) {
	_, a, tok := benchSetup(b)
	r := req("Bearer "+tok, "")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := a.Authenticate(ctx, r)
		if err != nil || !c.HasPermission("org:reports:read") {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawRSAVerify is the floor for the fresh path.
func BenchmarkRawRSAVerify(b *testing.B) {
	iss, _, tok := benchSetup(b)
	i := strings.LastIndexByte(tok, '.')
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	pub := &iss.PrivateKey().PublicKey
	signing := tok[:i]
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		h := sha256.Sum256([]byte(signing))
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}
