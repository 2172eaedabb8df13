package core_test

import (
	"context"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// BenchmarkOpaqueCached measures a success-cache hit for an opaque OAuth
// token, without and with WithAudience (behaviour.md §6.8 checks `aud` on
// every hit; it is decoded once per cached answer), and the last good
// verdict of a known-good token whose budgets are empty (behaviour.md §6.7):
//
//	go test -run '^$' -bench OpaqueCached -benchmem -benchtime 200ms -count 3 ./core
func BenchmarkOpaqueCached(b *testing.B) {
	// run verifies the token once, then once more after each of advances,
	// then measures one more verification per iteration.
	run := func(b *testing.B, mv core.MachineVerification, advances []time.Duration, opts ...core.Option) {
		e := newMachineEnv(b)
		a := e.authorizer(b, append([]core.Option{core.AcceptAnyToken(), core.WithLogger(quietLogger()),
			core.WithMachineVerification(mv)}, opts...)...)
		tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_bench", Audience: "https://api.example.com"})
		ctx := context.Background()
		if _, err := a.VerifyToken(ctx, tok); err != nil {
			b.Fatal(err)
		}
		for _, d := range advances {
			e.clock.Advance(d)
			if _, err := a.VerifyToken(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
		calls := e.iss.BackendCalls()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := a.VerifyToken(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if n := e.iss.BackendCalls(); n != calls {
			b.Fatalf("%d Backend API calls while measuring, want none", n-calls)
		}
	}
	empty := core.MachineVerification{RateBurst: 1, RatePerSecond: 1e-9, ReservedBurst: 1, ReservedPerSecond: 1e-9, CacheTTL: time.Second}
	b.Run("Hit", func(b *testing.B) { run(b, core.MachineVerification{}, nil) })
	b.Run("HitWithAudience", func(b *testing.B) {
		run(b, core.MachineVerification{}, nil, core.WithAudience("https://api.example.com"))
	})
	b.Run("LastGoodVerdict", func(b *testing.B) {
		// The first re-verification spends the reserve; after the second
		// expiry both budgets are empty on every iteration.
		run(b, empty, []time.Duration{2 * time.Second, 2 * time.Second})
	})
}
