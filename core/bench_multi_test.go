package core_test

import (
	"context"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// BenchmarkMultiCachedRatio interleaves batches of cached-token requests
// through the instance alone and through NewMulti (behaviour.md §12.8), so
// that a noisy machine slows both alike, and reports each side's ns/request
// and their ratio (multi/single) for the first and the second instance's
// token:
//
//	go test -run '^$' -bench MultiCachedRatio -benchtime 300ms -count 10 -cpu 1 ./core
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
