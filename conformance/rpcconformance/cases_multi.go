package rpcconformance

import (
	"testing"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

const (
	multiIssuerA = tokencases.MultiIssuerA
	multiIssuerB = tokencases.MultiIssuerB
	strangerIss  = tokencases.StrangerIssuer
)

// multiEnv is a server whose Authorizer is core.NewMulti over two instances
// (tokencases.MultiIssuers).
func (s *suite) multiEnv(t *testing.T) (*env, *clerktest.Issuer, *clerktest.Issuer) {
	t.Helper()
	a, b := s.fx.MultiIssuers(t)
	e := s.newEnv(t, envConfig{
		base:      []core.Option{core.WithJWKSURL(a.JWKSURL()), core.WithIssuer(multiIssuerA)},
		instances: [][]core.Option{{core.WithJWKSURL(b.JWKSURL()), core.WithIssuer(multiIssuerB), core.WithClock(s.fx.Clock.Now)}},
	})
	return e, a, b
}

// multiCases cover behaviour.md §12.5–12.6 through the interceptors: unary
// and streaming calls, two instances, one unchanged interceptor.
func multiCases() []tcase {
	return []tcase{
		{Name: "RoutesByIssuer", Run: func(t *testing.T, s *suite) {
			e, a, b := s.multiEnv(t)
			for _, svc := range []string{svcProbe, svcStream} {
				e.expectSignedIn(e.call(svc+"Auth", bearer(a.Mint(clerktest.Session{UserID: "user_a"}))), "behaviour.md §12.6: the first instance's token", "user_a")
				e.expectSignedIn(e.call(svc+"Auth", bearer(b.Mint(clerktest.Session{UserID: "user_b"}))), "behaviour.md §12.6: the second instance's token", "user_b")
			}
		}},
		{Name: "UnknownIssuerNoFetch", Run: func(t *testing.T, s *suite) {
			e, a, b := s.multiEnv(t)
			tok := a.Mint(clerktest.Session{UserID: "user_x"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = strangerIss }))
			e.expectRejected(e.call(svcProbe+"Auth", bearer(tok)), "behaviour.md §12.6: an issuer of no instance", core.ReasonTokenInvalidIssuer, core.RequireAuth())
			if n := a.JWKSRequests() + b.JWKSRequests(); n != 0 {
				t.Errorf("behaviour.md §12.6: %d JWKS requests for an issuer of no instance, want none", n)
			}
		}},
		{Name: "NoCrossInstanceKeys", Run: func(t *testing.T, s *suite) {
			e, a, b := s.multiEnv(t)
			e.expectSignedIn(e.call(svcProbe+"Auth", bearer(b.Mint(clerktest.Session{UserID: "user_b"}))), "behaviour.md §12.6", "user_b")
			forged := a.Mint(clerktest.Session{UserID: "user_x"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = multiIssuerB }))
			e.expectRejected(e.call(svcProbe+"Auth", bearer(forged)), "behaviour.md §12.6: B's keys never verify A's signature, same kid", core.ReasonTokenInvalidSignature, core.RequireAuth())
		}},
	}
}
