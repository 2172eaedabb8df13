package rpcconformance

import (
	"slices"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// BenchGuard is the guard the RPC adapters' benchmarks apply:
// RequirePermission(clerktest.BenchPermission).
func BenchGuard() core.Guard { return core.RequirePermission(clerktest.BenchPermission) }

// BenchAuthorizer is clerktest.BenchAuthorizer: an Authorizer trusting a
// fresh clerktest issuer (fixed clock, logs discarded) and a session token,
// valid for an hour, that BenchGuard allows for user_bench. The issuer closes
// with b.
func BenchAuthorizer(b *testing.B) (*core.Authorizer, string) { return clerktest.BenchAuthorizer(b) }

// InterleavedBenchmark measures an interceptor's overhead: it calls bare (the
// server without the interceptor) and guarded (the same server with it)
// alternately, b.N times each, and reports the median latency of each
// (bare-µs, guarded-µs), their difference (overhead-µs) and their ratio
// (ratio). Interleaving puts both under the same load, so the ratio holds on
// a shared, noisy machine where two separate benchmarks would not compare.
func InterleavedBenchmark(b *testing.B, bare, guarded func()) {
	bare()
	guarded()
	var tb, tg []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		bare()
		t1 := time.Now()
		guarded()
		t2 := time.Now()
		tb, tg = append(tb, t1.Sub(t0)), append(tg, t2.Sub(t1))
	}
	mb, mg := median(tb), median(tg)
	b.ReportMetric(mb.Seconds()*1e6, "bare-µs")
	b.ReportMetric(mg.Seconds()*1e6, "guarded-µs")
	b.ReportMetric((mg-mb).Seconds()*1e6, "overhead-µs")
	b.ReportMetric(float64(mg)/float64(mb), "ratio")
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
}
