package core_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// This file tests the verification-free helpers core exports for tools
// (DetectTokenType, OptionsFromEnv and EnvVars).

var allTokenTypes = []core.TokenType{core.SessionToken, core.M2MToken, core.OAuthToken, core.APIKey}

// behaviour.md §6.2: DetectTokenType, and its agreement with what VerifyToken detects.
func TestDetectTokenType(t *testing.T) {
	iss := clerktest.Start(t)
	m2m := iss.MintM2M(clerktest.Machine{})
	h, p, _ := strings.Cut(m2m, ".")
	p, _, _ = strings.Cut(p, ".")
	exp := iss.Now().Unix() + 60
	cases := []struct {
		name  string
		tok   string
		want  core.TokenType
		valid bool // a token VerifyToken accepts (with AcceptAnyToken)
	}{
		{"OpaqueM2M", iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"}), core.M2MToken, true},
		{"OpaqueOAuth", iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_1"}), core.OAuthToken, true},
		{"OpaqueAPIKey", iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"}), core.APIKey, true},
		{"PrefixMT", "mt_0123456789", core.M2MToken, false},
		{"PrefixLegacyM2M", "m2m_0123456789", core.M2MToken, false},
		{"PrefixOAT", "oat_0123456789", core.OAuthToken, false},
		{"PrefixAK", "ak_0123456789", core.APIKey, false},
		{"PrefixWinsOverDots", "mt_a.b.c", core.M2MToken, false},
		{"PrefixCaseSensitive", "MT_0123456789", core.SessionToken, false},
		{"PrefixAKUpper", "AK_0123456789", core.SessionToken, false},
		{"Empty", "", core.SessionToken, false},
		{"Garbage", "not a token", core.SessionToken, false},
		{"TwoParts", "eyJhbGciOiJSUzI1NiJ9.e30", core.SessionToken, false},
		{"Session", iss.Mint(clerktest.Session{}), core.SessionToken, true},
		{"M2MJWT", m2m, core.M2MToken, true},
		{"M2MBySubOnly", iss.MintClaims(map[string]any{"sub": "mch_1", "exp": exp}), core.M2MToken, true},
		{"M2MByCatOnly", iss.MintClaims(map[string]any{"sub": "user_1", "exp": exp},
			clerktest.WithHeader("cat", "cl_B7d4PD333AAA")), core.M2MToken, true},
		{"SubPrefixCaseSensitive", iss.MintClaims(map[string]any{"sub": "MCH_1", "exp": exp, "iss": iss.IssuerURL(), "azp": clerktest.DefaultAuthorizedParty}), core.SessionToken, true},
		{"OAuthJWT", iss.MintOAuth(clerktest.Machine{}), core.OAuthToken, true},
		{"OAuthApplicationTyp", iss.MintOAuth(clerktest.Machine{}, clerktest.WithHeader("typ", "application/at+jwt")), core.OAuthToken, true},
		{"OAuthTypExact", iss.Mint(clerktest.Session{}, clerktest.WithHeader("typ", "AT+JWT")), core.SessionToken, false},
		{"M2MWinsOverOAuthTyp", iss.MintOAuth(clerktest.Machine{Subject: "mch_1"}), core.M2MToken, false},
		// Not a well-formed JWT: a session token by behaviour.md §6.2, whatever the
		// payload says.
		{"HeaderNotJSON", iss.SignRaw([]byte("not json"), []byte(`{"sub":"mch_1"}`)), core.SessionToken, false},
		{"SignatureNotBase64url", h + "." + p + ".!!!", core.SessionToken, false},
		// A claim of the wrong type is reported after the signature; the
		// type is still detected from sub.
		{"WrongTypedClaim", iss.SignRaw([]byte(`{"alg":"RS256","typ":"JWT","kid":"`+iss.KID()+`"}`),
			[]byte(`{"sub":"mch_1","exp":"soon"}`)), core.M2MToken, false},
	}
	anyType, err := core.New(append(iss.AuthorizerOptions(), append(iss.BackendAPIOptions(),
		core.AcceptAnyToken(), core.WithLogger(quietLogger()))...)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := core.DetectTokenType(tc.tok)
			if got != tc.want {
				t.Fatalf("DetectTokenType = %s, behaviour.md §6.2 says %s", got, tc.want)
			}
			if tc.valid {
				c, err := anyType.VerifyToken(t.Context(), tc.tok)
				if err != nil {
					t.Fatalf("VerifyToken: %v", err)
				}
				if c.TokenType != got {
					t.Errorf("VerifyToken detected %s, DetectTokenType %s", c.TokenType, got)
				}
			}
			if tc.tok == "" {
				return // no token at all: session-token-missing, not a type
			}
			// behaviour.md §6.3: where every type but the detected one is accepted,
			// VerifyToken refuses the token for its type.
			others := slices.DeleteFunc(slices.Clone(allTokenTypes), func(tt core.TokenType) bool { return tt == got })
			a, err := core.New(append(iss.AuthorizerOptions(), append(iss.BackendAPIOptions(),
				core.WithAcceptsToken(others...), core.WithLogger(quietLogger()))...)...)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.VerifyToken(t.Context(), tc.tok); !errors.Is(err, core.ErrTokenTypeMismatch) {
				t.Errorf("VerifyToken accepting %v: %v, want token-type-mismatch", others, err)
			}
		})
	}
}

// EnvVars lists exactly what OptionsFromEnv (and so NewFromEnv) reads, in a
// fresh slice.
func TestEnvVars(t *testing.T) {
	vars := core.EnvVars()
	for _, k := range []string{core.EnvSecretKey, core.EnvJWTKey, core.EnvPublishableKey, core.EnvJWKSURL,
		core.EnvAuthorizedParties, core.EnvAPIURL, core.EnvMachineSecretKey} {
		if !slices.Contains(vars, k) {
			t.Errorf("EnvVars() lacks %s", k)
		}
	}
	var read []string
	core.OptionsFromEnv(func(k string) string { read = append(read, k); return "" })
	slices.Sort(read)
	sorted := slices.Sorted(slices.Values(vars))
	if !slices.Equal(read, sorted) {
		t.Errorf("OptionsFromEnv reads %q, EnvVars() lists %q", read, sorted)
	}
	vars[0] = "CHANGED"
	if core.EnvVars()[0] == "CHANGED" {
		t.Error("EnvVars() returns a shared slice")
	}
}

// OptionsFromEnv: one option per set variable, trimmed, empty ones skipped,
// and the same configuration NewFromEnv builds.
func TestOptionsFromEnv(t *testing.T) {
	iss := clerktest.Start(t)
	only := func(k, v string) func(string) string {
		return func(name string) string {
			if name == k {
				return v
			}
			return ""
		}
	}
	for _, k := range core.EnvVars() {
		t.Run(k, func(t *testing.T) {
			if n := len(core.OptionsFromEnv(only(k, "value"))); n != 1 {
				t.Errorf("%s set: %d options, want 1", k, n)
			}
			if n := len(core.OptionsFromEnv(only(k, " \t"))); n != 0 {
				t.Errorf("%s blank: %d options, want 0", k, n)
			}
		})
	}
	t.Run("Configures", func(t *testing.T) {
		env := map[string]string{
			core.EnvJWKSURL:           " " + iss.JWKSURL() + " ",
			core.EnvPublishableKey:    iss.PublishableKey(),
			core.EnvAuthorizedParties: " https://a.example , ,https://b.example ",
		}
		a, err := core.New(append(core.OptionsFromEnv(func(k string) string { return env[k] }),
			core.WithClock(iss.Now), core.WithLogger(quietLogger()))...)
		if err != nil {
			t.Fatal(err)
		}
		if a.Issuer() != iss.IssuerURL() {
			t.Errorf("issuer = %q, want %q (from %s)", a.Issuer(), iss.IssuerURL(), core.EnvPublishableKey)
		}
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{AuthorizedParty: "https://b.example"})); err != nil {
			t.Errorf("party b: %v", err)
		}
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{AuthorizedParty: "https://c.example"})); !errors.Is(err, core.ErrTokenInvalidAuthorizedParties) {
			t.Errorf("party c: %v, want token-invalid-authorized-parties", err)
		}
	})
	t.Run("MalformedValueFailsInNew", func(t *testing.T) {
		env := map[string]string{core.EnvJWKSURL: iss.JWKSURL(), core.EnvMachineSecretKey: "short"}
		if _, err := core.New(core.OptionsFromEnv(func(k string) string { return env[k] })...); !errors.Is(err, core.ErrConfig) {
			t.Errorf("malformed %s: %v, want ErrConfig", core.EnvMachineSecretKey, err)
		}
	})
}
