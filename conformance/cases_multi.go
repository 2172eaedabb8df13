package conformance

import (
	"encoding/base64"
	"net/url"
	"strings"
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

// multiEnv is an application whose Authorizer is core.NewMulti over two
// instances (tokencases.MultiIssuers).
type multiEnv struct {
	*env
	a, b *clerktest.Issuer
}

func (s *suite) newMultiEnv(t *testing.T) *multiEnv {
	t.Helper()
	a, b := s.fx.MultiIssuers(t)
	e := s.newEnv(t, envConfig{
		base: []core.Option{core.WithJWKSURL(a.JWKSURL()), core.WithIssuer(multiIssuerA)},
		instances: [][]core.Option{
			{core.WithJWKSURL(b.JWKSURL()), core.WithIssuer(multiIssuerB), core.WithClock(s.clock.Now)},
		},
	})
	return &multiEnv{env: e, a: a, b: b}
}

// multiCases cover behaviour.md §12.5–12.7 over HTTP: one application
// serving two Clerk instances through core.NewMulti, unchanged adapter.
func multiCases() []tcase {
	return []tcase{
		{Name: "RoutesByIssuer", Run: func(t *testing.T, s *suite) {
			m := s.newMultiEnv(t)
			m.expectSignedIn(m.do(pathAuth, bearer(m.a.Mint(clerktest.Session{UserID: "user_a"}))), "behaviour.md §12.6: a token of the first instance", "user_a")
			m.expectSignedIn(m.do(pathAuth, bearer(m.b.Mint(clerktest.Session{UserID: "user_b"}))), "behaviour.md §12.6: a token of the second instance", "user_b")
			m.expectSignedIn(m.do(pathAuth, cookie(m.b.Mint(clerktest.Session{UserID: "user_c"}))), "behaviour.md §12.6/§12.7: the second instance's token in the cookie", "user_c")
			m.expectProblem(m.do(pathPermission, bearer(m.b.Mint(clerktest.Session{UserID: "user_b"}))), "behaviour.md §12.6: guards apply to every instance's claims", core.ReasonMissingPermission)
		}},
		{Name: "UnknownIssuerNoFetch", Run: func(t *testing.T, s *suite) {
			m := s.newMultiEnv(t)
			tok := m.a.Mint(clerktest.Session{UserID: "user_x"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = strangerIss }))
			m.expectProblem(m.do(pathAuth, bearer(tok)), "behaviour.md §12.6: an issuer of no instance", core.ReasonTokenInvalidIssuer)
			m.expectSignedOut(m.do(pathPublic, bearer(tok)), "behaviour.md §12.6/§7.1", core.ReasonTokenInvalidIssuer)
			if na, nb := m.a.JWKSRequests(), m.b.JWKSRequests(); na+nb != 0 {
				t.Errorf("behaviour.md §12.6: an unknown issuer caused JWKS requests (%d, %d); it must be refused before any key fetch", na, nb)
			}
		}},
		{Name: "NoCrossInstanceKeys", Run: func(t *testing.T, s *suite) {
			m := s.newMultiEnv(t)
			// Warm both key sets and caches first.
			m.expectSignedIn(m.do(pathAuth, bearer(m.a.Mint(clerktest.Session{UserID: "user_a"}))), "behaviour.md §12.6", "user_a")
			m.expectSignedIn(m.do(pathAuth, bearer(m.b.Mint(clerktest.Session{UserID: "user_b"}))), "behaviour.md §12.6", "user_b")
			aAsB := m.a.Mint(clerktest.Session{UserID: "user_x"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = multiIssuerB }))
			bAsA := m.b.Mint(clerktest.Session{UserID: "user_x"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = multiIssuerA }))
			m.expectProblem(m.do(pathAuth, bearer(aAsB)), "behaviour.md §12.6: A's key never verifies a token claiming B, same kid", core.ReasonTokenInvalidSignature)
			m.expectProblem(m.do(pathAuth, bearer(bAsA)), "behaviour.md §12.6: B's key never verifies a token claiming A, same kid", core.ReasonTokenInvalidSignature)
		}},
	}
}

// pkOf is a publishable key of kind (pk_test or pk_live) for a Frontend API
// host.
func pkOf(kind, host string) string {
	return kind + "_" + base64.StdEncoding.EncodeToString([]byte(host+"$"))
}

// issuerCases cover behaviour.md §12.1–12.4 over HTTP: the proxy URL and
// satellite issuers Clerk derives, and refusal before any key fetch.
func issuerCases() []tcase {
	withIss := func(s *suite, iss string) string { return s.withClaims(map[string]any{"iss": iss}) }
	return []tcase{
		{Name: "ProxyURL", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(s.iss.JWKSURL()),
				core.WithPublishableKey(pkOf("pk_live", "clerk.app.conformance.test")), core.WithProxyURL("https://app.conformance.test/__clerk")}})
			e.expectSignedIn(e.do(pathAuth, bearer(withIss(s, "https://app.conformance.test/__clerk"))), "behaviour.md §12.1: the proxy URL is an issuer", defaultUser)
			e.expectSignedIn(e.do(pathAuth, bearer(withIss(s, "https://clerk.app.conformance.test"))), "behaviour.md §12.1: the publishable key's issuer still is", defaultUser)
			e.expectProblem(e.do(pathAuth, bearer(withIss(s, "https://app.conformance.test/__clerk/"))), "behaviour.md §12.1: exact match, no trailing slash", core.ReasonTokenInvalidIssuer)
		}},
		{Name: "Satellite", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(s.iss.JWKSURL()),
				core.WithPublishableKey(pkOf("pk_live", "clerk.primary.conformance.test")),
				core.WithDomain("satellite.conformance.test"), core.WithSatellite(true)}})
			e.expectSignedIn(e.do(pathAuth, bearer(withIss(s, "https://clerk.satellite.conformance.test"))), "behaviour.md §12.2: a production satellite's issuer is clerk.<domain>", defaultUser)
			e.expectProblem(e.do(pathAuth, bearer(withIss(s, "https://clerk.primary.conformance.test"))), "behaviour.md §12.2: not the primary's", core.ReasonTokenInvalidIssuer)
		}},
		{Name: "SatelliteSync", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, true, true, core.WithDomain("satellite.conformance.test"), core.WithSatellite(true))
			opts := []reqOpt{page("__clerk_synced=false")}
			want := e.wantAnswer(pathPage, false, opts...)
			if want.Header.Get("X-Clerk-Auth-Reason") != string(core.ReasonSatelliteCookieNeedsSyncing) ||
				!strings.HasPrefix(want.Header.Get("Location"), "https://clerk.satellite.conformance.test/v1/client/handshake?") {
				t.Fatalf("core: answer %v", want.Header)
			}
			e.expectAnswer(e.do(pathPage, opts...), "behaviour.md §12.13: a satellite page load asking to sync gets the handshake on clerk.<domain>", want)
			e.expectSignedOut(e.do(pathPage, page("__clerk_synced=true")), "behaviour.md §12.13: __clerk_synced=true ends the sync (loop guard)", core.ReasonSessionTokenMissing)
		}},
		{Name: "PrimaryRespondsToSyncing", Run: func(t *testing.T, s *suite) {
			e := s.browserEnv(t, false, true, core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty, "https://satellite.conformance.test"))
			opts := []reqOpt{page("__clerk_redirect_url="+url.QueryEscape("https://satellite.conformance.test/x?__clerk_synced=false"), "__clerk_db_jwt=dvb_1")}
			want := e.wantAnswer(pathPage, false, opts...)
			if want.Header.Get("Location") != "https://satellite.conformance.test/x?__clerk_db_jwt=dvb_1&__clerk_synced=true" {
				t.Fatalf("core: answer %v", want.Header)
			}
			e.expectAnswer(e.do(pathPage, opts...), "behaviour.md §12.13: a development primary sends the browser back to its satellite with __clerk_synced=true", want)
		}},
		{Name: "UnknownIssuerNoFetch", Run: func(t *testing.T, s *suite) {
			private := clerktest.Start(t, clerktest.WithClock(s.clock.Now), clerktest.WithKey(suiteKID, s.iss.PrivateKey()))
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(private.JWKSURL()), core.WithIssuer(private.IssuerURL()),
				core.WithIssuers("https://clerk.migrated.conformance.test")}})
			e.expectProblem(e.do(pathAuth, bearer(withIss(s, strangerIss))), "behaviour.md §12.4: an issuer not accepted", core.ReasonTokenInvalidIssuer)
			if n := private.JWKSRequests(); n != 0 {
				t.Errorf("behaviour.md §12.4: %d JWKS requests for an issuer that is not accepted, want none", n)
			}
			e.expectSignedIn(e.do(pathAuth, bearer(withIss(s, "https://clerk.migrated.conformance.test"))), "behaviour.md §12.3: WithIssuers", defaultUser)
		}},
	}
}
