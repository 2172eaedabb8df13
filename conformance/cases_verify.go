package conformance

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// verifyCase is a table row of verifyCases: a token (built from the suite)
// sent as a bearer token to the RequireAuth route, and the reason it must be
// signed out with ("" means it must pass and reach the handler).
type verifyCase struct {
	name   string
	rule   string
	token  func(s *suite) string
	reason core.Reason
	env    func(s *suite, t *testing.T) envConfig
}

// verifyCases cover SPEC 2 and 3: every reason code reachable over HTTP,
// boundaries on both sides.
func verifyCases() []tcase {
	now := func(s *suite) int64 { return s.now().Unix() }
	times := func(s *suite, iat, nbf, exp int64) map[string]any {
		return map[string]any{"iat": iat, "nbf": nbf, "exp": exp}
	}
	parties := func(*suite, *testing.T) envConfig {
		return envConfig{opts: []core.Option{core.WithAuthorizedParties(suiteParty, "https://second.conformance.example")}}
	}
	rows := []verifyCase{
		{name: "Valid", rule: "SPEC 3", token: func(s *suite) string { return s.user(defaultUser) }},
		{name: "Malformed", rule: "SPEC 3.1: not a JWT", reason: core.ReasonTokenInvalid,
			token: func(*suite) string { return "not-a-jwt-at-all" }},
		{name: "TwoParts", rule: "SPEC 3.1: exactly three parts", reason: core.ReasonTokenInvalid,
			token: func(s *suite) string {
				p := strings.Split(s.user(defaultUser), ".")
				return p[0] + "." + p[1]
			}},
		{name: "FourParts", rule: "SPEC 3.1: exactly three parts", reason: core.ReasonTokenInvalid,
			token: func(s *suite) string { return s.user(defaultUser) + ".AAAA" }},
		{name: "PayloadNotJSON", rule: "SPEC 3.1: JSON payload", reason: core.ReasonTokenInvalid,
			token: func(s *suite) string {
				return s.iss.SignRaw([]byte(`{"alg":"RS256","typ":"JWT","kid":"`+suiteKID+`"}`), []byte("not json"))
			}},
		{name: "HeaderNotJSON", rule: "SPEC 3.1: JSON header", reason: core.ReasonTokenInvalid,
			token: func(s *suite) string { return s.iss.SignRaw([]byte("RS256"), []byte(`{"sub":"user_x"}`)) }},
		{name: "BadBase64", rule: "SPEC 3.1: base64url parts", reason: core.ReasonTokenInvalid,
			token: func(s *suite) string {
				p := strings.Split(s.user(defaultUser), ".")
				return p[0] + ".%%%%." + p[2]
			}},
		{name: "Oversized", rule: "SPEC 3.1: tokens over 16 KiB are rejected before decoding", reason: core.ReasonTokenInvalid,
			token: func(s *suite) string { return s.withClaims(map[string]any{"pad": strings.Repeat("a", 17<<10)}) }},
		{name: "TypAbsent", rule: "SPEC 3.2: typ may be absent",
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithHeader("typ", nil)) }},
		{name: "TypNotJWT", rule: "SPEC 3.2: typ must be JWT", reason: core.ReasonTokenInvalid,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithHeader("typ", "JWS")) }},
		{name: "AlgNone", rule: "SPEC 3.3: alg none", reason: core.ReasonTokenInvalidAlgorithm,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithAlg("none")) }},
		{name: "AlgHS256WithPublicKey", rule: "SPEC 3.3: an HMAC signed with the RSA public key never verifies", reason: core.ReasonTokenInvalidAlgorithm,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithAlg("HS256")) }},
		{name: "AlgHS256WithPublicKeyPEM", rule: "SPEC 2.1/3.3: key confusion against a networkless PEM key", reason: core.ReasonTokenInvalidAlgorithm,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithAlg("HS256")) },
			env: func(s *suite, _ *testing.T) envConfig {
				return envConfig{base: []core.Option{core.WithJWTKey(s.iss.PublicKeyPEM()), core.WithIssuer(s.iss.IssuerURL())}}
			}},
		{name: "AlgES256", rule: "SPEC 3.3: ES* rejected", reason: core.ReasonTokenInvalidAlgorithm,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithAlg("ES256")) }},
		{name: "AlgPS256", rule: "SPEC 3.3: PS* rejected", reason: core.ReasonTokenInvalidAlgorithm,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithAlg("PS256")) }},
		{name: "AlgRS384", rule: "SPEC 3.3: RS384 allowed",
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithAlg("RS384")) }},
		{name: "AlgRS512", rule: "SPEC 3.3: RS512 allowed",
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithAlg("RS512")) }},
		{name: "CatSession", rule: "SPEC 3.4: session category",
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithHeader("cat", "cl_B7d4PD111AAA")) }},
		{name: "CatIgnore", rule: "SPEC 3.4: ignore category",
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithHeader("cat", "cl_I7d4PD111III")) }},
		{name: "CatTemplate", rule: "SPEC 3.4: a JWT template token on a session route", reason: core.ReasonTokenTypeMismatch,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithHeader("cat", "cl_B7d4PD222AAA")) }},
		{name: "CatM2M", rule: "SPEC 3.4/6.3: an M2M-category token on a session route", reason: core.ReasonTokenTypeMismatch,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithHeader("cat", "cl_B7d4PD333AAA")) }},
		{name: "BadSignature", rule: "SPEC 3.5: signature", reason: core.ReasonTokenInvalidSignature,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.TamperedSignature()) }},
		{name: "OtherKeyKnownKid", rule: "SPEC 3.5: signed by another key under a known kid", reason: core.ReasonTokenInvalidSignature,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.SignedBy(s.foreign)) }},
		{name: "SubNotString", rule: "SPEC 3.6: sub must be a string", reason: core.ReasonTokenVerificationFailed,
			token: func(s *suite) string { return s.withClaims(map[string]any{"sub": 42}) }},
		{name: "SubMissing", rule: "SPEC 3.6: sub must be a string", reason: core.ReasonTokenVerificationFailed,
			token: func(s *suite) string { return s.withClaims(map[string]any{"sub": nil}) }},
		{name: "SubMachine", rule: "SPEC 3.6: a session token whose sub starts with mch_ is a machine token", reason: core.ReasonTokenTypeMismatch,
			token: func(s *suite) string { return s.withClaims(map[string]any{"sub": "mch_2abc"}) }},
		{name: "AzpAllowed", rule: "SPEC 3.7: azp equal to a configured party", env: parties,
			token: func(s *suite) string { return s.withClaims(map[string]any{"azp": suiteParty}) }},
		{name: "AzpMismatch", rule: "SPEC 3.7: azp not among the configured parties", reason: core.ReasonTokenInvalidAuthorizedParties, env: parties,
			token: func(s *suite) string { return s.withClaims(map[string]any{"azp": otherParty}) }},
		{name: "AzpNotNormalised", rule: "SPEC 3.7: azp compared exactly, no normalisation", reason: core.ReasonTokenInvalidAuthorizedParties, env: parties,
			token: func(s *suite) string { return s.withClaims(map[string]any{"azp": suiteParty + "/"}) }},
		{name: "AzpAbsent", rule: "SPEC 3.7: azp required when parties are configured", reason: core.ReasonTokenInvalidAuthorizedParties, env: parties,
			token: func(s *suite) string { return s.withClaims(map[string]any{"azp": nil}) }},
		{name: "AzpAnyWithoutParties", rule: "SPEC 3.7: any azp passes when no party is configured",
			token: func(s *suite) string { return s.withClaims(map[string]any{"azp": otherParty}) }},
		{name: "IssuerMismatch", rule: "SPEC 3.8: iss must equal the configured issuer", reason: core.ReasonTokenInvalidIssuer,
			token: func(s *suite) string { return s.withClaims(map[string]any{"iss": "https://clerk.other.example"}) }},
		{name: "IssuerFromPublishableKey", rule: "SPEC 3.8: issuer derived from the publishable key", reason: core.ReasonTokenInvalidIssuer,
			token: func(s *suite) string { return s.withClaims(map[string]any{"iss": "https://clerk.other.example"}) },
			env: func(s *suite, _ *testing.T) envConfig {
				return envConfig{base: []core.Option{core.WithJWKSURL(s.iss.JWKSURL()), core.WithPublishableKey(s.iss.PublishableKey())}}
			}},
		{name: "IssuerFromPublishableKeyMatch", rule: "SPEC 3.8: issuer derived from the publishable key",
			token: func(s *suite) string { return s.user(defaultUser) },
			env: func(s *suite, _ *testing.T) envConfig {
				return envConfig{base: []core.Option{core.WithJWKSURL(s.iss.JWKSURL()), core.WithPublishableKey(s.iss.PublishableKey())}}
			}},
		{name: "IssuerNotChecked", rule: "SPEC 3.8: no issuer configured, no issuer check",
			token: func(s *suite) string { return s.withClaims(map[string]any{"iss": "https://clerk.other.example"}) },
			env: func(s *suite, _ *testing.T) envConfig {
				return envConfig{base: []core.Option{core.WithJWKSURL(s.iss.JWKSURL())}}
			}},
		{name: "ExpiredAtSkewBoundary", rule: "SPEC 3.9: expired iff exp <= now - skew (exp = now-5s)", reason: core.ReasonTokenExpired,
			token: func(s *suite) string { return s.withClaims(times(s, now(s)-60, now(s)-60, now(s)-5)) }},
		{name: "ExpiredWithinSkew", rule: "SPEC 3.9: exp = now-4s is within the 5 s skew",
			token: func(s *suite) string { return s.withClaims(times(s, now(s)-60, now(s)-60, now(s)-4)) }},
		{name: "ExpiredLongAgo", rule: "SPEC 3.9: expired", reason: core.ReasonTokenExpired,
			token: func(s *suite) string { return s.mint(clerktest.Session{UserID: defaultUser, TTL: -time.Hour}) }},
		{name: "ExpMissing", rule: "SPEC 3.9: exp is required", reason: core.ReasonTokenVerificationFailed,
			token: func(s *suite) string { return s.withClaims(map[string]any{"exp": nil}) }},
		{name: "ExpWrongType", rule: "SPEC 3.9: wrong-typed exp", reason: core.ReasonTokenVerificationFailed,
			token: func(s *suite) string { return s.withClaims(map[string]any{"exp": "2000000000"}) }},
		{name: "NbfBeyondSkew", rule: "SPEC 3.9: nbf > now + skew (nbf = now+6s)", reason: core.ReasonTokenNotActiveYet,
			token: func(s *suite) string { return s.withClaims(times(s, now(s), now(s)+6, now(s)+60)) }},
		{name: "NbfWithinSkew", rule: "SPEC 3.9: nbf = now+5s is within the skew",
			token: func(s *suite) string { return s.withClaims(times(s, now(s), now(s)+5, now(s)+60)) }},
		{name: "NbfWrongType", rule: "SPEC 3.9: wrong-typed nbf", reason: core.ReasonTokenVerificationFailed,
			token: func(s *suite) string { return s.withClaims(map[string]any{"nbf": "soon"}) }},
		{name: "IatBeyondSkew", rule: "SPEC 3.9: iat > now + skew (iat = now+6s)", reason: core.ReasonTokenIatInTheFuture,
			token: func(s *suite) string { return s.withClaims(times(s, now(s)+6, now(s), now(s)+60)) }},
		{name: "IatWithinSkew", rule: "SPEC 3.9: iat = now+5s is within the skew",
			token: func(s *suite) string { return s.withClaims(times(s, now(s)+5, now(s), now(s)+60)) }},
		{name: "IatWrongType", rule: "SPEC 3.9: wrong-typed iat", reason: core.ReasonTokenVerificationFailed,
			token: func(s *suite) string { return s.withClaims(map[string]any{"iat": true}) }},
		{name: "ZeroSkewExpNow", rule: "SPEC 3.9: with skew 0, exp = now is expired", reason: core.ReasonTokenExpired,
			token: func(s *suite) string { return s.withClaims(times(s, now(s)-60, now(s)-60, now(s))) },
			env: func(*suite, *testing.T) envConfig {
				return envConfig{opts: []core.Option{core.WithClockSkew(0)}}
			}},
		{name: "ZeroSkewExpNextSecond", rule: "SPEC 3.9: with skew 0, exp = now+1s is valid",
			token: func(s *suite) string { return s.withClaims(times(s, now(s)-60, now(s)-60, now(s)+1)) },
			env: func(*suite, *testing.T) envConfig {
				return envConfig{opts: []core.Option{core.WithClockSkew(0)}}
			}},
		{name: "Pending", rule: "SPEC 3.10: pending sessions are signed out by default", reason: core.ReasonSessionPending,
			token: func(s *suite) string { return s.mint(clerktest.Session{UserID: defaultUser, Status: "pending"}) }},
		{name: "UnknownHeaderAndClaimsIgnored", rule: "SPEC 3.11: unknown header parameters and claims are ignored",
			token: func(s *suite) string {
				return s.withClaims(map[string]any{"future_claim": map[string]any{"x": 1}}, clerktest.WithHeader("x-new", "v"))
			}},
		{name: "UnknownKid", rule: "SPEC 2.5: a kid still missing after a refetch", reason: core.ReasonJWKKidMismatch,
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithKID("ins_unknown_kid")) }},
		{name: "KeyTooShort", rule: "SPEC 2.5: the JWKS key of the kid is a weak (1024-bit) RSA key", reason: core.ReasonJWKFailedToResolve,
			token: func(s *suite) string { return s.user(defaultUser) },
			env: func(s *suite, t *testing.T) envConfig {
				jwks := serveJWKS(t, rsaJWK("ins_other", &s.iss.PrivateKey().PublicKey), rsaJWK(suiteKID, &weakKey(t).PublicKey))
				return envConfig{base: []core.Option{core.WithJWKSURL(jwks), core.WithIssuer(s.iss.IssuerURL())}}
			}},
		{name: "NetworklessPEMAnyKid", rule: "SPEC 2.1: a PEM key is used for any kid",
			token: func(s *suite) string { return s.withClaims(nil, clerktest.WithKID("ins_unknown_kid")) },
			env: func(s *suite, _ *testing.T) envConfig {
				return envConfig{base: []core.Option{core.WithJWTKey(s.iss.PublicKeyPEM()), core.WithIssuer(s.iss.IssuerURL())}}
			}},
		{name: "BackendAPIJWKS", rule: "SPEC 2.2: keys from the Backend API /v1/jwks with the secret key",
			token: func(s *suite) string { return s.user(defaultUser) },
			env: func(s *suite, _ *testing.T) envConfig {
				return envConfig{base: []core.Option{core.WithSecretKey(s.iss.SecretKey()), core.WithAPIURL(s.iss.APIURL()), core.WithIssuer(s.iss.IssuerURL())}}
			}},
		{name: "OpaqueMachineTokenNotAccepted", rule: "SPEC 6.3: a machine token type not accepted is signed out without verifying it", reason: core.ReasonTokenTypeMismatch,
			token: func(*suite) string { return "mt_0123456789abcdef0123456789abcdef" }},
	}
	cases := make([]tcase, 0, len(rows)+4)
	for _, row := range rows {
		cases = append(cases, tcase{row.name, func(t *testing.T, s *suite) {
			cfg := envConfig{}
			if row.env != nil {
				cfg = row.env(s, t)
			}
			e := s.newEnv(t, cfg)
			tok := row.token(s)
			before := s.iss.BackendCalls()
			res := e.do(pathAuth, bearer(tok))
			if row.reason == "" {
				e.expectSignedIn(res, row.rule, s.subjectOf(tok))
				return
			}
			e.expectProblem(res, row.rule, row.reason)
			// SPEC 7.1: the same token on a public route is signed out, not rejected.
			e.expectSignedOut(e.do(pathPublic, bearer(tok)), row.rule+" (SPEC 7.1: the middleware never rejects)", row.reason)
			if row.reason == core.ReasonTokenTypeMismatch && s.iss.BackendCalls() != before {
				t.Errorf("SPEC 6.3: a token of a type that is not accepted was sent to the Backend API")
			}
		}})
	}
	cases = append(cases,
		tcase{"PendingAccepted", func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithPendingSessions(true)}})
			sum := e.expectSignedIn(e.do(pathAuth, bearer(s.mint(clerktest.Session{UserID: "user_pending", Status: "pending"}))),
				"SPEC 3.10: pending sessions accepted when configured", "user_pending")
			if sum.Adapter.OK && sum.Adapter.SessionStatus != "pending" {
				t.Errorf("SPEC 3.10: an accepted pending session must say pending in the claims, got status %q", sum.Adapter.SessionStatus)
			}
		}},
		tcase{"JWKSDownBeforeWarmUp", func(t *testing.T, s *suite) {
			down := s.downIssuer(t)
			down.SetJWKSDown(true)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(down.JWKSURL()), core.WithIssuer(s.iss.IssuerURL())}})
			tok := s.user(defaultUser)
			e.expectProblem(e.do(pathAuth, bearer(tok)), "SPEC 2.5: no keys at all is 503 jwk-remote-failed-to-load, never a 401", core.ReasonJWKRemoteFailedToLoad)
			e.expectProblem(e.do(pathPermission, bearer(tok)), "SPEC 2.5/7.3: 503 through every guard", core.ReasonJWKRemoteFailedToLoad)
			e.expectSignedOut(e.do(pathPublic, bearer(tok)), "SPEC 7.1: the middleware never rejects, even when keys are down", core.ReasonJWKRemoteFailedToLoad)
		}},
		tcase{"JWKSDownAfterWarmUp", func(t *testing.T, s *suite) {
			down := s.downIssuer(t)
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(down.JWKSURL()), core.WithIssuer(s.iss.IssuerURL())}})
			e.expectSignedIn(e.do(pathAuth, bearer(s.user("user_warm"))), "SPEC 2.4", "user_warm")
			down.SetJWKSDown(true)
			e.expectSignedIn(e.do(pathAuth, bearer(s.user("user_after"))), "SPEC 2.4: keys already cached keep verifying when the JWKS endpoint goes down", "user_after")
		}},
		tcase{"UnknownKidRateLimited", func(t *testing.T, s *suite) {
			down := s.downIssuer(t) // a private issuer, so its JWKS request count is ours alone
			e := s.newEnv(t, envConfig{base: []core.Option{core.WithJWKSURL(down.JWKSURL()), core.WithIssuer(s.iss.IssuerURL())}})
			e.expectSignedIn(e.do(pathAuth, bearer(s.user("user_warm"))), "SPEC 2.4", "user_warm")
			before := down.JWKSRequests()
			for i := range 20 {
				tok := s.withClaims(nil, clerktest.WithKID(fmt.Sprintf("ins_forged_%d", i)))
				e.expectProblem(e.do(pathAuth, bearer(tok)), "SPEC 2.4/2.5: forged kids", core.ReasonJWKKidMismatch)
			}
			if n := down.JWKSRequests() - before; n > 1 {
				t.Errorf("SPEC 2.4: 20 forged kids cost %d JWKS fetches, want at most one per rate-limit window", n)
			}
		}},
		tcase{"CSRFWarningOnceAtConstruction", func(t *testing.T, s *suite) {
			count := func(e *env) int { return strings.Count(strings.ToLower(e.logs.String()), "csrf") }
			e := s.newEnv(t, envConfig{})
			for range 3 {
				e.expectSignedIn(e.do(pathAuth, cookie(s.user(defaultUser))), "SPEC 3.7: with no authorized parties any azp passes", defaultUser)
			}
			if n := count(e); n != 1 {
				t.Errorf("SPEC 3.7: cookie auth without authorized parties must log the CSRF warning once, at construction; logged %d times:\n%s", n, e.logs.String())
			}
			if n := count(s.newEnv(t, envConfig{opts: []core.Option{core.WithAuthorizedParties(suiteParty)}})); n != 0 {
				t.Errorf("SPEC 3.7: with authorized parties configured there is no CSRF warning, logged %d", n)
			}
			if n := count(s.newEnv(t, envConfig{opts: []core.Option{core.WithCookieAuth(false)}})); n != 0 {
				t.Errorf("SPEC 3.7: with cookie auth off there is no CSRF warning, logged %d", n)
			}
		}},
		tcase{"CachedTokenStillChecked", func(t *testing.T, s *suite) {
			// SPEC 3.7-3.9 run on every use: a token cached by one Authorizer
			// must not bypass another check. Here: same token, issuer check on.
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithAuthorizedParties(suiteParty)}})
			tok := s.withClaims(map[string]any{"azp": otherParty})
			for range 2 {
				e.expectProblem(e.do(pathAuth, bearer(tok)), "SPEC 3.7: checked on every use, cached or not", core.ReasonTokenInvalidAuthorizedParties)
			}
		}},
	)
	return cases
}

// downIssuer starts a second issuer with the suite's key, kid and issuer URL
// (so tokens minted by the suite issuer verify against it) whose JWKS can be
// switched off without touching the suite issuer.
func (s *suite) downIssuer(t *testing.T) *clerktest.Issuer {
	return clerktest.Start(t, clerktest.WithClock(s.clock.Now), clerktest.WithKey(s.iss.KID(), s.iss.PrivateKey()),
		clerktest.WithIssuerURL(s.iss.IssuerURL()))
}

// subjectOf returns the sub claim of a token minted by the suite (decoded
// without verification, to know which user a 200 must show).
func (s *suite) subjectOf(tok string) string {
	return unverifiedClaim(tok, "sub")
}

// serveJWKS serves a JSON Web Key Set holding keys on an httptest server
// closed with t, and returns its URL.
func serveJWKS(t *testing.T, keys ...map[string]string) string {
	body, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		t.Fatalf("conformance: %v", err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/.well-known/jwks.json"
}

// rsaJWK is pub as an RS256 JWK under kid.
func rsaJWK(kid string, pub *rsa.PublicKey) map[string]string {
	b64 := base64.RawURLEncoding.EncodeToString
	return map[string]string{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())}
}

var (
	weakOnce sync.Once
	weak     *rsa.PrivateKey
	weakErr  error
)

// weakKey is a 1024-bit RSA key (generated once per test binary): too short
// to be trusted.
func weakKey(t *testing.T) *rsa.PrivateKey {
	weakOnce.Do(func() { weak, weakErr = rsa.GenerateKey(rand.Reader, 1024) })
	if weakErr != nil {
		t.Fatalf("conformance: generating a 1024-bit RSA key: %v", weakErr)
	}
	return weak
}
