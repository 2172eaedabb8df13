package tokencases

import (
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Verify is one token of the verification table (behaviour.md §2 and §3):
// the token to present as a bearer token on a route or method that requires
// a signed-in session, and the reason it must be signed out with ("" means it
// must be accepted, signed in as its sub).
type Verify struct {
	Name   string
	Rule   string
	Token  func(f *Fixture) string
	Reason core.Reason
	// Env, when set, says how the Authorizer differs from the default one.
	Env func(f *Fixture, t testing.TB) Env
}

// VerifyCases is the verification table: every reason code reachable from a
// token, boundaries on both sides. The HTTP suite expects the behaviour.md §7.3
// response of each reason, the RPC suite its status code and trailers.
func VerifyCases() []Verify {
	now := func(f *Fixture) int64 { return f.Now().Unix() }
	times := func(_ *Fixture, iat, nbf, exp int64) map[string]any {
		return map[string]any{"iat": iat, "nbf": nbf, "exp": exp}
	}
	audience := func(*Fixture, testing.TB) Env { return Env{Opts: []core.Option{core.WithAudience(Audience)}} }
	parties := func(*Fixture, testing.TB) Env {
		return Env{Opts: []core.Option{core.WithAuthorizedParties(Party, "https://second.conformance.example")}}
	}
	return []Verify{
		{Name: "Valid", Rule: "behaviour.md §3", Token: func(f *Fixture) string { return f.User(DefaultUser) }},
		{Name: "Malformed", Rule: "behaviour.md §3.1: not a JWT", Reason: core.ReasonTokenInvalid,
			Token: func(*Fixture) string { return "not-a-jwt-at-all" }},
		{Name: "TwoParts", Rule: "behaviour.md §3.1: exactly three parts", Reason: core.ReasonTokenInvalid,
			Token: func(f *Fixture) string {
				p := strings.Split(f.User(DefaultUser), ".")
				return p[0] + "." + p[1]
			}},
		{Name: "FourParts", Rule: "behaviour.md §3.1: exactly three parts", Reason: core.ReasonTokenInvalid,
			Token: func(f *Fixture) string { return f.User(DefaultUser) + ".AAAA" }},
		{Name: "PayloadNotJSON", Rule: "behaviour.md §3.1: JSON payload", Reason: core.ReasonTokenInvalid,
			Token: func(f *Fixture) string {
				return f.Issuer.SignRaw([]byte(`{"alg":"RS256","typ":"JWT","kid":"`+KID+`"}`), []byte("not json"))
			}},
		{Name: "HeaderNotJSON", Rule: "behaviour.md §3.1: JSON header", Reason: core.ReasonTokenInvalid,
			Token: func(f *Fixture) string { return f.Issuer.SignRaw([]byte("RS256"), []byte(`{"sub":"user_x"}`)) }},
		{Name: "BadBase64", Rule: "behaviour.md §3.1: base64url parts", Reason: core.ReasonTokenInvalid,
			Token: func(f *Fixture) string {
				p := strings.Split(f.User(DefaultUser), ".")
				return p[0] + ".%%%%." + p[2]
			}},
		{Name: "Oversized", Rule: "behaviour.md §3.1: tokens over 16 KiB are rejected before decoding", Reason: core.ReasonTokenInvalid,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"pad": strings.Repeat("a", 17<<10)}) }},
		{Name: "TypAbsent", Rule: "behaviour.md §3.2: typ may be absent",
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithHeader("typ", nil)) }},
		{Name: "TypNotJWT", Rule: "behaviour.md §3.2: typ must be JWT", Reason: core.ReasonTokenInvalid,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithHeader("typ", "JWS")) }},
		{Name: "AlgNone", Rule: "behaviour.md §3.3: alg none", Reason: core.ReasonTokenInvalidAlgorithm,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithAlg("none")) }},
		{Name: "AlgHS256WithPublicKey", Rule: "behaviour.md §3.3: an HMAC signed with the RSA public key never verifies", Reason: core.ReasonTokenInvalidAlgorithm,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithAlg("HS256")) }},
		{Name: "AlgHS256WithPublicKeyPEM", Rule: "behaviour.md §2.1/3.3: key confusion against a networkless PEM key", Reason: core.ReasonTokenInvalidAlgorithm,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithAlg("HS256")) },
			Env: func(f *Fixture, _ testing.TB) Env {
				return Env{Base: []core.Option{core.WithJWTKey(f.Issuer.PublicKeyPEM()), core.WithIssuer(f.Issuer.IssuerURL())}}
			}},
		{Name: "AlgES256", Rule: "behaviour.md §3.3: ES* rejected", Reason: core.ReasonTokenInvalidAlgorithm,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithAlg("ES256")) }},
		{Name: "AlgPS256", Rule: "behaviour.md §3.3: PS* rejected", Reason: core.ReasonTokenInvalidAlgorithm,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithAlg("PS256")) }},
		{Name: "AlgRS384", Rule: "behaviour.md §3.3: RS384 allowed",
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithAlg("RS384")) }},
		{Name: "AlgRS512", Rule: "behaviour.md §3.3: RS512 allowed",
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithAlg("RS512")) }},
		{Name: "CatSession", Rule: "behaviour.md §3.4: session category",
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithHeader("cat", "cl_B7d4PD111AAA")) }},
		{Name: "CatIgnore", Rule: "behaviour.md §3.4: ignore category",
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithHeader("cat", "cl_I7d4PD111III")) }},
		{Name: "CatTemplate", Rule: "behaviour.md §3.4: a JWT template token on a session route", Reason: core.ReasonTokenTypeMismatch,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithHeader("cat", "cl_B7d4PD222AAA")) }},
		{Name: "CatM2M", Rule: "behaviour.md §3.4/6.3: an M2M-category token on a session route", Reason: core.ReasonTokenTypeMismatch,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithHeader("cat", "cl_B7d4PD333AAA")) }},
		{Name: "BadSignature", Rule: "behaviour.md §3.5: signature", Reason: core.ReasonTokenInvalidSignature,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.TamperedSignature()) }},
		{Name: "OtherKeyKnownKid", Rule: "behaviour.md §3.5: signed by another key under a known kid", Reason: core.ReasonTokenInvalidSignature,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.SignedBy(f.Foreign)) }},
		{Name: "SubNotString", Rule: "behaviour.md §3.6: sub must be a string", Reason: core.ReasonTokenVerificationFailed,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"sub": 42}) }},
		{Name: "SubMissing", Rule: "behaviour.md §3.6: sub must be a string", Reason: core.ReasonTokenVerificationFailed,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"sub": nil}) }},
		{Name: "SubMachine", Rule: "behaviour.md §3.6: a session token whose sub starts with mch_ is a machine token", Reason: core.ReasonTokenTypeMismatch,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"sub": "mch_2abc"}) }},
		{Name: "AzpAllowed", Rule: "behaviour.md §3.7: azp equal to a configured party", Env: parties,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"azp": Party}) }},
		{Name: "AzpMismatch", Rule: "behaviour.md §3.7: azp not among the configured parties", Reason: core.ReasonTokenInvalidAuthorizedParties, Env: parties,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"azp": OtherParty}) }},
		{Name: "AzpNotNormalised", Rule: "behaviour.md §3.7: azp compared exactly, no normalisation", Reason: core.ReasonTokenInvalidAuthorizedParties, Env: parties,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"azp": Party + "/"}) }},
		{Name: "AzpAbsent", Rule: "behaviour.md §3.7: azp required when parties are configured", Reason: core.ReasonTokenInvalidAuthorizedParties, Env: parties,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"azp": nil}) }},
		{Name: "AzpAnyWithoutParties", Rule: "behaviour.md §3.7: any azp passes when no party is configured",
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"azp": OtherParty}) }},
		{Name: "IssuerMismatch", Rule: "behaviour.md §3.8: iss must equal the configured issuer", Reason: core.ReasonTokenInvalidIssuer,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"iss": "https://clerk.other.example"}) }},
		{Name: "IssuerFromPublishableKey", Rule: "behaviour.md §3.8: issuer derived from the publishable key", Reason: core.ReasonTokenInvalidIssuer,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"iss": "https://clerk.other.example"}) },
			Env: func(f *Fixture, _ testing.TB) Env {
				return Env{Base: []core.Option{core.WithJWKSURL(f.Issuer.JWKSURL()), core.WithPublishableKey(f.Issuer.PublishableKey())}}
			}},
		{Name: "IssuerFromPublishableKeyMatch", Rule: "behaviour.md §3.8: issuer derived from the publishable key",
			Token: func(f *Fixture) string { return f.User(DefaultUser) },
			Env: func(f *Fixture, _ testing.TB) Env {
				return Env{Base: []core.Option{core.WithJWKSURL(f.Issuer.JWKSURL()), core.WithPublishableKey(f.Issuer.PublishableKey())}}
			}},
		{Name: "IssuerNotChecked", Rule: "behaviour.md §3.8: no issuer configured, no issuer check",
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"iss": "https://clerk.other.example"}) },
			Env: func(f *Fixture, _ testing.TB) Env {
				return Env{Base: []core.Option{core.WithJWKSURL(f.Issuer.JWKSURL())}}
			}},
		{Name: "ExpiredAtSkewBoundary", Rule: "behaviour.md §3.9: expired iff exp <= now - skew (exp = now-5s)", Reason: core.ReasonTokenExpired,
			Token: func(f *Fixture) string { return f.WithClaims(times(f, now(f)-60, now(f)-60, now(f)-5)) }},
		{Name: "ExpiredWithinSkew", Rule: "behaviour.md §3.9: exp = now-4s is within the 5 s skew",
			Token: func(f *Fixture) string { return f.WithClaims(times(f, now(f)-60, now(f)-60, now(f)-4)) }},
		{Name: "ExpiredLongAgo", Rule: "behaviour.md §3.9: expired", Reason: core.ReasonTokenExpired,
			Token: func(f *Fixture) string { return f.Mint(clerktest.Session{UserID: DefaultUser, TTL: -time.Hour}) }},
		{Name: "ExpMissing", Rule: "behaviour.md §3.9: exp is required", Reason: core.ReasonTokenVerificationFailed,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"exp": nil}) }},
		{Name: "ExpWrongType", Rule: "behaviour.md §3.9: wrong-typed exp", Reason: core.ReasonTokenVerificationFailed,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"exp": "2000000000"}) }},
		{Name: "NbfBeyondSkew", Rule: "behaviour.md §3.9: nbf > now + skew (nbf = now+6s)", Reason: core.ReasonTokenNotActiveYet,
			Token: func(f *Fixture) string { return f.WithClaims(times(f, now(f), now(f)+6, now(f)+60)) }},
		{Name: "NbfWithinSkew", Rule: "behaviour.md §3.9: nbf = now+5s is within the skew",
			Token: func(f *Fixture) string { return f.WithClaims(times(f, now(f), now(f)+5, now(f)+60)) }},
		{Name: "NbfWrongType", Rule: "behaviour.md §3.9: wrong-typed nbf", Reason: core.ReasonTokenVerificationFailed,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"nbf": "soon"}) }},
		{Name: "IatBeyondSkew", Rule: "behaviour.md §3.9: iat > now + skew (iat = now+6s)", Reason: core.ReasonTokenIatInTheFuture,
			Token: func(f *Fixture) string { return f.WithClaims(times(f, now(f)+6, now(f), now(f)+60)) }},
		{Name: "IatWithinSkew", Rule: "behaviour.md §3.9: iat = now+5s is within the skew",
			Token: func(f *Fixture) string { return f.WithClaims(times(f, now(f)+5, now(f), now(f)+60)) }},
		{Name: "IatWrongType", Rule: "behaviour.md §3.9: wrong-typed iat", Reason: core.ReasonTokenVerificationFailed,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"iat": true}) }},
		{Name: "ZeroSkewExpNow", Rule: "behaviour.md §3.9: with skew 0, exp = now is expired", Reason: core.ReasonTokenExpired,
			Token: func(f *Fixture) string { return f.WithClaims(times(f, now(f)-60, now(f)-60, now(f))) },
			Env: func(*Fixture, testing.TB) Env {
				return Env{Opts: []core.Option{core.WithClockSkew(0)}}
			}},
		{Name: "ZeroSkewExpNextSecond", Rule: "behaviour.md §3.9: with skew 0, exp = now+1s is valid",
			Token: func(f *Fixture) string { return f.WithClaims(times(f, now(f)-60, now(f)-60, now(f)+1)) },
			Env: func(*Fixture, testing.TB) Env {
				return Env{Opts: []core.Option{core.WithClockSkew(0)}}
			}},
		{Name: "Pending", Rule: "behaviour.md §3.10: pending sessions are signed out by default", Reason: core.ReasonSessionPending,
			Token: func(f *Fixture) string { return f.Mint(clerktest.Session{UserID: DefaultUser, Status: "pending"}) }},
		{Name: "UnknownHeaderAndClaimsIgnored", Rule: "behaviour.md §3.11: unknown header parameters and claims are ignored",
			Token: func(f *Fixture) string {
				return f.WithClaims(map[string]any{"future_claim": map[string]any{"x": 1}}, clerktest.WithHeader("x-new", "v"))
			}},
		{Name: "UnknownKid", Rule: "behaviour.md §2.5: a kid still missing after a refetch", Reason: core.ReasonJWKKidMismatch,
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithKID("ins_unknown_kid")) }},
		{Name: "KeyTooShort", Rule: "behaviour.md §2.5: the JWKS key of the kid is a weak (1024-bit) RSA key", Reason: core.ReasonJWKFailedToResolve,
			Token: func(f *Fixture) string { return f.User(DefaultUser) },
			Env: func(f *Fixture, t testing.TB) Env {
				jwks := ServeJWKS(t, RSAJWK("ins_other", &f.Issuer.PrivateKey().PublicKey), RSAJWK(KID, &weakKey(t).PublicKey))
				return Env{Base: []core.Option{core.WithJWKSURL(jwks), core.WithIssuer(f.Issuer.IssuerURL())}}
			}},
		{Name: "NetworklessPEMAnyKid", Rule: "behaviour.md §2.1: a PEM key is used for any kid",
			Token: func(f *Fixture) string { return f.WithClaims(nil, clerktest.WithKID("ins_unknown_kid")) },
			Env: func(f *Fixture, _ testing.TB) Env {
				return Env{Base: []core.Option{core.WithJWTKey(f.Issuer.PublicKeyPEM()), core.WithIssuer(f.Issuer.IssuerURL())}}
			}},
		{Name: "BackendAPIJWKS", Rule: "behaviour.md §2.2: keys from the Backend API /v1/jwks with the secret key",
			Token: func(f *Fixture) string { return f.User(DefaultUser) },
			Env: func(f *Fixture, _ testing.TB) Env {
				return Env{Base: []core.Option{core.WithSecretKey(f.Issuer.SecretKey()), core.WithAPIURL(f.Issuer.APIURL()), core.WithIssuer(f.Issuer.IssuerURL())}}
			}},
		{Name: "AudienceAbsentNotChecked", Rule: "behaviour.md §3.12: with an audience configured, a token without aud is not checked (as Clerk's SDKs)",
			Token: func(f *Fixture) string { return f.User(DefaultUser) }, Env: audience},
		{Name: "AudienceEmptyNotChecked", Rule: "behaviour.md §3.12: an empty aud array is no aud",
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"aud": []string{}}) }, Env: audience},
		{Name: "AudienceMatches", Rule: "behaviour.md §3.12: an aud naming the configured audience",
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"aud": []string{"other", Audience}}) }, Env: audience},
		{Name: "AudienceOther", Rule: "behaviour.md §3.12: an aud the token carries must name a configured audience", Reason: core.ReasonTokenInvalidAudience,
			Token: func(f *Fixture) string { return f.WithClaims(map[string]any{"aud": Audience + "/"}) }, Env: audience},
		{Name: "OpaqueMachineTokenNotAccepted", Rule: "behaviour.md §6.3: a machine token type not accepted is signed out without verifying it", Reason: core.ReasonTokenTypeMismatch,
			Token: func(*Fixture) string { return "mt_0123456789abcdef0123456789abcdef" }},
	}
}
