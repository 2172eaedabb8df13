package conformance

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// securityCases cover key handling under attack, as seen over HTTP
// (behaviour.md §2.6, §2.7): a cached token dies with its key, remote keys
// need a kid, non-signing keys never verify, key fetches never follow
// redirects.
func securityCases() []tcase {
	return []tcase{
		{Name: "RotatedOutKeyRejectedAfterTTL", Run: func(t *testing.T, s *suite) {
			e, priv, clock, old := s.cachedThenRotatedOut(t)
			clock.Advance(time.Hour + time.Second) // past the default key-set TTL
			// The refresh that finds the key gone runs in the background:
			// keep asking, for two seconds of real time at most.
			var res response
			for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				res = e.do(pathAuth, bearer(old))
				if res.status != http.StatusOK || time.Now().After(deadline) {
					break
				}
			}
			e.expectProblem(res, "behaviour.md §2.7: once the key set is refreshed after its TTL, a cached token whose key was removed from the JWKS is rejected, however far away its exp", core.ReasonJWKKidMismatch)
			e.expectSignedIn(e.do(pathAuth, bearer(priv.Mint(clerktest.Session{UserID: "user_new_key"}))),
				"behaviour.md §2.7: a token of the new key passes", "user_new_key")
		}},
		{Name: "RotatedOutKeyRejectedAfterNewKidRefetch", Run: func(t *testing.T, s *suite) {
			e, priv, _, old := s.cachedThenRotatedOut(t)
			e.expectSignedIn(e.do(pathAuth, bearer(priv.Mint(clerktest.Session{UserID: "user_new_key"}))),
				"behaviour.md §2.4: a new kid triggers a refetch", "user_new_key")
			e.expectProblem(e.do(pathAuth, bearer(old)),
				"behaviour.md §2.7: after a refresh that no longer publishes its key, a cached token is rejected at its next use", core.ReasonJWKKidMismatch)
		}},
		{Name: "KidlessTokenWithJWKSURL", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.withClaims(nil, clerktest.WithHeader("kid", nil))
			e.expectProblem(e.do(pathAuth, bearer(tok)), "behaviour.md §2.6: with remote keys a token without a kid is rejected", core.ReasonJWKKidMismatch)
			e.expectSignedOut(e.do(pathPublic, bearer(tok)), "behaviour.md §2.6 (the middleware never rejects)", core.ReasonJWKKidMismatch)
		}},
		{Name: "KidlessTokenWithSecretKey", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithSecretKey(s.iss.SecretKey()), core.WithAPIURL(s.iss.APIURL()), core.WithIssuer(s.iss.IssuerURL())}})
			tok := s.withClaims(nil, clerktest.WithHeader("kid", nil))
			e.expectProblem(e.do(pathAuth, bearer(tok)), "behaviour.md §2.6: with Backend API keys a token without a kid is rejected", core.ReasonJWKKidMismatch)
		}},
		{Name: "KidlessTokenWithPEMKey", Run: func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWTKey(s.iss.PublicKeyPEM()), core.WithIssuer(s.iss.IssuerURL())}})
			e.expectSignedIn(e.do(pathAuth, bearer(s.withClaims(nil, clerktest.WithHeader("kid", nil)))),
				"behaviour.md §2.1: a networkless PEM key verifies a token without a kid", defaultUser)
		}},
		{Name: "EncryptionKeyNeverVerifies", Run: func(t *testing.T, s *suite) {
			enc := tokencases.RSAJWK(suiteKID, &s.iss.PrivateKey().PublicKey)
			enc["use"] = "enc"
			jwks := tokencases.ServeJWKS(t, tokencases.RSAJWK("ins_other", &s.foreign.PublicKey), enc)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(jwks), core.WithIssuer(s.iss.IssuerURL())}})
			e.expectProblem(e.do(pathAuth, bearer(s.user(defaultUser))),
				`behaviour.md §2.6: a JWK whose use is not "sig" never verifies (its kid is unknown)`, core.ReasonJWKKidMismatch)
		}},
		{Name: "NonRSAlgKeyNeverVerifies", Run: func(t *testing.T, s *suite) {
			ps := tokencases.RSAJWK(suiteKID, &s.iss.PrivateKey().PublicKey)
			ps["alg"] = "PS256"
			jwks := tokencases.ServeJWKS(t, tokencases.RSAJWK("ins_other", &s.foreign.PublicKey), ps)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(jwks), core.WithIssuer(s.iss.IssuerURL())}})
			e.expectProblem(e.do(pathAuth, bearer(s.user(defaultUser))),
				"behaviour.md §2.6: a JWK whose alg is not RS256/RS384/RS512 never verifies (its kid is unknown)", core.ReasonJWKKidMismatch)
		}},
		{Name: "RedirectingJWKSURL", Run: func(t *testing.T, s *suite) {
			target := s.downIssuer(t) // private: its JWKS request count is ours alone
			redirector := httptest.NewServer(http.RedirectHandler(target.JWKSURL(), http.StatusFound))
			t.Cleanup(redirector.Close)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(redirector.URL + "/.well-known/jwks.json"), core.WithIssuer(s.iss.IssuerURL())}})
			e.expectProblem(e.do(pathAuth, bearer(s.user(defaultUser))),
				"behaviour.md §2.6: a JWKS URL answering a redirect is a key fetch failure (503), never followed", core.ReasonJWKRemoteFailedToLoad)
			if n := target.JWKSRequests(); n != 0 {
				t.Errorf("behaviour.md §2.6: the redirect target was fetched %d times; no key fetch may follow a redirect", n)
			}
		}},
		{Name: "RedirectingBackendAPIKeepsSecretKey", Run: func(t *testing.T, s *suite) {
			var trapped atomic.Int64
			trap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				trapped.Add(1)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(s.iss.JWKS())
			}))
			t.Cleanup(trap.Close)
			api := httptest.NewServer(http.RedirectHandler(trap.URL+"/v1/jwks", http.StatusTemporaryRedirect))
			t.Cleanup(api.Close)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithSecretKey(s.iss.SecretKey()), core.WithAPIURL(api.URL), core.WithIssuer(s.iss.IssuerURL())}})
			e.expectProblem(e.do(pathAuth, bearer(s.user(defaultUser))),
				"behaviour.md §2.6: a Backend API JWKS answering a redirect is a key fetch failure (503)", core.ReasonJWKRemoteFailedToLoad)
			if n := trapped.Load(); n != 0 {
				t.Errorf("behaviour.md §2.6: the redirect target received %d requests; the secret key is sent to the configured URL only", n)
			}
		}},
	}
}

// cachedThenRotatedOut starts an issuer of its own, with its own key and a
// clock starting at the suite's instant (so a case may rotate the key and
// advance time without touching the suite's), and an application trusting
// its JWKS URL. A ten-year token of the issuer's key is verified and cached,
// then the key is rotated out of the JWKS. It returns the application, the
// issuer, the clock and the old token.
func (s *suite) cachedThenRotatedOut(t *testing.T) (*env, *clerktest.Issuer, *clerktest.Clock, string) {
	clock := clerktest.NewClock(s.now())
	priv := clerktest.Start(t, clerktest.WithClock(clock.Now), clerktest.WithIssuerURL(s.iss.IssuerURL()))
	e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(priv.JWKSURL()), core.WithIssuer(priv.IssuerURL())},
		opts: []core.Option{core.WithClock(clock.Now)}})
	old := priv.Mint(clerktest.Session{UserID: "user_old_key", TTL: 10 * 365 * 24 * time.Hour})
	for range 2 {
		e.expectSignedIn(e.do(pathAuth, bearer(old)), "behaviour.md §2.7: a valid ten-year token", "user_old_key")
	}
	if err := priv.Rotate(false); err != nil {
		t.Fatalf("conformance: rotating the key: %v", err)
	}
	return e, priv, clock, old
}
