package core_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// This file holds the edge cases of behaviour.md §1–5, 7 and 8 that sit right on a
// rule's boundary, each named after the rule it enforces.

// fakeRequest is a core.Request that does not go through net/http, so header
// values reach the Authorizer exactly as given (untrimmed).
type fakeRequest struct {
	auth      string
	hasCookie bool
	cookie    string
}

func (f fakeRequest) Header(name string) string {
	if strings.EqualFold(name, "Authorization") {
		return f.auth
	}
	return ""
}

func (f fakeRequest) Cookie(name string) (string, bool) {
	if name == core.SessionCookie && f.hasCookie {
		return f.cookie, true
	}
	if name == core.ClientUatCookie && f.hasCookie && strings.TrimSpace(f.cookie) != "" {
		return "1", true // behaviour.md §10.1: the browser holds a session
	}
	return "", false
}

// behaviour.md §1: header parsing edges and header/cookie precedence.
func TestRule1_Edges(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	now := e.clock.Now()
	good := e.iss.Mint(clerktest.Session{UserID: "user_header"})
	cookieTok := e.iss.Mint(clerktest.Session{UserID: "user_cookie"})
	expired := e.iss.Mint(clerktest.Session{UserID: "user_header", IssuedAt: now.Add(-time.Hour), TTL: time.Minute})
	badSig := e.iss.Mint(clerktest.Session{UserID: "user_header"}, clerktest.TamperedSignature())
	cases := []struct {
		name       string
		r          core.Request
		wantUser   string
		wantReason core.Reason
	}{
		// behaviour.md §1.1: Bearer with empty credentials ("Bearer",
		// "Bearer ", any case) yields no token, so the cookie is consulted;
		// one character more ("Bearerx", no space) is a token taken whole.
		{"1.1/BearerWithoutTokenCookieUsed", fakeRequest{auth: "Bearer ", hasCookie: true, cookie: cookieTok}, "user_cookie", ""},
		{"1.1/BearerAloneCookieUsed", req("Bearer", cookieTok), "user_cookie", ""},
		{"1.1/BearerSpacesCookieUsed", req("bEARER   ", cookieTok), "user_cookie", ""},
		{"1.1/BearerAloneNoCookie", req("Bearer", ""), "", core.ReasonSessionTokenMissing},
		{"1.1/BearerSpaceNoCookie", fakeRequest{auth: "Bearer "}, "", core.ReasonSessionTokenMissing},
		{"1.1/BearerPlusOneCharIsToken", req("Bearerx", cookieTok), "", core.ReasonTokenInvalid},
		{"1.1/BearerOneCharCredential", req("Bearer x", cookieTok), "", core.ReasonTokenInvalid},
		{"1.1/TheWordBearerAsCredential", req("BEARER BEARER", cookieTok), "", core.ReasonTokenInvalid},
		{"1.1/MixedCaseScheme", req("bEaReR "+good, ""), "user_header", ""},
		{"1.1/SurroundingWhitespace", fakeRequest{auth: "  Bearer " + good + "  "}, "user_header", ""},
		{"1.1/TabIsNotTheSeparator", fakeRequest{auth: "Bearer\t" + good}, "", core.ReasonTokenInvalid},
		{"1.1/OtherSchemeIgnored", req("DPoP "+good, ""), "", core.ReasonSessionTokenMissing},
		{"1.1/OtherSchemeCookieUsed", req("Token "+good, cookieTok), "user_cookie", ""},
		{"1.1/BearerLikeScheme", req("Bearer_ "+good, cookieTok), "user_cookie", ""},
		{"1.1/BasicCookieUsed", req("Basic dXNlcjpwYXNz", cookieTok), "user_cookie", ""},
		{"1.1/WhitespaceOnlyHeader", fakeRequest{auth: "   ", hasCookie: true, cookie: cookieTok}, "user_cookie", ""},
		{"1.1/NoSpaceGarbage", req("garbage", cookieTok), "", core.ReasonTokenInvalid},
		{"1.2/EmptyCookie", fakeRequest{hasCookie: true, cookie: ""}, "", core.ReasonSessionTokenMissing},
		{"1.2/CookieSurroundingWhitespace", fakeRequest{hasCookie: true, cookie: " " + cookieTok + " "}, "user_cookie", ""},
		{"1.2/CookieInvalid", req("", "not-a-token"), "", core.ReasonTokenInvalid},
		{"1.3/ExpiredHeaderValidCookie", req("Bearer "+expired, cookieTok), "", core.ReasonTokenExpired},
		{"1.3/BadSignatureHeaderValidCookie", req("Bearer "+badSig, cookieTok), "", core.ReasonTokenInvalidSignature},
		{"1.3/NoSpaceHeaderWinsOverCookie", req(good, cookieTok), "user_header", ""},
		{"1.3/GarbageHeaderValidCookie", req("Bearer x", cookieTok), "", core.ReasonTokenInvalid},
		{"1.4/NothingAtAll", fakeRequest{}, "", core.ReasonSessionTokenMissing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := a.Authenticate(t.Context(), tc.r)
			if tc.wantReason != "" {
				if core.ReasonOf(err) != tc.wantReason || c != nil {
					t.Fatalf("behaviour.md §%s: claims %v err %v, want reason %s", tc.name, c, err, tc.wantReason)
				}
				var ce *core.Error
				if !errors.As(err, &ce) {
					t.Fatalf("behaviour.md §%s: %T is not a *core.Error", tc.name, err)
				}
				return
			}
			if err != nil || c.UserID() != tc.wantUser {
				t.Fatalf("behaviour.md §%s: user %q err %v, want %q", tc.name, c.UserID(), err, tc.wantUser)
			}
		})
	}
	t.Run("1.2/CookieAuthOffHeaderStillWorks", func(t *testing.T) {
		off := e.authorizer(t, core.WithCookieAuth(false))
		c, err := off.Authenticate(t.Context(), req("Bearer "+good, cookieTok))
		if err != nil || c.UserID() != "user_header" {
			t.Fatalf("behaviour.md §1.2: %v", err)
		}
		if _, err := off.Authenticate(t.Context(), req("Basic dXNlcjpwYXNz", cookieTok)); !errors.Is(err, core.ErrSessionTokenMissing) {
			t.Fatalf("behaviour.md §1.2: cookie read although cookie auth is off: %v", err)
		}
	})
	t.Run("1.4/MissingIsNotAnInvalidTokenChallenge", func(t *testing.T) {
		_, err := a.Authenticate(t.Context(), req("", ""))
		p := core.ProblemFor(err)
		if p.Status != http.StatusUnauthorized || p.Header.Get("WWW-Authenticate") != "Bearer" ||
			p.Header.Get("X-Clerk-Auth-Reason") != "session-token-missing" {
			t.Fatalf("behaviour.md §1.4/7.3: %d %v", p.Status, p.Header)
		}
	})
	t.Run("1.1/SizeBoundAppliesToCookie", func(t *testing.T) {
		big := e.iss.Mint(clerktest.Session{Claims: map[string]any{"pad": strings.Repeat("a", 17<<10)}})
		_, err := a.Authenticate(t.Context(), req("", big))
		if core.ReasonOf(err) != core.ReasonTokenInvalid {
			t.Fatalf("behaviour.md §3.1: oversized cookie token: %v", err)
		}
	})
}

// rawToken builds header.payload.signature from raw JSON, signing with the
// issuer's key (RS256) unless sig is given.
func rawToken(e *ruleEnv, header, payload string) string {
	return e.iss.SignRaw([]byte(header), []byte(payload))
}

// behaviour.md §3: verification edges beyond the main table.
func TestRule3_Edges(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty, "https://app.example"), core.WithIssuer(e.iss.IssuerURL()))
	now := e.clock.Now().Unix()
	enc := base64.RawURLEncoding.EncodeToString
	valid := e.iss.Mint(clerktest.Session{})
	parts := strings.Split(valid, ".")
	hdr := func(extra string) string {
		return `{"alg":"RS256","typ":"JWT","kid":"` + e.iss.KID() + `"` + extra + `}`
	}
	pay := func(extra string) string {
		return fmt.Sprintf(`{"sub":"user_1","azp":%q,"iss":%q,"exp":%d,"iat":%d,"nbf":%d%s}`,
			clerktest.DefaultAuthorizedParty, e.iss.IssuerURL(), now+60, now, now, extra)
	}
	exp := func(v string) string {
		return fmt.Sprintf(`{"sub":"user_1","azp":%q,"iss":%q,"exp":%s}`, clerktest.DefaultAuthorizedParty, e.iss.IssuerURL(), v)
	}
	cases := []struct {
		name  string
		token string
		want  core.Reason
	}{
		{"3.1/Valid", rawToken(e, hdr(""), pay("")), ""},
		{"3.1/EmptyToken", "..", core.ReasonTokenInvalid},
		{"3.1/OnePart", parts[0], core.ReasonTokenInvalid},
		{"3.1/FourPartsEmptyTail", valid + ".", core.ReasonTokenInvalid},
		{"3.1/FiveParts", valid + ".a.b", core.ReasonTokenInvalid},
		{"3.1/EmptyHeader", "." + parts[1] + "." + parts[2], core.ReasonTokenInvalid},
		{"3.1/EmptyPayload", parts[0] + ".." + parts[2], core.ReasonTokenInvalid},
		{"3.1/SignatureNotBase64", parts[0] + "." + parts[1] + ".!!!", core.ReasonTokenInvalid},
		{"3.1/StdBase64Signature", parts[0] + "." + parts[1] + "." + strings.NewReplacer("-", "+", "_", "/").Replace(parts[2]) + "+/", core.ReasonTokenInvalid},
		{"3.1/HeaderJSONString", enc([]byte(`"JWT"`)) + "." + parts[1] + "." + parts[2], core.ReasonTokenInvalid},
		{"3.1/HeaderJSONArray", enc([]byte(`[{"alg":"RS256"}]`)) + "." + parts[1] + "." + parts[2], core.ReasonTokenInvalid},
		{"3.1/HeaderTrailingGarbage", rawToken(e, hdr("")+"x", pay("")), core.ReasonTokenInvalid},
		{"3.1/PayloadTwoObjects", rawToken(e, hdr(""), pay("")+pay("")), core.ReasonTokenInvalid},
		{"3.1/PayloadJSONNull", rawToken(e, hdr(""), "null"), core.ReasonTokenInvalid},
		{"3.1/PayloadJSONString", rawToken(e, hdr(""), `"x"`), core.ReasonTokenInvalid},
		{"3.1/PayloadTruncated", rawToken(e, hdr(""), `{"sub":"user_1"`), core.ReasonTokenInvalid},
		{"3.2/TypEmptyString", rawToken(e, `{"alg":"RS256","typ":""}`, pay("")), core.ReasonTokenInvalid},
		{"3.2/TypTrailingSpace", rawToken(e, `{"alg":"RS256","typ":"JWT "}`, pay("")), core.ReasonTokenInvalid},
		{"3.2/TypMixedCase", rawToken(e, `{"alg":"RS256","typ":"Jwt"}`, pay("")), core.ReasonTokenInvalid},
		{"3.2/TypNull", rawToken(e, `{"alg":"RS256","typ":null}`, pay("")), ""},
		{"3.2/TypObject", rawToken(e, `{"alg":"RS256","typ":{"a":1}}`, pay("")), core.ReasonTokenInvalid},
		{"3.3/AlgLowercase", rawToken(e, `{"alg":"rs256","typ":"JWT"}`, pay("")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/AlgNumber", rawToken(e, `{"alg":256,"typ":"JWT"}`, pay("")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/AlgEmpty", rawToken(e, `{"alg":"","typ":"JWT"}`, pay("")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/AlgNoneCapitalised", rawToken(e, `{"alg":"None","typ":"JWT"}`, pay("")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/HS384", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("HS384")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/HS512", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("HS512")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/ES384", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("ES384")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/ES512", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("ES512")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/PS384", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("PS384")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/PS512", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("PS512")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/EdDSA", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("EdDSA")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/AlgNoneEmptySignature", rawNone(e, pay("")), core.ReasonTokenInvalidAlgorithm},
		{"3.4/CatUnknown", rawToken(e, hdr(`,"cat":"cl_unknown"`), pay("")), core.ReasonTokenTypeMismatch},
		{"3.4/CatNumber", rawToken(e, hdr(`,"cat":1`), pay("")), core.ReasonTokenInvalid},
		{"3.4/CatNull", rawToken(e, hdr(`,"cat":null`), pay("")), ""},
		{"3.4/CatTemplateBadSignatureNotVerified", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("cat", "cl_B7d4PD222AAA"), clerktest.TamperedSignature()), core.ReasonTokenTypeMismatch},
		{"3.5/HeaderAlgRS512OverRS256Signature", rawToken(e, `{"alg":"RS512","typ":"JWT"}`, pay("")), core.ReasonTokenInvalidSignature},
		{"3.5/EmptySignature", parts[0] + "." + parts[1] + ".", core.ReasonTokenInvalidSignature},
		{"3.5/TruncatedSignature", parts[0] + "." + parts[1] + "." + enc(mustB64(parts[2])[:200]), core.ReasonTokenInvalidSignature},
		{"3.5/SignatureBeforeSubType", e.iss.Mint(clerktest.Session{Claims: map[string]any{"sub": 42}}, clerktest.TamperedSignature()), core.ReasonTokenInvalidSignature},
		{"3.5/SignatureBeforeExpType", e.iss.Mint(clerktest.Session{Claims: map[string]any{"exp": "soon"}}, clerktest.TamperedSignature()), core.ReasonTokenInvalidSignature},
		{"3.5/SignatureBeforeExpiry", e.iss.Mint(clerktest.Session{IssuedAt: time.Unix(now-3600, 0)}, clerktest.TamperedSignature()), core.ReasonTokenInvalidSignature},
		{"3.5/SignatureBeforeAzp", e.iss.Mint(clerktest.Session{AuthorizedParty: "https://evil.example"}, clerktest.TamperedSignature()), core.ReasonTokenInvalidSignature},
		{"3.6/SubEmpty", e.iss.Mint(clerktest.Session{Claims: map[string]any{"sub": ""}}), core.ReasonTokenVerificationFailed},
		{"3.6/SubArray", e.iss.Mint(clerktest.Session{Claims: map[string]any{"sub": []string{"user_1"}}}), core.ReasonTokenVerificationFailed},
		{"3.6/SubObject", e.iss.Mint(clerktest.Session{Claims: map[string]any{"sub": map[string]any{"id": "user_1"}}}), core.ReasonTokenVerificationFailed},
		{"3.6/SubBool", e.iss.Mint(clerktest.Session{Claims: map[string]any{"sub": true}}), core.ReasonTokenVerificationFailed},
		{"3.6/SubMachinePrefixOnly", e.iss.Mint(clerktest.Session{UserID: "mch_"}), core.ReasonTokenTypeMismatch},
		{"3.6/SubMachineUppercaseIsNotMachine", e.iss.Mint(clerktest.Session{UserID: "MCH_1"}), ""},
		{"3.7/SecondParty", e.iss.Mint(clerktest.Session{AuthorizedParty: "https://app.example"}), ""},
		{"3.7/AzpCaseDiffers", e.iss.Mint(clerktest.Session{AuthorizedParty: "HTTPS://APP.EXAMPLE"}), core.ReasonTokenInvalidAuthorizedParties},
		{"3.7/AzpWithPath", e.iss.Mint(clerktest.Session{AuthorizedParty: "https://app.example/x"}), core.ReasonTokenInvalidAuthorizedParties},
		{"3.7/AzpPrefixOfParty", e.iss.Mint(clerktest.Session{AuthorizedParty: "https://app.exampl"}), core.ReasonTokenInvalidAuthorizedParties},
		{"3.7/AzpEmpty", e.iss.Mint(clerktest.Session{Claims: map[string]any{"azp": ""}}), core.ReasonTokenInvalidAuthorizedParties},
		{"3.7/AzpNumber", e.iss.Mint(clerktest.Session{Claims: map[string]any{"azp": 1}}), core.ReasonTokenInvalidAuthorizedParties},
		{"3.7/AzpArrayOfParty", e.iss.Mint(clerktest.Session{Claims: map[string]any{"azp": []string{"https://app.example"}}}), core.ReasonTokenInvalidAuthorizedParties},
		{"3.8/IssuerTrailingSlash", e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": e.iss.IssuerURL() + "/"}}), core.ReasonTokenInvalidIssuer},
		{"3.8/IssuerCaseDiffers", e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": strings.ToUpper(e.iss.IssuerURL())}}), core.ReasonTokenInvalidIssuer},
		{"3.8/IssuerHTTP", e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": strings.Replace(e.iss.IssuerURL(), "https", "http", 1)}}), core.ReasonTokenInvalidIssuer},
		{"3.8/IssuerEmpty", e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": ""}}), core.ReasonTokenInvalidIssuer},
		{"3.8/IssuerNumber", e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": 7}}), core.ReasonTokenInvalidIssuer},
		{"3.9/ExpAtBoundary", rawToken(e, hdr(""), exp(strconv.FormatInt(now-5, 10))), core.ReasonTokenExpired},
		{"3.9/ExpOneSecondAfterBoundary", rawToken(e, hdr(""), exp(strconv.FormatInt(now-4, 10))), ""},
		{"3.9/ExpHalfSecondAfterBoundary", rawToken(e, hdr(""), exp(strconv.FormatInt(now-5, 10)+".5")), ""},
		{"3.9/ExpHalfSecondBeforeBoundary", rawToken(e, hdr(""), exp(strconv.FormatInt(now-6, 10)+".5")), core.ReasonTokenExpired},
		{"3.9/ExpNow", rawToken(e, hdr(""), exp(strconv.FormatInt(now, 10))), ""},
		{"3.9/ExpZero", rawToken(e, hdr(""), exp("0")), core.ReasonTokenExpired},
		{"3.9/ExpNegative", rawToken(e, hdr(""), exp("-1")), core.ReasonTokenExpired},
		{"3.9/ExpExponent", rawToken(e, hdr(""), exp(fmt.Sprintf("%de0", now+60))), ""},
		{"3.9/ExpFarFuture", rawToken(e, hdr(""), exp("1e300")), ""},
		{"3.9/ExpFarPast", rawToken(e, hdr(""), exp("-1e300")), core.ReasonTokenExpired},
		{"3.9/ExpNull", rawToken(e, hdr(""), exp("null")), core.ReasonTokenVerificationFailed},
		{"3.9/ExpNumericString", rawToken(e, hdr(""), exp(strconv.Quote(strconv.FormatInt(now+60, 10)))), core.ReasonTokenVerificationFailed},
		{"3.9/ExpBool", rawToken(e, hdr(""), exp("true")), core.ReasonTokenVerificationFailed},
		{"3.9/ExpObject", rawToken(e, hdr(""), exp(`{"t":1}`)), core.ReasonTokenVerificationFailed},
		{"3.9/ExpArray", rawToken(e, hdr(""), exp(`[9999999999]`)), core.ReasonTokenVerificationFailed},
		{"3.9/ExpMissingOtherwiseValid", rawToken(e, hdr(""), fmt.Sprintf(`{"sub":"user_1","azp":%q,"iss":%q}`, clerktest.DefaultAuthorizedParty, e.iss.IssuerURL())), core.ReasonTokenVerificationFailed},
		{"3.9/NbfAtBoundary", rawToken(e, hdr(""), pay(`,"nbf":`+strconv.FormatInt(now+5, 10))), ""},
		{"3.9/NbfOneSecondPastBoundary", rawToken(e, hdr(""), pay(`,"nbf":`+strconv.FormatInt(now+6, 10))), core.ReasonTokenNotActiveYet},
		{"3.9/NbfFractionPastBoundary", rawToken(e, hdr(""), pay(`,"nbf":`+strconv.FormatInt(now+5, 10)+".25")), core.ReasonTokenNotActiveYet},
		{"3.9/NbfNull", rawToken(e, hdr(""), pay(`,"nbf":null`)), ""},
		{"3.9/NbfZero", rawToken(e, hdr(""), pay(`,"nbf":0`)), ""},
		{"3.9/NbfBool", rawToken(e, hdr(""), pay(`,"nbf":false`)), core.ReasonTokenVerificationFailed},
		{"3.9/IatAtBoundary", rawToken(e, hdr(""), pay(`,"iat":`+strconv.FormatInt(now+5, 10))), ""},
		{"3.9/IatOneSecondPastBoundary", rawToken(e, hdr(""), pay(`,"iat":`+strconv.FormatInt(now+6, 10))), core.ReasonTokenIatInTheFuture},
		{"3.9/IatString", rawToken(e, hdr(""), pay(`,"iat":"now"`)), core.ReasonTokenVerificationFailed},
		{"3.9/IatNull", rawToken(e, hdr(""), pay(`,"iat":null`)), ""},
		{"3.9/IatFarPast", rawToken(e, hdr(""), pay(`,"iat":1`)), ""},
		{"3.10/PendingByDefaultSignedOut", rawToken(e, hdr(""), pay(`,"sts":"pending"`)), core.ReasonSessionPending},
		{"3.10/ActiveSignedIn", rawToken(e, hdr(""), pay(`,"sts":"active"`)), ""},
		{"3.10/StatusAbsentSignedIn", rawToken(e, hdr(""), pay("")), ""},
		{"3.10/PendingIsCaseSensitive", rawToken(e, hdr(""), pay(`,"sts":"PENDING"`)), ""},
		{"3.10/ExpiredPendingIsExpired", rawToken(e, hdr(""), fmt.Sprintf(`{"sub":"user_1","azp":%q,"iss":%q,"exp":%d,"sts":"pending"}`, clerktest.DefaultAuthorizedParty, e.iss.IssuerURL(), now-60)), core.ReasonTokenExpired},
		{"3.11/UnknownHeaderParams", rawToken(e, hdr(`,"x5t":"abc","crit":["x"],"jku":"https://evil.example"`), pay("")), ""},
		{"3.11/UnknownClaimsOfAnyType", rawToken(e, hdr(""), pay(`,"new":[1,{"a":null}],"n":1.5,"b":true,"z":null`)), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := a.VerifyToken(t.Context(), tc.token)
			if tc.want == "" {
				if err != nil || c == nil {
					t.Fatalf("behaviour.md §%s: want signed in, got %v", tc.name, err)
				}
				return
			}
			if core.ReasonOf(err) != tc.want || c != nil {
				t.Fatalf("behaviour.md §%s: claims %v err %v, want reason %s", tc.name, c, err, tc.want)
			}
		})
	}
}

func mustB64(s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// rawNone is an unsigned token (alg none, empty signature).
func rawNone(e *ruleEnv, payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT","kid":"`+e.iss.KID()+`"}`)) + "." + enc([]byte(payload)) + "."
}

// behaviour.md §3.7, 3.8: without configuration, azp and iss of any shape pass.
func TestRule3_7And3_8_AnyValueWhenNotConfigured(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	for name, claims := range map[string]map[string]any{
		"AzpEmpty": {"azp": ""}, "AzpNumber": {"azp": 1}, "AzpNull": {"azp": nil},
		"IssAbsent": {"iss": nil}, "IssNumber": {"iss": 1}, "IssOther": {"iss": "https://x.example"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: claims})); err != nil {
				t.Fatalf("behaviour.md §3.7/3.8: %v", err)
			}
		})
	}
}

// behaviour.md §3.8: issuer derivation from publishable keys.
func TestRule3_8_PublishableKeyEdges(t *testing.T) {
	std := base64.StdEncoding.EncodeToString
	raw := base64.RawStdEncoding.EncodeToString
	ok := []struct{ name, pk, want string }{
		{"Test", "pk_test_" + std([]byte("clerk.example.com$")), "https://clerk.example.com"},
		{"Live", "pk_live_" + std([]byte("clerk.acme.io$")), "https://clerk.acme.io"},
		{"Unpadded", "pk_test_" + raw([]byte("a.clerk.accounts.dev$")), "https://a.clerk.accounts.dev"},
		{"DevInstance", "pk_test_" + std([]byte("fond-mole-12.clerk.accounts.dev$")), "https://fond-mole-12.clerk.accounts.dev"},
	}
	for _, tc := range ok {
		t.Run("3.8/"+tc.name, func(t *testing.T) {
			got, err := core.IssuerFromPublishableKey(tc.pk)
			if err != nil || got != tc.want {
				t.Fatalf("behaviour.md §3.8: %q → %q, %v; want %q", tc.pk, got, err, tc.want)
			}
			e := newRuleEnv(t)
			a := e.authorizer(t, core.WithPublishableKey(tc.pk))
			if a.Issuer() != tc.want {
				t.Fatalf("behaviour.md §3.8: Authorizer issuer %q, want %q", a.Issuer(), tc.want)
			}
			_, err = a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": tc.want}}))
			if err != nil {
				t.Fatalf("behaviour.md §3.8: token with the derived issuer: %v", err)
			}
			_, err = a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": tc.want + "/"}}))
			if !errors.Is(err, core.ErrTokenInvalidIssuer) {
				t.Fatalf("behaviour.md §3.8: token with another issuer: %v", err)
			}
		})
	}
	bad := map[string]string{
		"Empty":          "",
		"NoBody":         "pk_live_",
		"WrongPrefix":    "pk_prod_" + std([]byte("clerk.example.com$")),
		"SecretKey":      "sk_test_" + std([]byte("clerk.example.com$")),
		"UpperPrefix":    "PK_TEST_" + std([]byte("clerk.example.com$")),
		"NoDollar":       "pk_test_" + std([]byte("clerk.example.com")),
		"OnlyDollar":     "pk_test_" + std([]byte("$")),
		"NotBase64":      "pk_test_***",
		"DollarInMiddle": "pk_test_" + std([]byte("clerk$example.com$")),
		"WithPath":       "pk_test_" + std([]byte("clerk.example.com/x$")),
	}
	for name, pk := range bad {
		t.Run("3.8/Malformed"+name, func(t *testing.T) {
			if _, err := core.IssuerFromPublishableKey(pk); err == nil {
				t.Fatalf("behaviour.md §3.8: %q accepted", pk)
			}
			e := newRuleEnv(t)
			if pk == "" {
				return // an empty option value is no publishable key
			}
			_, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithPublishableKey(pk))
			if !errors.Is(err, core.ErrConfig) {
				t.Fatalf("behaviour.md §3.8: New with a malformed publishable key: %v", err)
			}
			_, err = core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithIssuer("https://clerk.example.com"), core.WithPublishableKey(pk))
			if !errors.Is(err, core.ErrConfig) {
				t.Fatalf("behaviour.md §3.8: a malformed publishable key must fail New even with WithIssuer: %v", err)
			}
		})
	}
	t.Run("3.8/IssuerOptionWinsOverPublishableKey", func(t *testing.T) {
		e := newRuleEnv(t)
		a := e.authorizer(t, core.WithIssuer(e.iss.IssuerURL()), core.WithPublishableKey("pk_test_"+std([]byte("clerk.other.example$"))))
		if a.Issuer() != e.iss.IssuerURL() {
			t.Fatalf("issuer %q", a.Issuer())
		}
		if _, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{})); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("3.8/NoIssuerNoCheck", func(t *testing.T) {
		e := newRuleEnv(t)
		if iss := e.authorizer(t).Issuer(); iss != "" {
			t.Fatalf("issuer %q without configuration", iss)
		}
	})
}

// behaviour.md §3.9: the skew applies symmetrically with a configured value.
func TestRule3_9_CustomSkewBoundaries(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithClockSkew(30*time.Second), core.WithTokenCache(0))
	now := e.clock.Now().Unix()
	mint := func(claims map[string]any) string {
		c := map[string]any{"sub": "user_1", "exp": now + 60}
		for k, v := range claims {
			c[k] = v
		}
		return e.iss.MintClaims(c)
	}
	cases := []struct {
		name   string
		claims map[string]any
		want   core.Reason
	}{
		{"ExpAtBoundary", map[string]any{"exp": now - 30}, core.ReasonTokenExpired},
		{"ExpAfterBoundary", map[string]any{"exp": now - 29}, ""},
		{"NbfAtBoundary", map[string]any{"nbf": now + 30}, ""},
		{"NbfPastBoundary", map[string]any{"nbf": now + 31}, core.ReasonTokenNotActiveYet},
		{"IatAtBoundary", map[string]any{"iat": now + 30}, ""},
		{"IatPastBoundary", map[string]any{"iat": now + 31}, core.ReasonTokenIatInTheFuture},
	}
	for _, tc := range cases {
		t.Run("3.9/"+tc.name, func(t *testing.T) {
			_, err := a.VerifyToken(t.Context(), mint(tc.claims))
			if core.ReasonOf(err) != tc.want {
				t.Fatalf("behaviour.md §3.9: %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("3.9/ZeroSkew", func(t *testing.T) {
		z := e.authorizer(t, core.WithClockSkew(0), core.WithTokenCache(0))
		for _, tc := range []struct {
			claims map[string]any
			want   core.Reason
		}{
			{map[string]any{"exp": now}, core.ReasonTokenExpired},
			{map[string]any{"exp": now + 1}, ""},
			{map[string]any{"nbf": now}, ""},
			{map[string]any{"nbf": now + 1}, core.ReasonTokenNotActiveYet},
			{map[string]any{"iat": now}, ""},
			{map[string]any{"iat": now + 1}, core.ReasonTokenIatInTheFuture},
		} {
			if _, err := z.VerifyToken(t.Context(), mint(tc.claims)); core.ReasonOf(err) != tc.want {
				t.Errorf("behaviour.md §3.9 zero skew %v: %v, want %q", tc.claims, err, tc.want)
			}
		}
	})
}

// behaviour.md §3.10: accepted pending sessions are fully signed in and say pending;
// the other checks still apply to them.
func TestRule3_10_PendingEdges(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithPendingSessions(true), core.WithAuthorizedParties("https://app.example"))
	_, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Status: "pending"}))
	if !errors.Is(err, core.ErrTokenInvalidAuthorizedParties) {
		t.Fatalf("behaviour.md §3.10: accepting pending sessions must not skip behaviour.md §3.7: %v", err)
	}
	c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Status: "pending", AuthorizedParty: "https://app.example"}))
	if err != nil || !c.Pending() {
		t.Fatalf("behaviour.md §3.10: %v", err)
	}
	strict := e.authorizer(t)
	tok := e.iss.Mint(clerktest.Session{Status: "pending"})
	for i := 0; i < 2; i++ { // the second use is a cache hit
		if _, err := strict.VerifyToken(t.Context(), tok); !errors.Is(err, core.ErrSessionPending) {
			t.Fatalf("behaviour.md §3.10 use %d: %v", i, err)
		}
	}
}

// behaviour.md §3.11: claims stay reachable as the exact signed JSON.
func TestRule3_11_RawClaimsExact(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	now := e.clock.Now().Unix()
	payload := fmt.Sprintf(`{"sub":"user_1","exp":%d,"tenant":{"id":"t_1","tier":3},"roles":["a","b"]}`, now+60)
	c, err := a.VerifyToken(t.Context(), rawToken(e, `{"alg":"RS256","typ":"JWT"}`, payload))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Raw(), []byte(payload)) {
		t.Fatalf("behaviour.md §3.11: Raw = %s", c.Raw())
	}
	var custom struct {
		Tenant struct {
			ID   string `json:"id"`
			Tier int    `json:"tier"`
		} `json:"tenant"`
		Roles []string `json:"roles"`
	}
	if err := c.Decode(&custom); err != nil || custom.Tenant.ID != "t_1" || custom.Tenant.Tier != 3 || !slices.Equal(custom.Roles, []string{"a", "b"}) {
		t.Fatalf("behaviour.md §3.11: Decode = %+v, %v", custom, err)
	}
	var nilClaims *core.Claims
	if nilClaims.Raw() != nil || nilClaims.Decode(&custom) == nil {
		t.Fatal("nil claims")
	}
}

// behaviour.md §4: claims model edges.
func TestRule4_Edges(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	verify := func(t *testing.T, claims map[string]any) *core.Claims {
		t.Helper()
		c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: claims}))
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
		return c
	}
	t.Run("4.2/VersionNumber2Float", func(t *testing.T) {
		for _, v := range []any{2, 2.0, json.Number("2.0"), json.Number("2e0"), json.Number("20e-1")} {
			c := verify(t, map[string]any{"v": v, "o": map[string]any{"id": "org_1", "rol": "admin"}})
			if c.Version != 2 || c.OrgID != "org_1" || c.OrgRole != "org:admin" {
				t.Fatalf("behaviour.md §4.2: v=%v gave version %d org %q role %q", v, c.Version, c.OrgID, c.OrgRole)
			}
		}
	})
	t.Run("4.3/VersionOtherIsV1", func(t *testing.T) {
		for _, v := range []any{"2", 2.5, 0, -2, nil, []int{2}, map[string]int{"v": 2}, false} {
			c := verify(t, map[string]any{"v": v, "o": map[string]any{"id": "org_v2", "rol": "admin"},
				"org_id": "org_v1", "org_role": "admin", "org_slug": "legacy", "org_permissions": []string{"org:a:b"}})
			if c.Version != 1 || c.OrgID != "org_v1" || c.OrgRole != "admin" || c.OrgSlug != "legacy" || !slices.Equal(c.OrgPermissions, []string{"org:a:b"}) {
				t.Fatalf("behaviour.md §4.3: v=%v gave %+v", v, c)
			}
		}
	})
	t.Run("4.2/V2IgnoresFlatClaims", func(t *testing.T) {
		c := verify(t, map[string]any{"org_id": "org_v1", "org_role": "org:admin", "org_permissions": []string{"org:a:b"}})
		if c.Version != 2 || c.OrgID != "" || c.OrgRole != "" || len(c.OrgPermissions) != 0 {
			t.Fatalf("behaviour.md §4.2: v2 token read v1 claims: %+v", c)
		}
	})
	t.Run("4.2/RolePrefixedNotDoubled", func(t *testing.T) {
		for rol, want := range map[string]string{"admin": "org:admin", "org:admin": "org:admin", "org:org:admin": "org:admin", "billing_manager": "org:billing_manager"} {
			c := verify(t, map[string]any{"o": map[string]any{"id": "org_1", "rol": rol}})
			if c.OrgRole != want {
				t.Fatalf("behaviour.md §4.2: rol %q → %q, want %q", rol, c.OrgRole, want)
			}
			if !c.HasRole("admin") && want == "org:admin" {
				t.Fatalf("behaviour.md §5.3: rol %q", rol)
			}
		}
	})
	t.Run("4.2/OrgWithSlugAndPermissions", func(t *testing.T) {
		c := verify(t, map[string]any{"fea": "o:invoices", "o": map[string]any{"id": "org_1", "slg": "acme", "rol": "member", "per": "read,create", "fpm": "2"}})
		if c.OrgID != "org_1" || c.OrgSlug != "acme" || c.OrgRole != "org:member" || !slices.Equal(c.OrgPermissions, []string{"org:invoices:create"}) {
			t.Fatalf("behaviour.md §4.2: %+v", c)
		}
	})
	t.Run("4.2/NoOrgClaim", func(t *testing.T) {
		c := verify(t, map[string]any{"fea": "o:a,u:b"})
		if c.OrgID != "" || c.OrgRole != "" || c.OrgPermissions != nil || c.HasPermission("a:x") {
			t.Fatalf("behaviour.md §4.2: no o claim: %+v", c)
		}
		if !slices.Equal(c.OrgFeatures, []string{"a"}) || !slices.Equal(c.UserFeatures, []string{"b"}) {
			t.Fatalf("behaviour.md §4.4: features without an org: %+v", c)
		}
	})
	t.Run("4.3/V1RoleWithoutPrefixUsedAsIs", func(t *testing.T) {
		c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "basic_member"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.OrgRole != "basic_member" || !c.HasRole("basic_member") || !c.HasRole("org:basic_member") || c.HasRole("admin") {
			t.Fatalf("behaviour.md §4.3/5.3: %+v", c)
		}
		if c.OrgPermissions == nil || len(c.OrgPermissions) != 0 {
			t.Fatalf("behaviour.md §4.3: empty org_permissions must be an empty list: %#v", c.OrgPermissions)
		}
	})
	t.Run("4.3/V1PermissionsUsedAsIs", func(t *testing.T) {
		c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "org:admin",
			OrgPermissions: []string{"org:invoices:create", "org:sys_memberships:read"}}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.OrgPermissions, []string{"org:invoices:create", "org:sys_memberships:read"}) || !c.HasPermission("sys_memberships:read") {
			t.Fatalf("behaviour.md §4.3: %q", c.OrgPermissions)
		}
	})
	t.Run("4.1/ActorAndFVA", func(t *testing.T) {
		c := verify(t, map[string]any{"act": map[string]any{"sub": "user_admin", "sid": "sess_x", "iss": "https://dashboard.clerk.com", "type": "impersonation", "extra": 1},
			"fva": []int{-1, 10}})
		if c.Actor == nil || *c.Actor != (core.Actor{Subject: "user_admin", SessionID: "sess_x", Issuer: "https://dashboard.clerk.com", Type: "impersonation"}) {
			t.Fatalf("behaviour.md §4.1: act %+v", c.Actor)
		}
		if !c.Impersonated() || c.UserID() != "user_test" {
			t.Fatal("behaviour.md §4.1: impersonated sessions are fully signed in as the user")
		}
		if c.FactorVerificationAge == nil || *c.FactorVerificationAge != [2]int{-1, 10} {
			t.Fatalf("behaviour.md §4.1: fva %v", c.FactorVerificationAge)
		}
		plain := verify(t, nil)
		if plain.Actor != nil || plain.Impersonated() || plain.FactorVerificationAge != nil {
			t.Fatalf("behaviour.md §4.1: absent act/fva: %+v", plain)
		}
	})
	t.Run("4.1/TimesAndStatus", func(t *testing.T) {
		now := e.clock.Now().Unix()
		c := verify(t, map[string]any{"iat": now - 10, "nbf": now - 20, "exp": now + 30, "sts": "active"})
		if c.IssuedAt.Unix() != now-10 || c.NotBefore.Unix() != now-20 || c.Expiry.Unix() != now+30 || c.SessionStatus != "active" {
			t.Fatalf("behaviour.md §4.1: %v %v %v %q", c.IssuedAt, c.NotBefore, c.Expiry, c.SessionStatus)
		}
		c = verify(t, map[string]any{"iat": nil, "nbf": nil, "sts": nil})
		if !c.IssuedAt.IsZero() || !c.NotBefore.IsZero() || c.SessionStatus != "" {
			t.Fatalf("behaviour.md §4.1: absent times must be zero: %v %v %q", c.IssuedAt, c.NotBefore, c.SessionStatus)
		}
	})
	t.Run("4.5/OrgWithoutPerOrFpmIsEmptyList", func(t *testing.T) {
		for name, o := range map[string]map[string]any{
			"NoPerNoFpm":   {"id": "org_1"},
			"NoPer":        {"id": "org_1", "fpm": "1"},
			"NoFpm":        {"id": "org_1", "per": "read"},
			"EmptyStrings": {"id": "org_1", "per": "", "fpm": ""},
			"NullPer":      {"id": "org_1", "per": nil, "fpm": "1"},
		} {
			c := verify(t, map[string]any{"fea": "o:a", "o": o})
			if c.OrgPermissions == nil || len(c.OrgPermissions) != 0 {
				t.Fatalf("behaviour.md §4.5 %s: %#v", name, c.OrgPermissions)
			}
		}
	})
}

// behaviour.md §4.4, 4.5: more fea/per/fpm decoding edges through real tokens.
func TestRule4_5_DecodingEdges(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	per65 := make([]string, 65)
	for i := range per65 {
		per65[i] = "p" + strconv.Itoa(i)
	}
	cases := []struct {
		name          string
		fea, per, fpm string
		want          []string
	}{
		{"PlusSignInvalid", "o:a,o:b", "read", "+1,1", []string{"org:b:read"}},
		{"InnerSpaceInvalid", "o:a,o:b", "read,write", "1 2,1", []string{"org:b:read"}},
		{"SurroundingSpacesValid", "o:a", "read,write", "  3  ", []string{"org:a:read", "org:a:write"}},
		{"LeadingZerosValid", "o:a", "read,write", "0003", []string{"org:a:read", "org:a:write"}},
		{"UnicodeDigitInvalid", "o:a,o:b", "read", "１,1", []string{"org:b:read"}},
		{"ExponentInvalid", "o:a,o:b", "read", "1e0,1", []string{"org:b:read"}},
		{"Uint64Max", "o:a", strings.Join(per65, ","), "18446744073709551615", per65Perms("a", per65[:64])},
		{"TwoPow64", "o:a", strings.Join(per65, ","), "18446744073709551616", []string{"org:a:p64"}},
		{"TwoPow64Plus1", "o:a", strings.Join(per65, ","), "18446744073709551617", []string{"org:a:p0", "org:a:p64"}},
		{"Bit53Only", "o:a", strings.Join(per65, ","), "9007199254740992", []string{"org:a:p53"}},
		{"HugeMaskAllBitsBeyondPer", "o:a", "read", strings.Repeat("9", 100) + "0", []string{}},
		{"MaskOrderIsPerOrder", "o:a", "z,y,x", "5", []string{"org:a:z", "org:a:x"}},
		{"FeatureOrderKept", "o:b,o:a", "read", "1,1", []string{"org:b:read", "org:a:read"}},
		{"UserOnlyFeatures", "u:a,u:b", "read", "1,1", []string{}},
		{"UserThenOrgThenUser", "u:x,o:a,u:y,o:b", "read,write", "3,1,3,2", []string{"org:a:read", "org:b:write"}},
		{"OUAndUOInMiddle", "u:x,ou:a,uo:b", "read,write", "3,1,2", []string{"org:a:read", "org:b:write"}},
		{"ScopeUpperCaseIgnored", "O:a,o:b", "read", "1,1", []string{"org:b:read"}},
		{"ElementWithoutColonAnywhere", "broken,o:a", "read", "1,1", []string{}},
		{"SpacesAroundElements", "  o:a  ,  o:b ", "read", "1,1", []string{"org:a:read", "org:b:read"}},
		{"EmptyPerNameKeepsPosition", "o:a", "read,,write", "7", []string{"org:a:read", "org:a:write"}},
		{"FeatureNameWithColon", "o:a:b", "read", "1", []string{"org:a:b:read"}},
		{"EmptyFeatureNameGrantsNothing", "o:,o:b", "read", "1,1", []string{"org:b:read"}},
		{"FewerMasksThanFeatures", "o:a,o:b,o:c", "read", "1,1", []string{"org:a:read", "org:b:read"}},
	}
	for _, tc := range cases {
		t.Run("4.5/"+tc.name, func(t *testing.T) {
			c, err := a.VerifyToken(t.Context(), mintV2(e, tc.fea, tc.per, tc.fpm))
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if c.OrgPermissions == nil || !slices.Equal(c.OrgPermissions, tc.want) {
				t.Fatalf("behaviour.md §4.5: fea %q per %q fpm %q → %q, want %q", tc.fea, tc.per, tc.fpm, c.OrgPermissions, tc.want)
			}
		})
	}
	t.Run("4.4/MalformedFeaGivesNoFeaturesAndNoPermissions", func(t *testing.T) {
		c, err := a.VerifyToken(t.Context(), mintV2(e, "o:a,nocolon,u:b", "read", "1,1,1"))
		if err != nil {
			t.Fatal(err)
		}
		if c.OrgFeatures != nil || c.UserFeatures != nil || len(c.OrgPermissions) != 0 || c.HasFeature("a") || c.HasPermission("a:read") {
			t.Fatalf("behaviour.md §4.4: %+v", c)
		}
	})
	t.Run("4.4/PlansUseTheSameSyntax", func(t *testing.T) {
		c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: map[string]any{"pla": " o:pro , u:free ,ou:both,x:no"}}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.OrgPlans, []string{"pro", "both"}) || !slices.Equal(c.UserPlans, []string{"free", "both"}) {
			t.Fatalf("behaviour.md §4.4/5.4: plans %q %q", c.OrgPlans, c.UserPlans)
		}
		if !c.HasPlan("org:pro") || !c.HasPlan("user:free") || !c.HasPlan("both") || c.HasPlan("no") || c.HasPlan("u:pro") {
			t.Fatal("behaviour.md §5.4: plan checks")
		}
		m, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: map[string]any{"pla": "o:pro,free"}}))
		if err != nil || m.OrgPlans != nil || m.UserPlans != nil || m.HasPlan("pro") {
			t.Fatalf("behaviour.md §4.4: malformed pla: %+v %v", m, err)
		}
	})
	t.Run("4.5/EncodePermissionsRoundTrip", func(t *testing.T) {
		perms := make([]string, 0, 70)
		for i := 0; i < 70; i++ {
			perms = append(perms, fmt.Sprintf("org:f%d:p%d", i%3, i))
		}
		c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{OrgID: "org_1", OrgPermissions: perms, UserFeatures: []string{"beta"}}))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range perms {
			if !c.HasPermission(p) {
				t.Fatalf("behaviour.md §4.5: clerktest-encoded %s lost (have %d permissions)", p, len(c.OrgPermissions))
			}
		}
		if len(c.OrgPermissions) != len(perms) {
			t.Fatalf("behaviour.md §4.5: %d permissions, want %d", len(c.OrgPermissions), len(perms))
		}
	})
}

func per65Perms(feature string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "org:" + feature + ":" + n
	}
	return out
}

// behaviour.md §5: checks through verified tokens, and the corners of the syntax.
func TestRule5_Edges(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	c, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create", "org:invoices:read"}, OrgFeatures: []string{"analytics"},
		UserFeatures: []string{"beta"}, OrgPlans: []string{"pro"}, UserPlans: []string{"free"}}))
	if err != nil {
		t.Fatal(err)
	}
	noOrg, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{UserFeatures: []string{"beta"}, UserPlans: []string{"free"}}))
	if err != nil {
		t.Fatal(err)
	}
	machine := &core.Claims{TokenType: core.M2MToken, Subject: "mch_1", OrgID: "org_1", OrgRole: "org:admin",
		OrgPermissions: []string{"org:invoices:create"}, OrgFeatures: []string{"analytics"}, Scopes: []string{"read"}}
	noSub := &core.Claims{TokenType: core.SessionToken, OrgID: "org_1", OrgRole: "org:admin", OrgPermissions: []string{"org:invoices:create"},
		OrgFeatures: []string{"analytics"}, UserPlans: []string{"free"}}
	cases := []struct {
		name string
		got  bool
		want bool
	}{
		{"5.2/ManyPrefixes", c.HasPermission("org:org:org:invoices:create"), true},
		{"5.2/PrefixedFeatureOnly", c.HasPermission("org:invoices"), false},
		{"5.2/FeatureOnlyUnprefixed", c.HasPermission("invoices"), false},
		{"5.2/SuffixDoesNotMatch", c.HasPermission("invoices:creat"), false},
		{"5.2/TrailingColon", c.HasPermission("invoices:create:"), false},
		{"5.2/UppercasePrefixNotStripped", c.HasPermission("ORG:invoices:create"), false},
		{"5.2/WhitespaceNotTrimmed", c.HasPermission(" org:invoices:create"), false},
		{"5.2/OrgOrgOnly", c.HasPermission("org:org:"), false},
		{"5.2/NoOrgNoPermission", noOrg.HasPermission("invoices:create"), false},
		{"5.3/ClaimBareQueryPrefixed", c.HasRole("org:admin"), true},
		{"5.3/QueryManyPrefixes", c.HasRole("org:org:admin"), true},
		{"5.3/RoleCaseSensitive", c.HasRole("Admin"), false},
		{"5.3/RoleOnlyPrefix", c.HasRole("org:"), false},
		{"5.3/NoOrgNoRole", noOrg.HasRole("admin"), false},
		{"5.4/FeatureScopeEmptyName", c.HasFeature("org:"), false},
		{"5.4/FeatureEmpty", c.HasFeature(""), false},
		{"5.4/FeatureScopeUpperCase", c.HasFeature("ORG:analytics"), false},
		{"5.4/FeatureScopeOU", c.HasFeature("ou:analytics"), false},
		{"5.4/FeatureScopeEmpty", c.HasFeature(":analytics"), false},
		{"5.4/FeatureUserWithoutOrg", noOrg.HasFeature("user:beta"), true},
		{"5.4/FeatureBareWithoutOrg", noOrg.HasFeature("beta"), true},
		{"5.4/PlanOrganizationScope", c.HasPlan("organization:pro"), true},
		{"5.4/PlanUScope", c.HasPlan("u:free"), true},
		{"5.4/PlanUnknownScope", c.HasPlan("team:pro"), false},
		{"5.4/PlanEmpty", c.HasPlan(""), false},
		{"5.4/FeatureIsNotAPlan", c.HasPlan("analytics"), false},
		{"5.4/PlanIsNotAFeature", c.HasFeature("pro"), false},
		{"5.5/PermissionAndRole", c.Has(core.Check{Permission: "org:invoices:create", Role: "org:admin"}), true},
		{"5.5/FeatureAndPlanScoped", c.Has(core.Check{Feature: "user:beta", Plan: "o:pro"}), true},
		{"5.5/LastConditionFails", c.Has(core.Check{Permission: "invoices:read", Role: "admin", Feature: "analytics", Plan: "enterprise"}), false},
		{"5.5/SessionScopeFails", c.Has(core.Check{Role: "admin", Scope: "read"}), false},
		{"5.1/MachineTokenHasNoPermission", machine.HasPermission("invoices:create"), false},
		{"5.1/MachineTokenHasNoRole", machine.HasRole("admin"), false},
		{"5.1/MachineTokenHasNoFeature", machine.HasFeature("analytics"), false},
		{"5.1/NoSubPlan", noSub.HasPlan("free"), false},
		{"5.1/NoSubPermission", noSub.HasPermission("invoices:create"), false},
		{"5.1/NoSubHasAnything", noSub.Has(core.Check{Permission: "invoices:create"}), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Fatalf("behaviour.md §%s: got %v, want %v", tc.name, tc.got, tc.want)
			}
		})
	}
	t.Run("5.1/ClaimsWithoutSubjectAreSignedOut", func(t *testing.T) {
		res := &core.Result{Claims: noSub}
		if res.SignedIn() || res.Reason() != core.ReasonSessionTokenMissing {
			t.Fatalf("behaviour.md §5.1: %v %q", res.SignedIn(), res.Reason())
		}
		if _, ok := core.ClaimsFromContext(core.ContextWithClaims(t.Context(), noSub)); ok {
			t.Fatal("behaviour.md §5.1: claims without a subject reached a handler as signed in")
		}
	})
	t.Run("5.1/SignedOutGuardsRefuse", func(t *testing.T) {
		for _, g := range []core.Guard{core.RequireAuth(), core.RequirePermission("invoices:create"), core.RequireRole("admin"),
			core.RequireFeature("analytics"), core.RequirePlan("free"), core.Require(func(*core.Claims) bool { return true })} {
			err := g.Evaluate(&core.Result{Claims: noSub})
			if p := core.ProblemFor(err); p.Status != http.StatusUnauthorized {
				t.Fatalf("behaviour.md §5.1/7.2: %s on claims without sub: %d %v", g.Name(), p.Status, err)
			}
		}
	})
}

// behaviour.md §7.3: the exact bytes of every response, written through WriteProblem.
func TestRule7_3_ExactBytes(t *testing.T) {
	messages := map[core.Reason]string{}
	for _, r := range allReasons {
		messages[r] = r.Message()
	}
	for _, r := range allReasons {
		t.Run("7.3/"+string(r), func(t *testing.T) {
			rec := httptest.NewRecorder()
			core.WriteError(rec, fmt.Errorf("wrapped: %w", &core.Error{Reason: r, Detail: "eyJhbGciOiJSUzI1NiJ9.payload.sig"}))
			body := rec.Body.String()
			switch r {
			case core.ReasonJWKRemoteFailedToLoad, core.ReasonSecretKeyInvalid, core.ReasonUnexpectedError:
				if rec.Code != http.StatusServiceUnavailable {
					t.Fatalf("status %d", rec.Code)
				}
				if want := `{"error":"unavailable","reason":"` + string(r) + `","message":"` + messages[r] + `"}`; body != want {
					t.Fatalf("body %s, want %s", body, want)
				}
				if rec.Header().Get("WWW-Authenticate") != "" || rec.Header().Get("X-Clerk-Auth-Status") == "signed-out" {
					t.Fatalf("behaviour.md §2.5: a key-loading failure must not sign the user out: %v", rec.Header())
				}
			default:
				if rec.Code != http.StatusUnauthorized {
					t.Fatalf("status %d", rec.Code)
				}
				if want := `{"error":"unauthorized","reason":"` + string(r) + `","message":"` + messages[r] + `"}`; body != want {
					t.Fatalf("body %s, want %s", body, want)
				}
				wantWWW := `Bearer error="invalid_token"`
				if r == core.ReasonSessionTokenMissing {
					wantWWW = "Bearer"
				}
				h := rec.Header()
				if len(h.Values("WWW-Authenticate")) != 1 || h.Get("WWW-Authenticate") != wantWWW ||
					h.Get("X-Clerk-Auth-Status") != "signed-out" || h.Get("X-Clerk-Auth-Reason") != string(r) {
					t.Fatalf("headers %v", h)
				}
			}
			if rec.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("content type %q", rec.Header().Get("Content-Type"))
			}
			if strings.Contains(body, "eyJ") || strings.Contains(body, "wrapped") {
				t.Fatal("behaviour.md §7.3: detail or wrapper text leaked into the body")
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatal("body is not JSON")
			}
		})
	}
	t.Run("7.3/MessagesAreFixedAndDistinct", func(t *testing.T) {
		seen := map[string]core.Reason{}
		for r, m := range messages {
			if m == "" || strings.ContainsAny(m, `"\<>&`) {
				t.Fatalf("%s: message %q", r, m)
			}
			if o, dup := seen[m]; dup {
				t.Fatalf("%s and %s share a message", r, o)
			}
			seen[m] = r
		}
	})
	t.Run("7.3/ProblemHeaderIsACopy", func(t *testing.T) {
		rec := httptest.NewRecorder()
		p := core.ProblemFor(core.ErrTokenExpired)
		core.WriteProblem(rec, p)
		rec.Header().Set("X-Clerk-Auth-Reason", "changed")
		if core.ProblemFor(core.ErrTokenExpired).Header.Get("X-Clerk-Auth-Reason") != "token-expired" || p.Header.Get("X-Clerk-Auth-Reason") != "token-expired" {
			t.Fatal("WriteProblem aliased the Problem's header map")
		}
	})
	t.Run("7.3/EndToEndNoTokenInLogOrResponse", func(t *testing.T) {
		e := newRuleEnv(t)
		a := e.authorizer(t, core.WithAuthorizedParties("https://app.example"))
		for _, tok := range []string{
			e.iss.Mint(clerktest.Session{}),
			e.iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()),
			e.iss.Mint(clerktest.Session{}, clerktest.WithKID(strings.Repeat("k", 4000))),
			e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("typ", strings.Repeat("t", 4000))),
		} {
			r := httptest.NewRequest(http.MethodGet, "/x", nil)
			r.Header.Set("Authorization", "Bearer "+tok)
			_, err := a.AuthenticateHTTP(r)
			rec := httptest.NewRecorder()
			core.WriteError(rec, err)
			sig := tok[strings.LastIndexByte(tok, '.')+1:]
			if strings.Contains(rec.Body.String(), sig) || strings.Contains(e.logs.String(), sig) {
				t.Fatal("behaviour.md §7.3: the token leaked")
			}
		}
		if strings.Contains(e.logs.String(), strings.Repeat("k", 100)) || strings.Contains(e.logs.String(), strings.Repeat("t", 100)) {
			t.Fatal("attacker-controlled header values must be truncated in logs")
		}
	})
}

// behaviour.md §8: every reason code reaches the caller as documented, through the
// real code paths (not only through hand-made errors).
func TestRule8_ReasonsFromRealPaths(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithAuthorizedParties("https://app.example"), core.WithIssuer(e.iss.IssuerURL()))
	now := e.clock.Now()
	at := func(s clerktest.Session) clerktest.Session { s.AuthorizedParty = "https://app.example"; return s }
	cases := map[core.Reason]string{
		core.ReasonTokenInvalid:                  "x.y.z",
		core.ReasonTokenInvalidAlgorithm:         e.iss.Mint(at(clerktest.Session{}), clerktest.WithAlg("HS256")),
		core.ReasonTokenInvalidSignature:         e.iss.Mint(at(clerktest.Session{}), clerktest.TamperedSignature()),
		core.ReasonTokenInvalidAuthorizedParties: e.iss.Mint(clerktest.Session{}),
		core.ReasonTokenInvalidIssuer:            e.iss.Mint(at(clerktest.Session{Claims: map[string]any{"iss": "https://x.example"}})),
		core.ReasonTokenExpired:                  e.iss.Mint(at(clerktest.Session{TTL: -time.Minute})),
		core.ReasonTokenNotActiveYet:             e.iss.Mint(at(clerktest.Session{NotBefore: now.Add(time.Minute)})),
		core.ReasonTokenIatInTheFuture:           e.iss.Mint(at(clerktest.Session{IssuedAt: now.Add(time.Minute), NotBefore: now})),
		core.ReasonTokenVerificationFailed:       e.iss.Mint(at(clerktest.Session{Claims: map[string]any{"exp": "x"}})),
		core.ReasonTokenTypeMismatch:             e.iss.Mint(at(clerktest.Session{}), clerktest.WithHeader("cat", "cl_B7d4PD222AAA")),
		core.ReasonSessionPending:                e.iss.Mint(at(clerktest.Session{Status: "pending"})),
	}
	for want, tok := range cases {
		t.Run("8/"+string(want), func(t *testing.T) {
			_, err := a.VerifyToken(t.Context(), tok)
			var ce *core.Error
			if !errors.As(err, &ce) || ce.Reason != want || !errors.Is(err, &core.Error{Reason: want}) {
				t.Fatalf("behaviour.md §8: %v, want %s", err, want)
			}
			if ce.Error() == "" || !strings.Contains(ce.Error(), string(want)) {
				t.Fatalf("Error() = %q", ce.Error())
			}
		})
	}
}

// behaviour.md §2.4, 2.5: the attacks on the key source, in one place.
func TestRule2_Attacks(t *testing.T) {
	t.Run("2.5/StormBeforeWarmUpIsAll503AndOneFetch", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		iss.SetJWKSDown(true)
		a := jwksAuthorizer(t, iss, clk)
		var wg sync.WaitGroup
		for i := 0; i < 200; i++ {
			tok := iss.Mint(clerktest.Session{}, clerktest.WithKID(fmt.Sprintf("forged-%d", i)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := a.VerifyToken(context.Background(), tok)
				if p := core.ProblemFor(err); p.Status != http.StatusServiceUnavailable || p.Reason != core.ReasonJWKRemoteFailedToLoad {
					t.Errorf("behaviour.md §2.5: %d %s", p.Status, p.Reason)
				}
			}()
		}
		wg.Wait()
		if n := iss.JWKSRequests(); n > 2 {
			t.Fatalf("behaviour.md §2.4: %d JWKS requests while the endpoint is down", n)
		}
	})
	t.Run("2.4/UnknownKidAfterOutageIsNot401", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk, core.WithTokenCache(0))
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatal(err)
		}
		iss.SetJWKSDown(true)
		if err := iss.Rotate(true); err != nil {
			t.Fatal(err)
		}
		// A rotated key cannot be fetched: 503, so a real user is not
		// signed out by an outage.
		_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}))
		if core.ReasonOf(err) != core.ReasonJWKRemoteFailedToLoad {
			t.Fatalf("behaviour.md §2.5: %v", err)
		}
	})
	t.Run("2.4/ForgedKidRateLimited", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk)
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{})); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 20; i++ {
			_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.WithKID(fmt.Sprintf("forged-%d", i))))
			if !errors.Is(err, core.ErrJWKKidMismatch) {
				t.Fatalf("behaviour.md §2.5: %v", err)
			}
		}
		if n := iss.JWKSRequests(); n != 2 {
			t.Fatalf("behaviour.md §2.4: %d JWKS requests for 20 sequential forged kids (want warm-up + 1)", n)
		}
		clk.Advance(2 * time.Minute) // next rate-limit window
		_, _ = a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.WithKID("forged-later")))
		if n := iss.JWKSRequests(); n != 3 {
			t.Fatalf("behaviour.md §2.4: %d JWKS requests after the window, want 3", n)
		}
	})
	t.Run("2.5/LongForgedKidNotLoggedInFull", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		logs := &syncBuffer{}
		a := jwksAuthorizer(t, iss, clk, core.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
		long := strings.Repeat("k", 8000)
		_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.WithKID(long)))
		if !errors.Is(err, core.ErrJWKKidMismatch) {
			t.Fatalf("behaviour.md §2.5: %v", err)
		}
		if strings.Contains(logs.String(), long[:200]) || strings.Contains(err.Error(), long[:200]) {
			t.Fatal("an attacker-controlled kid must be truncated in logs and error details")
		}
	})
	t.Run("2.1/OtherKeyWithKnownKidAgainstJWKS", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk)
		other, err := clerktest.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.SignedBy(other)))
		if !errors.Is(err, core.ErrTokenInvalidSignature) {
			t.Fatalf("behaviour.md §3.5: %v", err)
		}
	})
	t.Run("3.3/RS384AndRS512WithJWKSKey", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk)
		for _, alg := range []string{"RS256", "RS384", "RS512"} {
			if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.WithAlg(alg))); err != nil {
				t.Fatalf("behaviour.md §3.3: %s with a JWKS key published as RS256: %v", alg, err)
			}
		}
		for _, alg := range []string{"PS256", "ES256", "none"} {
			if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.WithAlg(alg))); !errors.Is(err, core.ErrTokenInvalidAlgorithm) {
				t.Fatalf("behaviour.md §3.3: %s: %v", alg, err)
			}
		}
	})
	t.Run("3.3/HMACWithJWKSKeyBytes", func(t *testing.T) {
		iss, clk := jwksEnv(t)
		a := jwksAuthorizer(t, iss, clk)
		_, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{}, clerktest.WithAlg("HS256")))
		if !errors.Is(err, core.ErrTokenInvalidAlgorithm) {
			t.Fatalf("behaviour.md §3.3: %v", err)
		}
		if n := iss.JWKSRequests(); n != 0 {
			t.Fatalf("behaviour.md §3.3: a refused algorithm must not cost a JWKS fetch (%d)", n)
		}
	})
}

// behaviour.md §3.11: claim and header names are case-sensitive. A member whose name
// differs from a known one only by case (or by Unicode folding, as
// encoding/json would match it) is an unknown one: ignored, never read as the
// registered claim.
func TestRule3_11_NamesAreCaseSensitive(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithTokenCache(0))
	now := e.clock.Now().Unix()
	base := fmt.Sprintf(`"sub":"user_1","exp":%d`, now+60)
	cases := []struct {
		name, header, payload string
		want                  core.Reason
		check                 func(*core.Claims) bool
	}{
		{"UpperExpIgnored", `{"alg":"RS256"}`, `{` + base + `,"EXP":"not a number"}`, "", nil},
		{"UpperSubDoesNotOverride", `{"alg":"RS256"}`, `{` + base + `,"SUB":"mch_evil"}`, "",
			func(c *core.Claims) bool { return c.Subject == "user_1" }},
		{"TitleStsIgnored", `{"alg":"RS256"}`, `{` + base + `,"Sts":"pending"}`, "",
			func(c *core.Claims) bool { return c.SessionStatus == "" }},
		{"LongSSubIgnored", `{"alg":"RS256"}`, `{` + base + `,"ſub":"mch_evil"}`, "",
			func(c *core.Claims) bool { return c.Subject == "user_1" }},
		{"OnlyUpperSubIsNoSub", `{"alg":"RS256"}`, fmt.Sprintf(`{"SUB":"user_1","exp":%d}`, now+60), core.ReasonTokenVerificationFailed, nil},
		{"OnlyUpperExpIsNoExp", `{"alg":"RS256"}`, fmt.Sprintf(`{"sub":"user_1","Exp":%d}`, now+60), core.ReasonTokenVerificationFailed, nil},
		{"NestedOrgNamesExact", `{"alg":"RS256"}`, `{` + base + `,"v":2,"fea":"o:a","o":{"id":"org_1","ID":"org_2","rol":"admin","ROL":"owner","per":"read","fpm":"1","FPM":"0"}}`, "",
			func(c *core.Claims) bool {
				return c.OrgID == "org_1" && c.OrgRole == "org:admin" && slices.Equal(c.OrgPermissions, []string{"org:a:read"})
			}},
		{"NestedActorNamesExact", `{"alg":"RS256"}`, `{` + base + `,"act":{"sub":"user_admin","Sub":"user_other"}}`, "",
			func(c *core.Claims) bool { return c.Actor != nil && c.Actor.Subject == "user_admin" }},
		{"EscapedExactNameStillCounts", `{"alg":"RS256"}`, fmt.Sprintf(`{"s\u0075b":"user_1","exp":%d}`, now+60), "",
			func(c *core.Claims) bool { return c.Subject == "user_1" }},
		{"UpperAlgIsNotAlg", `{"ALG":"RS256"}`, `{` + base + `}`, core.ReasonTokenInvalidAlgorithm, nil},
		{"UpperTypIgnored", `{"alg":"RS256","TYP":"jwt"}`, `{` + base + `}`, "", nil},
		{"UpperCatIgnored", `{"alg":"RS256","cat":"cl_B7d4PD111AAA","CAT":"cl_B7d4PD222AAA"}`, `{` + base + `}`, "", nil},
		{"UpperAlgDoesNotOverride", `{"alg":"RS256","Alg":"none"}`, `{` + base + `}`, "", nil},
	}
	for _, tc := range cases {
		t.Run("3.11/"+tc.name, func(t *testing.T) {
			tok := rawToken(e, tc.header, tc.payload)
			c, err := a.VerifyToken(t.Context(), tok)
			if tc.want != "" {
				if core.ReasonOf(err) != tc.want {
					t.Fatalf("behaviour.md §3.11: %v, want %s", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("behaviour.md §3.11: %v", err)
			}
			if tc.check != nil && !tc.check(c) {
				t.Fatalf("behaviour.md §3.11: a case-folded name was read as a known one: %+v", c)
			}
			if !bytes.Equal(c.Raw(), []byte(tc.payload)) {
				t.Fatal("behaviour.md §3.11: Raw must stay the signed payload")
			}
		})
	}
}
