package core_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §1: where the token comes from.
func TestRule1_TokenSources(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	good := e.iss.Mint(clerktest.Session{UserID: "user_header"})
	cookieTok := e.iss.Mint(clerktest.Session{UserID: "user_cookie"})
	cases := []struct {
		name, auth, cookie string
		wantUser           string
		wantReason         core.Reason
	}{
		{"1.1/BearerScheme", "Bearer " + good, "", "user_header", ""},
		{"1.1/BearerLowercase", "bearer " + good, "", "user_header", ""},
		{"1.1/BearerUppercase", "BEARER " + good, "", "user_header", ""},
		{"1.1/NoSpaceTakenWhole", good, "", "user_header", ""},
		{"1.1/ExtraSpacesTrimmed", "Bearer   " + good, "", "user_header", ""},
		{"1.1/BasicIgnoredNoCookie", "Basic dXNlcjpwYXNz", "", "", core.ReasonSessionTokenMissing},
		{"1.1/BasicIgnoredCookieUsed", "Basic dXNlcjpwYXNz", cookieTok, "user_cookie", ""},
		{"1.1/BearerPrefixWithoutSpaceIsToken", "Bearer" + good, "", "", core.ReasonTokenInvalid},
		{"1.2/CookieOnly", "", cookieTok, "user_cookie", ""},
		{"1.3/HeaderWinsOverCookie", "Bearer " + good, cookieTok, "user_header", ""},
		{"1.3/InvalidHeaderStillWins", "Bearer not.a.token", cookieTok, "", core.ReasonTokenInvalid},
		{"1.4/NoToken", "", "", "", core.ReasonSessionTokenMissing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := a.Authenticate(t.Context(), req(tc.auth, tc.cookie))
			if tc.wantReason != "" {
				if !errors.Is(err, &core.Error{Reason: tc.wantReason}) {
					t.Fatalf("behaviour.md §%s: err = %v, want %s", tc.name, err, tc.wantReason)
				}
				return
			}
			if err != nil || c.UserID() != tc.wantUser {
				t.Fatalf("behaviour.md §%s: user %q err %v, want %q", tc.name, c.UserID(), err, tc.wantUser)
			}
		})
	}
	t.Run("1.2/CookieAuthDisabled", func(t *testing.T) {
		off := e.authorizer(t, core.WithCookieAuth(false))
		_, err := off.Authenticate(t.Context(), req("", cookieTok))
		if !errors.Is(err, core.ErrSessionTokenMissing) {
			t.Fatalf("behaviour.md §1.2: cookie read although disabled: %v", err)
		}
	})
}

// behaviour.md §3: verification, each rule with its reason, in order.
func TestRule3_Verification(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty), core.WithIssuer(e.iss.IssuerURL()))
	other, err := clerktest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	enc := base64.RawURLEncoding.EncodeToString
	valid := e.iss.Mint(clerktest.Session{})
	parts := strings.Split(valid, ".")
	cases := []struct {
		name  string
		token string
		want  core.Reason
	}{
		{"3.1/TwoParts", parts[0] + "." + parts[1], core.ReasonTokenInvalid},
		{"3.1/FourParts", valid + ".x", core.ReasonTokenInvalid},
		{"3.1/HeaderNotBase64", "!!!." + parts[1] + "." + parts[2], core.ReasonTokenInvalid},
		{"3.1/PaddedBase64", parts[0] + "=." + parts[1] + "." + parts[2], core.ReasonTokenInvalid},
		{"3.1/HeaderNotJSON", enc([]byte("nope")) + "." + parts[1] + "." + parts[2], core.ReasonTokenInvalid},
		{"3.1/PayloadNotJSON", e.iss.SignRaw([]byte(`{"alg":"RS256","typ":"JWT"}`), []byte("{not json}")), core.ReasonTokenInvalid},
		{"3.1/PayloadArray", e.iss.SignRaw([]byte(`{"alg":"RS256","typ":"JWT"}`), []byte(`[1,2]`)), core.ReasonTokenInvalid},
		{"3.1/Oversized", e.iss.Mint(clerktest.Session{Claims: map[string]any{"pad": strings.Repeat("a", 17<<10)}}), core.ReasonTokenInvalid},
		{"3.2/TypLowercase", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("typ", "jwt")), core.ReasonTokenInvalid},
		{"3.2/TypOther", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("typ", "JOSE")), core.ReasonTokenInvalid},
		{"3.2/TypNumber", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("typ", 1)), core.ReasonTokenInvalid},
		{"3.3/AlgNone", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("none")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/HS256WithPublicKey", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("HS256")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/ES256", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("ES256")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/PS256", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("PS256")), core.ReasonTokenInvalidAlgorithm},
		{"3.3/AlgMissing", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("alg", nil)), core.ReasonTokenInvalidAlgorithm},
		{"3.4/CatTemplate", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("cat", "cl_B7d4PD222AAA")), core.ReasonTokenTypeMismatch},
		{"3.4/CatM2M", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("cat", "cl_B7d4PD333AAA")), core.ReasonTokenTypeMismatch},
		{"3.5/Tampered", e.iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()), core.ReasonTokenInvalidSignature},
		{"3.5/OtherKeyKnownKid", e.iss.Mint(clerktest.Session{}, clerktest.SignedBy(other)), core.ReasonTokenInvalidSignature},
		{"3.5/PayloadSwapped", parts[0] + "." + strings.Split(e.iss.Mint(clerktest.Session{UserID: "user_evil"}), ".")[1] + "." + parts[2], core.ReasonTokenInvalidSignature},
		{"3.6/SubNumber", e.iss.Mint(clerktest.Session{Claims: map[string]any{"sub": 42}}), core.ReasonTokenVerificationFailed},
		{"3.6/SubMissing", e.iss.Mint(clerktest.Session{Claims: map[string]any{"sub": nil}}), core.ReasonTokenVerificationFailed},
		{"3.6/SubMachine", e.iss.Mint(clerktest.Session{UserID: "mch_1"}), core.ReasonTokenTypeMismatch},
		{"3.7/AzpOther", e.iss.Mint(clerktest.Session{AuthorizedParty: "https://evil.example"}), core.ReasonTokenInvalidAuthorizedParties},
		{"3.7/AzpTrailingSlash", e.iss.Mint(clerktest.Session{AuthorizedParty: clerktest.DefaultAuthorizedParty + "/"}), core.ReasonTokenInvalidAuthorizedParties},
		{"3.7/AzpAbsent", e.iss.Mint(clerktest.Session{Claims: map[string]any{"azp": nil}}), core.ReasonTokenInvalidAuthorizedParties},
		{"3.8/IssuerOther", e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": "https://other.example"}}), core.ReasonTokenInvalidIssuer},
		{"3.8/IssuerAbsent", e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": nil}}), core.ReasonTokenInvalidIssuer},
		{"3.9/ExpMissing", e.iss.Mint(clerktest.Session{Claims: map[string]any{"exp": nil}}), core.ReasonTokenVerificationFailed},
		{"3.9/ExpString", e.iss.Mint(clerktest.Session{Claims: map[string]any{"exp": "2099"}}), core.ReasonTokenVerificationFailed},
		{"3.9/NbfString", e.iss.Mint(clerktest.Session{Claims: map[string]any{"nbf": "0"}}), core.ReasonTokenVerificationFailed},
		{"3.9/ExpiredBeyondSkew", e.iss.Mint(clerktest.Session{IssuedAt: now.Add(-2 * time.Minute), TTL: time.Minute}), core.ReasonTokenExpired},
		{"3.9/ExpAtNowMinusSkew", e.iss.Mint(clerktest.Session{IssuedAt: now.Add(-time.Minute - 5*time.Second), TTL: time.Minute}), core.ReasonTokenExpired},
		{"3.9/NbfBeyondSkew", e.iss.Mint(clerktest.Session{NotBefore: now.Add(6 * time.Second)}), core.ReasonTokenNotActiveYet},
		{"3.9/IatBeyondSkew", e.iss.Mint(clerktest.Session{IssuedAt: now.Add(6 * time.Second), NotBefore: now}), core.ReasonTokenIatInTheFuture},
		{"3.10/Pending", e.iss.Mint(clerktest.Session{Status: "pending"}), core.ReasonSessionPending},
		{"3.11/UnknownHeaderAndClaims", e.iss.Mint(clerktest.Session{Claims: map[string]any{"new_claim": map[string]any{"x": 1}}}, clerktest.WithHeader("x-new", true)), ""},
		{"3.3/RS384", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("RS384")), ""},
		{"3.3/RS512", e.iss.Mint(clerktest.Session{}, clerktest.WithAlg("RS512")), ""},
		{"3.4/CatSession", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("cat", "cl_B7d4PD111AAA")), ""},
		{"3.4/CatIgnore", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("cat", "cl_I7d4PD111III")), ""},
		{"3.2/TypAbsent", e.iss.Mint(clerktest.Session{}, clerktest.WithHeader("typ", nil)), ""},
		{"3.9/ExpWithinSkew", e.iss.Mint(clerktest.Session{IssuedAt: now.Add(-time.Minute - 4*time.Second), TTL: time.Minute}), ""},
		{"3.9/NbfWithinSkew", e.iss.Mint(clerktest.Session{NotBefore: now.Add(5 * time.Second)}), ""},
		{"3.9/IatWithinSkew", e.iss.Mint(clerktest.Session{IssuedAt: now.Add(5 * time.Second), NotBefore: now}), ""},
		{"3.9/FractionalExp", e.iss.Mint(clerktest.Session{Claims: map[string]any{"exp": float64(now.Unix()) + 30.5}}), ""},
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
			var ce *core.Error
			if !errors.As(err, &ce) || ce.Reason != tc.want {
				t.Fatalf("behaviour.md §%s: err = %v, want reason %s", tc.name, err, tc.want)
			}
			if c != nil {
				t.Fatalf("behaviour.md §%s: claims returned with an error", tc.name)
			}
		})
	}
}

// behaviour.md §3.7, 3.8: with nothing configured, azp and iss are not checked.
func TestRule3_7And3_8_UncheckedWhenNotConfigured(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	tok := e.iss.Mint(clerktest.Session{AuthorizedParty: "https://anything.example", Claims: map[string]any{"iss": "https://x.example"}})
	if _, err := a.VerifyToken(t.Context(), tok); err != nil {
		t.Fatalf("behaviour.md §3.7/3.8: %v", err)
	}
	noAzp := e.iss.Mint(clerktest.Session{Claims: map[string]any{"azp": nil}})
	if _, err := a.VerifyToken(t.Context(), noAzp); err != nil {
		t.Fatalf("behaviour.md §3.7: token without azp and no parties configured: %v", err)
	}
}

// behaviour.md §3.8: the issuer derived from a publishable key is enforced.
func TestRule3_8_IssuerFromPublishableKey(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithPublishableKey(e.iss.PublishableKey()))
	if a.Issuer() != e.iss.IssuerURL() {
		t.Fatalf("derived issuer %q, want %q", a.Issuer(), e.iss.IssuerURL())
	}
	if _, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{})); err != nil {
		t.Fatal(err)
	}
	_, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Claims: map[string]any{"iss": "https://clerk.other.example"}}))
	if !errors.Is(err, core.ErrTokenInvalidIssuer) {
		t.Fatalf("behaviour.md §3.8: %v", err)
	}
	for pk, want := range map[string]string{
		"pk_test_" + base64.StdEncoding.EncodeToString([]byte("clerk.example.com$")): "https://clerk.example.com",
		"pk_live_" + base64.StdEncoding.EncodeToString([]byte("clerk.acme.io$")):     "https://clerk.acme.io",
	} {
		if got, err := core.IssuerFromPublishableKey(pk); err != nil || got != want {
			t.Errorf("IssuerFromPublishableKey(%q) = %q, %v; want %q", pk, got, err, want)
		}
	}
	for _, bad := range []string{"", "pk_test_", "sk_test_abc", "pk_prod_" + base64.StdEncoding.EncodeToString([]byte("x$")),
		"pk_test_" + base64.StdEncoding.EncodeToString([]byte("no-dollar")), "pk_test_%%%"} {
		if _, err := core.IssuerFromPublishableKey(bad); err == nil {
			t.Errorf("IssuerFromPublishableKey(%q) accepted a malformed key", bad)
		}
	}
}

// behaviour.md §3.9: the skew is configurable, including zero.
func TestRule3_9_ConfigurableSkew(t *testing.T) {
	e := newRuleEnv(t)
	now := e.clock.Now()
	tok := e.iss.Mint(clerktest.Session{IssuedAt: now.Add(-61 * time.Second), TTL: time.Minute}) // expired 1 s ago
	if _, err := e.authorizer(t).VerifyToken(t.Context(), tok); err != nil {
		t.Fatalf("default 5 s skew should accept: %v", err)
	}
	if _, err := e.authorizer(t, core.WithClockSkew(0)).VerifyToken(t.Context(), tok); !errors.Is(err, core.ErrTokenExpired) {
		t.Fatalf("zero skew should reject: %v", err)
	}
	if _, err := e.authorizer(t, core.WithClockSkew(0), core.WithTokenCache(0)).VerifyToken(t.Context(),
		e.iss.Mint(clerktest.Session{IssuedAt: now.Add(-time.Minute), TTL: time.Minute})); !errors.Is(err, core.ErrTokenExpired) {
		t.Fatalf("behaviour.md §3.9: exp == now must be expired with zero skew: %v", err)
	}
}

// behaviour.md §3.10: pending sessions can be accepted; the claims then say pending.
func TestRule3_10_PendingAccepted(t *testing.T) {
	e := newRuleEnv(t)
	c, err := e.authorizer(t, core.WithPendingSessions(true)).VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{Status: "pending"}))
	if err != nil || !c.Pending() || c.SessionStatus != "pending" {
		t.Fatalf("behaviour.md §3.10: %+v, %v", c, err)
	}
}

// behaviour.md §3.1: the size bound applies before any decoding, at the exact limit.
func TestRule3_1_SizeBoundary(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithMaxTokenSize(4096))
	at := strings.Repeat("a", 4096)
	_, err := a.VerifyToken(t.Context(), at)
	if core.ReasonOf(err) != core.ReasonTokenInvalid || !strings.Contains(err.Error(), "three parts") {
		t.Fatalf("4096 bytes must reach the structural check: %v", err)
	}
	_, err = a.VerifyToken(t.Context(), at+"a")
	if core.ReasonOf(err) != core.ReasonTokenInvalid || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("4097 bytes must be refused by size: %v", err)
	}
}

// behaviour.md §1.1 through core.HTTPRequest: the header is found however it was set
// (Header.Set, Header.Add, a canonical map key), and a non-canonical map key
// set by hand is as invisible as it is to Header.Get.
func TestRule1_1_HTTPRequestHeaderLookup(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(h http.Header)
		want string
	}{
		{"Set", func(h http.Header) { h.Set("authorization", "Bearer a") }, "Bearer a"},
		{"Add", func(h http.Header) { h.Add("AUTHORIZATION", "Bearer b") }, "Bearer b"},
		{"CanonicalKey", func(h http.Header) { h["Authorization"] = []string{"Bearer c", "Bearer d"} }, "Bearer c"},
		{"NonCanonicalKey", func(h http.Header) { h["authorization"] = []string{"Bearer e"} }, ""},
		{"EmptySlice", func(h http.Header) { h["Authorization"] = nil }, ""},
		{"Absent", func(http.Header) {}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			tc.set(r.Header)
			got := core.HTTPRequest(r).Header("Authorization")
			if got != tc.want || got != r.Header.Get("Authorization") {
				t.Errorf("Header(Authorization) = %q, want %q (Header.Get says %q)", got, tc.want, r.Header.Get("Authorization"))
			}
			if lower := core.HTTPRequest(r).Header("authorization"); lower != r.Header.Get("authorization") {
				t.Errorf("Header(authorization) = %q, Header.Get says %q", lower, r.Header.Get("authorization"))
			}
		})
	}
}
