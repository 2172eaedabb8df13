package clerkotel_test

import (
	"context"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// cachedSetup is an Authorizer (networkless key) with opts and a token it
// has already verified: every further Authenticate is a cache hit.
func cachedSetup(t testing.TB, opts ...core.Option) (*core.Authorizer, core.Request) {
	t.Helper()
	i := issuer(t)
	a, err := core.New(append([]core.Option{core.WithJWTKey(i.PublicKeyPEM()), core.WithIssuer(i.IssuerURL()), quiet()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	r := bearer(i.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "org:admin", TTL: 1 << 40}))
	if _, err := a.Authenticate(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return a, r
}

// BenchmarkCached is the budget: the cached path with clerkotel
// (metrics into an SDK MeterProvider, no recording span) against the bare
// one, in the same run:
//
//	go test -run '^$' -bench Cached -benchmem -benchtime 200ms -count 3 ./observability/otel
func BenchmarkCached(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts func(b *testing.B) []core.Option
	}{
		{"Bare", func(*testing.B) []core.Option { return nil }},
		{"Instrumented", func(b *testing.B) []core.Option {
			return []core.Option{core.WithEvents(newTelemetry(b).inst.Observer())}
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			a, r := cachedSetup(b, bc.opts(b)...)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := a.Authenticate(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The allocation half of the budget, checked on every test run: at most 2
// allocations per instrumented cache hit.
func TestCachedAllocs(t *testing.T) {
	a, r := cachedSetup(t, core.WithEvents(newTelemetry(t).inst.Observer()))
	ctx := context.Background()
	if n := testing.AllocsPerRun(500, func() { _, _ = a.Authenticate(ctx, r) }); n > 2 {
		t.Fatalf("%v allocations per instrumented cache hit, want at most 2", n)
	}
}
