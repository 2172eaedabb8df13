package core_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// decodeJWT returns the header and payload of a JWT, unverified.
func decodeJWT(t *testing.T, tok string) (hdr, pay map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	for i, dst := range []*map[string]any{&hdr, &pay} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			t.Fatal(err)
		}
	}
	return hdr, pay
}

// clerktest mints machine JWTs shaped like Clerk's (behaviour.md §6.2, 6.4).
func TestClerktest_MachineJWTShapes(t *testing.T) {
	e := newMachineEnv(t)
	t.Run("Rule6.2/MintM2M", func(t *testing.T) {
		hdr, pay := decodeJWT(t, e.iss.MintM2M(clerktest.Machine{Scopes: []string{"mch_a", "mch_b"}}))
		if hdr["typ"] != "JWT" || hdr["cat"] != "cl_B7d4PD333AAA" || hdr["alg"] != "RS256" || hdr["kid"] == nil {
			t.Errorf("header = %v", hdr)
		}
		if pay["sub"] != "mch_test" || pay["scopes"] != "mch_a mch_b" || pay["iss"] != e.iss.IssuerURL() ||
			pay["exp"] == nil || pay["iat"] == nil || pay["jti"] == nil {
			t.Errorf("payload = %v", pay)
		}
		if _, ok := pay["nbf"]; ok {
			t.Errorf("behaviour.md §6.4: M2M JWTs carry no nbf: %v", pay)
		}
	})
	t.Run("Rule6.2/MintOAuth", func(t *testing.T) {
		hdr, pay := decodeJWT(t, e.iss.MintOAuth(clerktest.Machine{Scopes: []string{"email", "profile"}}))
		if hdr["typ"] != "at+jwt" {
			t.Errorf("header = %v", hdr)
		}
		if pay["sub"] != "user_test" || pay["client_id"] != "client_test" || pay["scope"] != "email profile" {
			t.Errorf("payload = %v", pay)
		}
	})
	t.Run("ClaimsMergedAndRemoved", func(t *testing.T) {
		_, pay := decodeJWT(t, e.iss.MintM2M(clerktest.Machine{Claims: map[string]any{"aud": "x", "jti": nil}}))
		if pay["aud"] != "x" || pay["jti"] != nil {
			t.Errorf("payload = %v", pay)
		}
	})
	t.Run("TTL", func(t *testing.T) {
		_, pay := decodeJWT(t, e.iss.MintM2M(clerktest.Machine{TTL: time.Minute}))
		if int64(pay["exp"].(float64)) != e.clock.Now().Add(time.Minute).Unix() {
			t.Errorf("exp = %v", pay["exp"])
		}
	})
}

// The fake Backend API of clerktest, as a user points an Authorizer at it.
func TestClerktest_FakeBackendAPI(t *testing.T) {
	e := newMachineEnv(t)
	a, err := core.New(append(append(e.iss.AuthorizerOptions(), e.iss.BackendAPIOptions()...),
		core.AcceptAnyToken(), core.WithLogger(quietLogger()))...)
	if err != nil {
		t.Fatal(err)
	}
	exp := e.clock.Now().Add(time.Hour)
	tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "org_1", ID: "ak_id_fixed", Name: "ci",
		Scopes: []string{"read"}, Expiration: exp, Claims: map[string]any{"k": "v"}})
	if !strings.HasPrefix(tok, "ak_") {
		t.Fatalf("API key %q lacks the ak_ prefix", tok)
	}
	c, err := a.Authenticate(t.Context(), bearer(tok))
	if err != nil {
		t.Fatal(err)
	}
	if c.TokenType != core.APIKey || c.Subject != "org_1" || c.TokenID != "ak_id_fixed" || c.Name != "ci" ||
		!c.HasScope("read") || c.Expiry.UnixMilli() != exp.UnixMilli() || c.IssuedAt.IsZero() {
		t.Fatalf("claims = %+v", c)
	}
	for tt, prefix := range map[core.TokenType]string{core.M2MToken: "mt_", core.OAuthToken: "oat_", core.APIKey: "ak_"} {
		tok := e.iss.IssueOpaque(clerktest.Opaque{Type: tt, Subject: "user_x"})
		if !strings.HasPrefix(tok, prefix) {
			t.Errorf("%s token %q lacks prefix %s", tt, tok, prefix)
		}
		c, err := a.Authenticate(t.Context(), bearer(tok))
		if err != nil || c.TokenType != tt || c.Scopes == nil || !strings.HasPrefix(c.TokenID, prefix) {
			t.Errorf("%s: %+v, %v", tt, c, err)
		}
	}
	t.Run("WrongTypeOrUnknownIs404", func(t *testing.T) {
		// The same secret under another type's endpoint is unknown there.
		m2m := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"})
		_, err := a.Authenticate(t.Context(), bearer("ak_"+strings.TrimPrefix(m2m, "mt_")))
		wantReason(t, err, core.ReasonTokenInvalid)
		_, err = a.Authenticate(t.Context(), bearer("mt_never_issued_012"))
		wantReason(t, err, core.ReasonTokenInvalid)
	})
	t.Run("WrongSecretKeyIs401", func(t *testing.T) {
		wrong, err := core.New(append(e.iss.AuthorizerOptions(), core.WithAPIURL(e.iss.APIURL()),
			core.WithSecretKey("sk_test_wrong"), core.AcceptAnyToken(), core.WithLogger(quietLogger()))...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = wrong.Authenticate(t.Context(), bearer(e.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_1"})))
		wantReason(t, err, core.ReasonSecretKeyInvalid)
	})
	t.Run("RawRequests", func(t *testing.T) {
		post := func(method, path, auth, body string) int {
			r, _ := http.NewRequestWithContext(t.Context(), method, e.iss.APIURL()+path, strings.NewReader(body))
			if auth != "" {
				r.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		key := "Bearer " + e.iss.SecretKey()
		m2m := e.iss.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"})
		oat := e.iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_1"})
		cases := []struct {
			name, method, path, auth, body string
			want                           int
		}{
			{"M2MTokenField", http.MethodPost, "/v1/m2m_tokens/verify", key, `{"token":"` + m2m + `"}`, 200},
			{"M2MSecretFieldIsUnknown", http.MethodPost, "/v1/m2m_tokens/verify", key, `{"secret":"` + m2m + `"}`, 404},
			{"OAuthAccessTokenField", http.MethodPost, "/v1/oauth_applications/access_tokens/verify", key, `{"access_token":"` + oat + `"}`, 200},
			{"OAuthSecretFieldIsUnknown", http.MethodPost, "/v1/oauth_applications/access_tokens/verify", key, `{"secret":"` + oat + `"}`, 404},
			{"GetRefused", http.MethodGet, "/v1/m2m_tokens/verify", key, ``, 405},
			{"NoKey", http.MethodPost, "/v1/m2m_tokens/verify", "", `{"token":"` + m2m + `"}`, 401},
			{"BadBody", http.MethodPost, "/v1/api_keys/verify", key, `{`, 400},
		}
		for _, tc := range cases {
			if got := post(tc.method, tc.path, tc.auth, tc.body); got != tc.want {
				t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
			}
		}
	})
	t.Run("RevokeAndForcedStatus", func(t *testing.T) {
		tok := e.iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"})
		e.iss.SetBackendStatus(http.StatusInternalServerError)
		_, err := a.Authenticate(t.Context(), bearer(tok))
		wantReason(t, err, core.ReasonUnexpectedError)
		e.iss.SetBackendStatus(0)
		e.iss.RevokeOpaque(tok)
		_, err = a.Authenticate(t.Context(), bearer(tok))
		wantReason(t, err, core.ReasonTokenInvalid)
	})
}
