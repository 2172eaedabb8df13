package tokencases

import (
	"log/slog"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Issuers of the multi-instance cases (behaviour.md §12.6) of both suites.
const (
	MultiIssuerA   = "https://clerk.a.conformance.test"
	MultiIssuerB   = "https://clerk.b.conformance.test"
	StrangerIssuer = "https://clerk.stranger.conformance.test"
)

// MultiIssuers starts instance A (signed by the fixture's key) and B (by
// its foreign key), both under the fixture's kid, each with a private JWKS
// whose request count is the caller's alone.
func (f *Fixture) MultiIssuers(t testing.TB) (a, b *clerktest.Issuer) {
	t.Helper()
	kid := f.Issuer.KID()
	a = clerktest.Start(t, clerktest.WithClock(f.Clock.Now), clerktest.WithKey(kid, f.Issuer.PrivateKey()), clerktest.WithIssuerURL(MultiIssuerA))
	b = clerktest.Start(t, clerktest.WithClock(f.Clock.Now), clerktest.WithKey(kid, f.Foreign), clerktest.WithIssuerURL(MultiIssuerB))
	return a, b
}

// Multi wraps primary and further instances, each built from its options
// and logger, in core.NewMulti.
func Multi(t testing.TB, primary *core.Authorizer, extra [][]core.Option, logger *slog.Logger) *core.Authorizer {
	t.Helper()
	all := []*core.Authorizer{primary}
	for _, opts := range extra {
		in, err := core.New(append(append([]core.Option{}, opts...), core.WithLogger(logger))...)
		if err != nil {
			t.Fatalf("conformance: core.New (instance): %v", err)
		}
		all = append(all, in)
	}
	m, err := core.NewMulti(all...)
	if err != nil {
		t.Fatalf("conformance: core.NewMulti: %v", err)
	}
	return m
}
