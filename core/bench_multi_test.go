package core_test

import (
	"context"
	"testing"
	"time"

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

// BenchmarkMultiCachedRatio interleaves batches of cached-token requests
// through the instance alone and through NewMulti, so that a noisy machine
// slows both alike, and reports each side's ns/request and their ratio
// (multi/single) for the first and the second instance's token.
func BenchmarkMultiCachedRatio(b *testing.B) {
	ms := newMultiIssuers(b)
	a, bb := instance(b, ms.a), instance(b, ms.b)
	m, err := core.NewMulti(a, bb)
	if err != nil {
		b.Fatal(err)
	}
	s := clerktest.Session{OrgID: "org_1", OrgRole: "admin", TTL: 1 << 40}
	for _, bc := range []struct {
		name   string
		single *core.Authorizer
		tok    string
	}{{"A", a, ms.a.Mint(s)}, {"B", bb, ms.b.Mint(s)}} {
		b.Run(bc.name, func(b *testing.B) {
			r := req("Bearer "+bc.tok, "")
			ctx := context.Background()
			for _, x := range []*core.Authorizer{bc.single, m} {
				if _, err := x.Authenticate(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
			const batch = 64
			var single, multi time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			order := [2][]*core.Authorizer{{bc.single, m}, {m, bc.single}}
			for done := 0; done < b.N; done += batch {
				for _, x := range order[(done/batch)%2] { // alternate which goes first
					start := time.Now()
					for range batch {
						if _, err := x.Authenticate(ctx, r); err != nil {
							b.Fatal(err)
						}
					}
					if x == bc.single {
						single += time.Since(start)
					} else {
						multi += time.Since(start)
					}
				}
			}
			n := float64((b.N + batch - 1) / batch * batch)
			b.ReportMetric(float64(single.Nanoseconds())/n, "single-ns/req")
			b.ReportMetric(float64(multi.Nanoseconds())/n, "multi-ns/req")
			b.ReportMetric(float64(multi)/float64(single), "multi/single")
		})
	}
}
