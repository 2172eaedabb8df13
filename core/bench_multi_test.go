package core_test

import (
	"context"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// BenchmarkMultiCached compares a cached-token request through one instance
// with the same request through NewMulti (behaviour.md §12.6): the token of
// the first instance and of the second. Sub-benchmarks run interleaved:
//
//	go test -run '^$' -bench MultiCached -benchmem -benchtime 200ms -count 3 ./core
func BenchmarkMultiCached(b *testing.B) {
	ms := newMultiIssuers(b)
	a, bb := instance(b, ms.a), instance(b, ms.b)
	m, err := core.NewMulti(a, bb)
	if err != nil {
		b.Fatal(err)
	}
	s := clerktest.Session{OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create", "org:invoices:read"}, TTL: 1 << 40}
	tokA, tokB := ms.a.Mint(s), ms.b.Mint(s)
	for _, bc := range []struct {
		name string
		auth *core.Authorizer
		tok  string
	}{
		{"single/A", a, tokA},
		{"multi/A", m, tokA},
		{"single/B", bb, tokB},
		{"multi/B", m, tokB},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := req("Bearer "+bc.tok, "")
			ctx := context.Background()
			if _, err := bc.auth.Authenticate(ctx, r); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := bc.auth.Authenticate(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
