package rpcconformance

import (
	"log/slog"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

const (
	multiIssuerA = "https://clerk.a.conformance.test"
	multiIssuerB = "https://clerk.b.conformance.test"
	strangerIss  = "https://clerk.stranger.conformance.test"
)

// multiEnv is a server whose Authorizer is core.NewMulti over two instances
// signing under the same kid with different keys, each with a private JWKS.
func (s *suite) multiEnv(t *testing.T) (*env, *clerktest.Issuer, *clerktest.Issuer) {
	t.Helper()
	fx := s.fx
	a := clerktest.Start(t, clerktest.WithClock(fx.Clock.Now), clerktest.WithKey(fx.Issuer.KID(), fx.Issuer.PrivateKey()), clerktest.WithIssuerURL(multiIssuerA))
	b := clerktest.Start(t, clerktest.WithClock(fx.Clock.Now), clerktest.WithKey(fx.Issuer.KID(), fx.Foreign), clerktest.WithIssuerURL(multiIssuerB))
	e := s.newEnv(t, envConfig{
		base:      []core.Option{core.WithJWKSURL(a.JWKSURL()), core.WithIssuer(multiIssuerA)},
		instances: [][]core.Option{{core.WithJWKSURL(b.JWKSURL()), core.WithIssuer(multiIssuerB), core.WithClock(fx.Clock.Now)}},
	})
	return e, a, b
}

// withMulti wraps primary and further instances (each given logger) in
// core.NewMulti.
func withMulti(t *testing.T, primary *core.Authorizer, extra [][]core.Option, logger *slog.Logger) *core.Authorizer {
	t.Helper()
	all := []*core.Authorizer{primary}
	for _, opts := range extra {
		in, err := core.New(append(append([]core.Option{}, opts...), core.WithLogger(logger))...)
		if err != nil {
			t.Fatalf("rpcconformance: core.New (instance): %v", err)
		}
		all = append(all, in)
	}
	m, err := core.NewMulti(all...)
	if err != nil {
		t.Fatalf("rpcconformance: core.NewMulti: %v", err)
	}
	return m
}

// multiCases cover behaviour.md §12.5–12.6 through the interceptors: unary
// and streaming calls, two instances, one unchanged interceptor.
func multiCases() []tcase {
	return []tcase{
		{"RoutesByIssuer", func(t *testing.T, s *suite) {
			e, a, b := s.multiEnv(t)
			for _, svc := range []string{svcProbe, svcStream} {
				e.expectSignedIn(e.call(svc+"Auth", bearer(a.Mint(clerktest.Session{UserID: "user_a"}))), "behaviour.md §12.6: the first instance's token", "user_a")
				e.expectSignedIn(e.call(svc+"Auth", bearer(b.Mint(clerktest.Session{UserID: "user_b"}))), "behaviour.md §12.6: the second instance's token", "user_b")
			}
		}},
		{"UnknownIssuerNoFetch", func(t *testing.T, s *suite) {
			e, a, b := s.multiEnv(t)
			tok := a.Mint(clerktest.Session{UserID: "user_x"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = strangerIss }))
			e.expectRejected(e.call(svcProbe+"Auth", bearer(tok)), "behaviour.md §12.6: an issuer of no instance", core.ReasonTokenInvalidIssuer, core.RequireAuth())
			if n := a.JWKSRequests() + b.JWKSRequests(); n != 0 {
				t.Errorf("behaviour.md §12.6: %d JWKS requests for an issuer of no instance, want none", n)
			}
		}},
		{"NoCrossInstanceKeys", func(t *testing.T, s *suite) {
			e, a, b := s.multiEnv(t)
			e.expectSignedIn(e.call(svcProbe+"Auth", bearer(b.Mint(clerktest.Session{UserID: "user_b"}))), "behaviour.md §12.6", "user_b")
			forged := a.Mint(clerktest.Session{UserID: "user_x"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = multiIssuerB }))
			e.expectRejected(e.call(svcProbe+"Auth", bearer(forged)), "behaviour.md §12.6: B's keys never verify A's signature, same kid", core.ReasonTokenInvalidSignature, core.RequireAuth())
		}},
	}
}
