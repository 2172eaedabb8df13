package core_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// okAnswer is a Backend API verification answer for subject sub.
func okAnswer(sub string) http.HandlerFunc {
	return answer(http.StatusOK, `{"object":"machine_to_machine_token","id":"mt_id_1","subject":"`+sub+`","scopes":["read"],"claims":null,"revoked":false,"expired":false,"expiration":null,"created_at":1}`)
}

// behaviour.md §6.2: detection by prefix (case-sensitive) and by JWT sub, cat and typ.
func TestRule6_2_Detection(t *testing.T) {
	e := newMachineEnv(t)
	b := newScriptedBackend(t, answer(http.StatusNotFound, `{"errors":[]}`))
	var mu sync.Mutex
	var got []core.Outcome
	a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken(),
		core.WithObserver(func(o core.Outcome) { mu.Lock(); got = append(got, o); mu.Unlock() }))
	jwt := func(sub string, hdr ...any) string {
		var opts []clerktest.MintOption
		for i := 0; i+1 < len(hdr); i += 2 {
			opts = append(opts, clerktest.WithHeader(hdr[i].(string), hdr[i+1]))
		}
		return e.iss.Mint(clerktest.Session{UserID: sub}, opts...)
	}
	cases := []struct {
		name  string
		token string
		want  core.TokenType
		path  string // Backend API path an opaque token is verified at
	}{
		{"Rule6.2/M2MPrefix", "mt_abc_0123456789ab", core.M2MToken, "/v1/m2m_tokens/verify"},
		{"Rule6.2/LegacyM2MPrefix", "m2m_abc_0123456789ab", core.M2MToken, "/v1/m2m_tokens/verify"},
		{"Rule6.2/OAuthPrefix", "oat_abc_0123456789ab", core.OAuthToken, "/v1/oauth_applications/access_tokens/verify"},
		{"Rule6.2/APIKeyPrefix", "ak_abc_0123456789ab", core.APIKey, "/v1/api_keys/verify"},
		{"Rule6.2/PrefixOnlyIsMalformedNoCall", "mt_", core.M2MToken, ""}, // behaviour.md §6.5: format check first
		{"Rule6.2/UpperM2MPrefixIsSession", "MT_abc", notMachine, ""},
		{"Rule6.2/MixedM2MPrefixIsSession", "Mt_abc", notMachine, ""},
		{"Rule6.2/UpperLegacyPrefixIsSession", "M2M_abc", notMachine, ""},
		{"Rule6.2/UpperOAuthPrefixIsSession", "OAT_abc", notMachine, ""},
		{"Rule6.2/UpperAPIKeyPrefixIsSession", "AK_abc", notMachine, ""},
		{"Rule6.2/DashIsNotPrefix", "mt-abc", notMachine, ""},
		{"Rule6.2/NoUnderscoreIsNotPrefix", "akabc", notMachine, ""},
		{"Rule6.2/PrefixNotAtStart", "xmt_abc", notMachine, ""},
		{"Rule6.2/JWTSubMch", jwt("mch_1"), core.M2MToken, ""},
		{"Rule6.2/JWTCatM2M", jwt("user_1", "cat", "cl_B7d4PD333AAA"), core.M2MToken, ""},
		{"Rule6.2/JWTSubMchUpperIsSession", jwt("MCH_1"), core.SessionToken, ""},
		{"Rule6.2/JWTCatM2MLowerIsNotM2M", jwt("user_1", "cat", "cl_b7d4pd333aaa"), core.SessionToken, ""},
		{"Rule6.2/JWTTypAtJWT", jwt("user_1", "typ", "at+jwt"), core.OAuthToken, ""},
		{"Rule6.2/JWTTypApplicationAtJWT", jwt("user_1", "typ", "application/at+jwt"), core.OAuthToken, ""},
		{"Rule6.2/JWTTypUpperIsSession", jwt("user_1", "typ", "AT+JWT"), core.SessionToken, ""},
		{"Rule6.2/JWTTypMixedIsSession", jwt("user_1", "typ", "Application/At+Jwt"), core.SessionToken, ""},
		{"Rule6.2/JWTTypPaddedIsSession", jwt("user_1", "typ", "at+jwt "), core.SessionToken, ""},
		{"Rule6.2/JWTTypJWTIsSession", jwt("user_1", "typ", "JWT"), core.SessionToken, ""},
		{"Rule6.2/JWTSubMchBeatsTyp", jwt("mch_1", "typ", "at+jwt"), core.M2MToken, ""},
		{"Rule6.2/JWTCatM2MBeatsTyp", jwt("user_1", "typ", "at+jwt", "cat", "cl_B7d4PD333AAA"), core.M2MToken, ""},
		{"Rule6.2/SessionJWT", jwt("user_1"), core.SessionToken, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := b.calls()
			_, _ = a.Authenticate(t.Context(), bearer(tc.token))
			mu.Lock()
			o := got[len(got)-1]
			mu.Unlock()
			if tc.want == notMachine {
				// Not a machine prefix and not a JWT: parsed as a (malformed)
				// session token, never sent to the Backend API.
				if o.Reason != core.ReasonTokenInvalid || o.TokenType.IsMachine() {
					t.Fatalf("detected %q, reason %q; want a malformed session token (token-invalid)", o.TokenType, o.Reason)
				}
			} else if o.TokenType != tc.want {
				t.Fatalf("detected %q (reason %q), want %q", o.TokenType, o.Reason, tc.want)
			}
			reqs := b.requests()[before:]
			if tc.path == "" {
				if len(reqs) != 0 {
					t.Fatalf("a %s made %d Backend API calls, want 0", tc.want, len(reqs))
				}
				return
			}
			if len(reqs) != 1 || reqs[0].Path != tc.path {
				t.Fatalf("Backend API requests = %+v, want one to %s", reqs, tc.path)
			}
		})
	}
}

// notMachine marks detection cases that are neither opaque machine tokens
// nor JWTs.
const notMachine core.TokenType = "not-a-machine-token"

// behaviour.md §6.2, 6.3: anything that is not a machine token is a session token, so
// an Authorizer that accepts machine tokens only refuses it with
// token-type-mismatch, malformed or not (Clerk's JS SDK does the same).
func TestRule6_3_NonMachineTokenOnMachineOnlyAuthorizer(t *testing.T) {
	e := newMachineEnv(t)
	b := newScriptedBackend(t, okAnswer("mch_1"))
	a := scriptedAuthorizer(t, e.iss, b, core.WithAcceptsToken(core.M2MToken, core.OAuthToken, core.APIKey))
	for _, tok := range []string{"MT_abc", "Ak_abc", "garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.sig", e.iss.Mint(clerktest.Session{})} {
		_, err := a.Authenticate(t.Context(), bearer(tok))
		if core.ReasonOf(err) != core.ReasonTokenTypeMismatch {
			t.Errorf("%.20q: reason %q, want token-type-mismatch", tok, core.ReasonOf(err))
		}
	}
	if b.calls() != 0 || e.iss.JWKSRequests() != 0 {
		t.Errorf("refused tokens were verified: %d Backend API calls, %d JWKS fetches", b.calls(), e.iss.JWKSRequests())
	}
}

// behaviour.md §6.3: a token of a type not accepted is signed out with
// token-type-mismatch and never verified: no Backend API call, no JWKS fetch.
func TestRule6_3_NotAcceptedNeverVerified(t *testing.T) {
	e := newMachineEnv(t)
	b := newScriptedBackend(t, okAnswer("mch_1"))
	tokens := map[core.TokenType][]string{
		core.SessionToken: {e.iss.Mint(clerktest.Session{}), e.iss.Mint(clerktest.Session{}, clerktest.TamperedSignature())},
		core.M2MToken: {"mt_abc_0123456789ab", "m2m_abc_0123456789ab", e.iss.MintM2M(clerktest.Machine{}), e.iss.Mint(clerktest.Session{UserID: "mch_1"}),
			e.iss.MintM2M(clerktest.Machine{}, clerktest.TamperedSignature()), e.iss.MintM2M(clerktest.Machine{}, clerktest.WithAlg("none")),
			e.iss.MintM2M(clerktest.Machine{}, clerktest.WithKID("ins_unknown"))},
		core.OAuthToken: {"oat_abc_0123456789ab", e.iss.MintOAuth(clerktest.Machine{}), e.iss.MintOAuth(clerktest.Machine{}, clerktest.WithHeader("typ", "application/at+jwt")),
			e.iss.MintOAuth(clerktest.Machine{}, clerktest.WithAlg("HS256"))},
		core.APIKey: {"ak_abc_0123456789ab"},
	}
	accepts := []struct {
		name  string
		types []core.TokenType
	}{
		{"Rule6.3/DefaultSessionOnly", nil},
		{"Rule6.3/M2MOnly", []core.TokenType{core.M2MToken}},
		{"Rule6.3/OAuthOnly", []core.TokenType{core.OAuthToken}},
		{"Rule6.3/APIKeyOnly", []core.TokenType{core.APIKey}},
		{"Rule6.3/SessionAndM2M", []core.TokenType{core.SessionToken, core.M2MToken}},
	}
	for _, acc := range accepts {
		t.Run(acc.name, func(t *testing.T) {
			var opts []core.Option
			if acc.types != nil {
				opts = append(opts, core.WithAcceptsToken(acc.types...))
			}
			a := scriptedAuthorizer(t, e.iss, b, opts...)
			accepted := acc.types
			if accepted == nil {
				accepted = []core.TokenType{core.SessionToken}
			}
			if got := a.AcceptedTokenTypes(); fmt.Sprint(got) != fmt.Sprint(accepted) {
				t.Errorf("AcceptedTokenTypes = %v, want %v", got, accepted)
			}
			calls, jwks := b.calls(), e.iss.JWKSRequests()
			for tt, toks := range tokens {
				if containsType(accepted, tt) {
					continue
				}
				for i, tok := range toks {
					_, err := a.Authenticate(t.Context(), bearer(tok))
					if core.ReasonOf(err) != core.ReasonTokenTypeMismatch {
						t.Errorf("%s #%d: reason %q, want token-type-mismatch", tt, i, core.ReasonOf(err))
					}
					if p := core.ProblemFor(err); p.Status != http.StatusUnauthorized {
						t.Errorf("%s #%d: status %d, want 401", tt, i, p.Status)
					}
				}
			}
			if n := b.calls() - calls; n != 0 {
				t.Errorf("behaviour.md §6.3: refused tokens were verified: %d Backend API calls", n)
			}
			if n := e.iss.JWKSRequests() - jwks; n != 0 {
				t.Errorf("behaviour.md §6.3: refused tokens were verified: %d JWKS fetches", n)
			}
		})
	}
}

func containsType(list []core.TokenType, t core.TokenType) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

// behaviour.md §6.1: AcceptAnyToken accepts the four types; WithAcceptsToken rejects
// nothing but unknown types.
func TestRule6_1_AcceptedTypes(t *testing.T) {
	e := newMachineEnv(t)
	b := newScriptedBackend(t, okAnswer("mch_1"))
	a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
	want := []core.TokenType{core.SessionToken, core.M2MToken, core.OAuthToken, core.APIKey}
	if got := a.AcceptedTokenTypes(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("AcceptAnyToken: AcceptedTokenTypes = %v, want %v", got, want)
	}
	for _, tt := range want {
		if tt.String() != string(tt) {
			t.Errorf("String() = %q", tt.String())
		}
		if tt.IsMachine() != (tt != core.SessionToken) {
			t.Errorf("%s.IsMachine() = %v", tt, tt.IsMachine())
		}
	}
	if core.TokenType("jwt_template").IsMachine() || core.TokenType("").IsMachine() {
		t.Error("unknown token types must not be machine types")
	}
	for _, name := range []string{"session_token", "m2m_token", "oauth_token", "api_key"} {
		if !containsType(want, core.TokenType(name)) {
			t.Errorf("behaviour.md §6.1: %q is not a TokenType value", name)
		}
	}
}

// behaviour.md §1.2: machine tokens are never read from the __session cookie; such a
// cookie is signed out with token-type-mismatch (a token was presented, of a
// type the cookie never carries), never verified, warm cache or not.
func TestRule1_2_MachineTokensInCookie(t *testing.T) {
	e := newMachineEnv(t)
	b := newScriptedBackend(t, okAnswer("mch_1"))
	a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
	for _, tc := range []struct{ name, token string }{
		{"Rule1.2/OpaqueM2M", "mt_cookie_012345678"},
		{"Rule1.2/LegacyM2M", "m2m_cookie_012345678"},
		{"Rule1.2/OpaqueOAuth", "oat_cookie_012345678"},
		{"Rule1.2/APIKey", "ak_cookie_012345678"},
		{"Rule1.2/JWTM2M", e.iss.MintM2M(clerktest.Machine{})},
		{"Rule1.2/JWTOAuth", e.iss.MintOAuth(clerktest.Machine{})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := b.calls()
			_, err := a.Authenticate(t.Context(), cookie(tc.token))
			wantReason(t, err, core.ReasonTokenTypeMismatch)
			if n := b.calls() - calls; n != 0 {
				t.Fatalf("a machine token in the cookie reached the Backend API (%d calls)", n)
			}
			// Warm every cache through the header, then try the cookie again.
			if _, err := a.Authenticate(t.Context(), bearer(tc.token)); err != nil {
				t.Fatalf("header: %v", err)
			}
			calls = b.calls()
			_, err = a.Authenticate(t.Context(), cookie(tc.token))
			wantReason(t, err, core.ReasonTokenTypeMismatch)
			if n := b.calls() - calls; n != 0 {
				t.Fatalf("warm cache: a machine token in the cookie reached the Backend API (%d calls)", n)
			}
			if _, err := a.Authenticate(t.Context(), bearer(tc.token)); err != nil {
				t.Fatalf("header after cookie: %v", err)
			}
		})
	}
	t.Run("Rule1.3/HeaderSessionWinsOverMachineCookie", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", "Bearer "+e.iss.Mint(clerktest.Session{UserID: "user_h"}))
		r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: "mt_cookie_012345678"})
		c, err := a.Authenticate(t.Context(), core.HTTPRequest(r))
		if err != nil || c.Subject != "user_h" {
			t.Fatalf("Authenticate = %+v, %v; want the header's session", c, err)
		}
	})
	t.Run("Rule1.3/HeaderMachineWinsOverSessionCookie", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", "Bearer mt_header_0123456789")
		r.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: e.iss.Mint(clerktest.Session{UserID: "user_c"})})
		c, err := a.Authenticate(t.Context(), core.HTTPRequest(r))
		if err != nil || c.TokenType != core.M2MToken {
			t.Fatalf("Authenticate = %+v, %v; want the header's M2M token", c, err)
		}
	})
	t.Run("Rule1.2/CookieAuthOff", func(t *testing.T) {
		off := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken(), core.WithCookieAuth(false))
		_, err := off.Authenticate(t.Context(), cookie("mt_cookie_012345678"))
		wantReason(t, err, core.ReasonSessionTokenMissing)
	})
}

// behaviour.md §6.4: the shape of the Backend API requests: method, path, body field,
// the secret key (or the machine secret key, for M2M only) as a bearer token.
func TestRule6_4_BackendRequestShape(t *testing.T) {
	e := newMachineEnv(t)
	cases := []struct {
		name, token, path, field, key string
		machineKey                    bool
	}{
		{"Rule6.4/M2MBodyToken", "mt_shape_0123456789", "/v1/m2m_tokens/verify", "token", testSecretKey, false},
		{"Rule6.4/LegacyM2MBodyToken", "m2m_shape_0123456789", "/v1/m2m_tokens/verify", "token", testSecretKey, false},
		{"Rule6.4/OAuthBodyAccessToken", "oat_shape_0123456789", "/v1/oauth_applications/access_tokens/verify", "access_token", testSecretKey, false},
		{"Rule6.4/APIKeyBodySecret", "ak_shape_0123456789", "/v1/api_keys/verify", "secret", testSecretKey, false},
		{"Rule6.4/M2MUsesMachineSecretKey", "mt_shape_0123456789", "/v1/m2m_tokens/verify", "token", "ak_machine_secret", true},
		{"Rule6.4/LegacyM2MUsesMachineSecretKey", "m2m_shape_0123456789", "/v1/m2m_tokens/verify", "token", "ak_machine_secret", true},
		{"Rule6.4/OAuthIgnoresMachineSecretKey", "oat_shape_0123456789", "/v1/oauth_applications/access_tokens/verify", "access_token", testSecretKey, true},
		{"Rule6.4/APIKeyIgnoresMachineSecretKey", "ak_shape_0123456789", "/v1/api_keys/verify", "secret", testSecretKey, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newScriptedBackend(t, okAnswer("user_1"))
			opts := []core.Option{core.AcceptAnyToken()}
			if tc.machineKey {
				opts = append(opts, core.WithMachineSecretKey("ak_machine_secret"))
			}
			a := scriptedAuthorizer(t, e.iss, b, opts...)
			if _, err := a.Authenticate(t.Context(), bearer(tc.token)); err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			reqs := b.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d Backend API requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != tc.path {
				t.Errorf("request %s %s, want POST %s", r.Method, r.Path, tc.path)
			}
			if r.Authorization != "Bearer "+tc.key {
				t.Errorf("Authorization %q, want Bearer %s", r.Authorization, tc.key)
			}
			if !strings.HasPrefix(r.ContentType, "application/json") {
				t.Errorf("Content-Type %q, want application/json", r.ContentType)
			}
			if len(r.Body) != 1 || r.Body[tc.field] != tc.token {
				t.Errorf("body %v, want {%q: %q}", r.Body, tc.field, tc.token)
			}
		})
	}
}

// behaviour.md §6.4: Backend API answers map to reasons: 401 → secret-key-invalid,
// 404 → token-invalid, any other failure → unexpected-error (503).
func TestRule6_4_BackendAnswers(t *testing.T) {
	e := newMachineEnv(t)
	now := e.clock.Now()
	ms := func(d time.Duration) string { return fmt.Sprint(now.Add(d).UnixMilli()) }
	huge := `{"subject":"user_1","name":"` + strings.Repeat("x", 2<<20) + `"}`
	cases := []struct {
		name   string
		h      http.HandlerFunc
		reason core.Reason // "" means signed in
		status int
	}{
		{"Rule6.4/OK", okAnswer("user_1"), "", 0},
		{"Rule6.4/401SecretKeyInvalid", answer(401, `{"errors":[{"code":"authentication_invalid"}]}`), core.ReasonSecretKeyInvalid, 503},
		{"Rule6.4/404TokenInvalid", answer(404, `{"errors":[{"code":"resource_not_found"}]}`), core.ReasonTokenInvalid, 401},
		{"Rule6.4/404EmptyBody", answer(404, ``), core.ReasonTokenInvalid, 401},
		{"Rule6.4/400Unexpected", answer(400, `{"errors":[]}`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/403Unexpected", answer(403, `{"errors":[]}`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/422Unexpected", answer(422, `{"errors":[]}`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/429Unexpected", answer(429, `{"errors":[]}`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/500Unexpected", answer(500, `{"errors":[]}`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/502Unexpected", answer(502, `bad gateway`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/503Unexpected", answer(503, ``), core.ReasonUnexpectedError, 503},
		{"Rule6.4/201Unexpected", answer(201, `{"subject":"user_1"}`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/BadJSON", answer(200, `{"subject":`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/NotJSON", answer(200, `<html>oops</html>`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/EmptyBody", answer(200, ``), core.ReasonUnexpectedError, 503},
		{"Rule6.4/JSONNull", answer(200, `null`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/JSONArray", answer(200, `[]`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/NoSubject", answer(200, `{"object":"api_key","scopes":[]}`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/SubjectNotString", answer(200, `{"subject":42}`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/ScopesWrongType", answer(200, `{"subject":"user_1","scopes":"read"}`), core.ReasonUnexpectedError, 503},
		{"Rule6.4/OversizedBody", answer(200, huge), core.ReasonUnexpectedError, 503},
		{"Rule6.4/RevokedRejected", answer(200, `{"subject":"user_1","revoked":true,"expired":false}`), core.ReasonTokenInvalid, 401},
		{"Rule6.4/ExpiredFlagRejected", answer(200, `{"subject":"user_1","revoked":false,"expired":true}`), core.ReasonTokenExpired, 401},
		{"Rule6.4/ExpirationPassedRejected", answer(200, `{"subject":"user_1","expiration":`+ms(-time.Millisecond)+`}`), core.ReasonTokenExpired, 401},
		{"Rule6.4/ExpirationNowRejected", answer(200, `{"subject":"user_1","expiration":`+ms(0)+`}`), core.ReasonTokenExpired, 401},
		{"Rule6.4/ExpirationFutureAccepted", answer(200, `{"subject":"user_1","expiration":`+ms(time.Millisecond)+`}`), "", 0},
		{"Rule6.4/NullExpirationNeverExpires", answer(200, `{"subject":"user_1","expiration":null}`), "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newScriptedBackend(t, tc.h)
			a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
			for _, tok := range []string{"mt_answer_012345678", "oat_answer_012345678", "ak_answer_012345678"} {
				c, err := a.Authenticate(t.Context(), bearer(tok))
				if tc.reason == "" {
					if err != nil || c == nil || c.Subject != "user_1" {
						t.Fatalf("%s: Authenticate = %+v, %v; want signed in", tok, c, err)
					}
					continue
				}
				if c != nil {
					t.Fatalf("%s: claims %+v returned with an error", tok, c)
				}
				wantReason(t, err, tc.reason)
				if p := core.ProblemFor(err); p.Status != tc.status {
					t.Errorf("%s: status %d, want %d", tok, p.Status, tc.status)
				}
			}
		})
	}
}

// behaviour.md §6.4: the secret key and the token are never sent to another host: a
// Backend API redirect is a failure, not followed.
func TestRule6_4_BackendRedirectNotFollowed(t *testing.T) {
	e := newMachineEnv(t)
	elsewhere := newScriptedBackend(t, okAnswer("user_1"))
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprintf("Rule6.4/Redirect%d", code), func(t *testing.T) {
			b := newScriptedBackend(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, elsewhere.srv.URL+r.URL.Path, code)
			})
			a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
			_, err := a.Authenticate(t.Context(), bearer("ak_redirected_01234"))
			wantReason(t, err, core.ReasonUnexpectedError)
			if n := elsewhere.calls(); n != 0 {
				t.Fatalf("the redirect was followed: the other host got %d requests", n)
			}
		})
	}
	t.Run("Rule6.4/UserClientKeepsItsRedirectPolicy", func(t *testing.T) {
		followed := 0
		hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { followed++; return nil }}
		b := newScriptedBackend(t, okAnswer("user_1"))
		a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken(), core.WithHTTPClient(hc))
		if _, err := a.Authenticate(t.Context(), bearer("ak_client_012345678")); err != nil {
			t.Fatalf("Authenticate with a custom client: %v", err)
		}
		if hc.CheckRedirect == nil || hc.CheckRedirect(nil, nil) != nil || followed != 1 {
			t.Fatal("the user's client was modified")
		}
	})
}

// behaviour.md §6.4: an unreachable Backend API is unexpected-error (503).
func TestRule6_4_BackendUnreachable(t *testing.T) {
	e := newMachineEnv(t)
	b := newScriptedBackend(t, okAnswer("user_1"))
	a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
	b.srv.Close()
	_, err := a.Authenticate(t.Context(), bearer("mt_unreachable_0123"))
	wantReason(t, err, core.ReasonUnexpectedError)
	if p := core.ProblemFor(err); p.Status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", p.Status)
	}
}

// blockingBackend answers only when release is closed (or the request ends),
// counting calls.
func blockingBackend(t *testing.T, release <-chan struct{}, sub string) *scriptedBackend {
	return newScriptedBackend(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
			okAnswer(sub)(w, r)
		case <-r.Context().Done():
		}
	})
}

// behaviour.md §6.4: bounded timeouts and the request context.
func TestRule6_4_TimeoutsAndContext(t *testing.T) {
	e := newMachineEnv(t)
	t.Run("Rule6.4/TimeoutBoundsTheCall", func(t *testing.T) {
		b := blockingBackend(t, make(chan struct{}), "user_1")
		a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken(),
			core.WithMachineVerification(core.MachineVerification{Timeout: 50 * time.Millisecond}))
		start := time.Now()
		_, err := a.Authenticate(context.Background(), bearer("ak_slow_0123456789a"))
		wantReason(t, err, core.ReasonUnexpectedError)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("took %s, the 50ms timeout must bound it", d)
		}
	})
	t.Run("Rule6.4/CancelledContextMakesNoCall", func(t *testing.T) {
		b := newScriptedBackend(t, okAnswer("user_1"))
		a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := a.Authenticate(ctx, bearer("ak_cancelled_012345"))
		wantReason(t, err, core.ReasonUnexpectedError)
		if n := b.calls(); n != 0 {
			t.Fatalf("a request whose context had ended made %d Backend API calls", n)
		}
	})
	t.Run("Rule6.4/CancelledWaiterDoesNotFailOthers", func(t *testing.T) {
		release := make(chan struct{})
		b := blockingBackend(t, release, "user_1")
		a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
		ctx, cancel := context.WithCancel(t.Context())
		first := make(chan error, 1)
		go func() { _, err := a.Authenticate(ctx, bearer("ak_shared_012345678")); first <- err }()
		waitFor(t, func() bool { return b.calls() == 1 })
		second := make(chan error, 1)
		go func() { _, err := a.Authenticate(t.Context(), bearer("ak_shared_012345678")); second <- err }()
		// Cancel only once the second request waits for the shared call: a
		// call nobody waits for is cancelled (behaviour.md §6.5).
		waitFor(t, func() bool { return core.MachineWaiters(a, "ak_shared_012345678") == 2 })
		cancel() // the request that started the call goes away
		if err := <-first; core.ReasonOf(err) != core.ReasonUnexpectedError {
			t.Fatalf("cancelled request: %v, want unexpected-error", err)
		}
		close(release)
		if err := <-second; err != nil {
			t.Fatalf("the other request failed with the first one's cancellation: %v", err)
		}
		if n := b.calls(); n != 1 {
			t.Fatalf("%d Backend API calls, want 1", n)
		}
	})
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

// behaviour.md §6.4: 100 concurrent requests with one new token make one upstream
// call, whether it succeeds or fails; different tokens are not merged.
func TestRule6_4_SingleFlightTable(t *testing.T) {
	e := newMachineEnv(t)
	cases := []struct {
		name   string
		status int
		reason core.Reason
	}{
		{"Rule6.4/SingleFlightSuccess", http.StatusOK, ""},
		{"Rule6.4/SingleFlight404", http.StatusNotFound, core.ReasonTokenInvalid},
		{"Rule6.4/SingleFlight500", http.StatusInternalServerError, core.ReasonUnexpectedError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			b := newScriptedBackend(t, func(w http.ResponseWriter, r *http.Request) {
				<-release
				if tc.status == http.StatusOK {
					okAnswer("mch_1")(w, r)
					return
				}
				answer(tc.status, `{}`)(w, r)
			})
			a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
			var wg sync.WaitGroup
			reasons := make(chan core.Reason, 100)
			for i := 0; i < 100; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := a.Authenticate(context.Background(), bearer("mt_flight_012345678"))
					reasons <- core.ReasonOf(err)
				}()
			}
			waitFor(t, func() bool { return b.calls() >= 1 })
			time.Sleep(200 * time.Millisecond) // let the other 99 join the call in flight
			close(release)
			wg.Wait()
			close(reasons)
			for r := range reasons {
				if r != tc.reason {
					t.Fatalf("reason %q, want %q", r, tc.reason)
				}
			}
			if n := b.calls(); n != 1 {
				t.Fatalf("100 concurrent requests made %d Backend API calls, want 1", n)
			}
		})
	}
	t.Run("Rule6.4/DistinctTokensNotMerged", func(t *testing.T) {
		b := newScriptedBackend(t, okAnswer("mch_1"))
		a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
		var wg sync.WaitGroup
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := a.Authenticate(context.Background(), bearer(fmt.Sprintf("mt_distinct_token_%02d", i))); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := b.calls(); n != 10 {
			t.Fatalf("10 distinct tokens made %d calls, want 10", n)
		}
	})
}

// behaviour.md §6.4: the success cache: configurable TTL, never past the token's
// expiry, bounded, disabled by a negative TTL; failures are not cached.
func TestRule6_4_CacheTable(t *testing.T) {
	e := newMachineEnv(t)
	now := e.clock.Now()
	answerExp := func(exp time.Time) http.HandlerFunc {
		return answer(200, fmt.Sprintf(`{"subject":"mch_1","expiration":%d}`, exp.UnixMilli()))
	}
	type step struct {
		advance time.Duration
		token   string
		calls   int         // total Backend API calls after this step
		reason  core.Reason // "" means signed in
	}
	cases := []struct {
		name  string
		mv    core.MachineVerification
		h     func(clock *clerktest.Clock) http.HandlerFunc
		steps []step
	}{
		{"Rule6.4/CacheDefaultTTL10s", core.MachineVerification{}, func(*clerktest.Clock) http.HandlerFunc { return okAnswer("mch_1") },
			[]step{{0, "mt_a_0123456789abcd", 1, ""}, {9 * time.Second, "mt_a_0123456789abcd", 1, ""}, {time.Second, "mt_a_0123456789abcd", 2, ""}}},
		{"Rule6.4/CacheCustomTTL", core.MachineVerification{CacheTTL: time.Minute}, func(*clerktest.Clock) http.HandlerFunc { return okAnswer("mch_1") },
			[]step{{0, "mt_a_0123456789abcd", 1, ""}, {59 * time.Second, "mt_a_0123456789abcd", 1, ""}, {time.Second, "mt_a_0123456789abcd", 2, ""}}},
		{"Rule6.4/CacheDisabledByNegativeTTL", core.MachineVerification{CacheTTL: -1}, func(*clerktest.Clock) http.HandlerFunc { return okAnswer("mch_1") },
			[]step{{0, "mt_a_0123456789abcd", 1, ""}, {0, "mt_a_0123456789abcd", 2, ""}, {0, "mt_a_0123456789abcd", 3, ""}}},
		{"Rule6.4/CacheNeverPastExpiry", core.MachineVerification{CacheTTL: time.Hour}, func(*clerktest.Clock) http.HandlerFunc { return answerExp(now.Add(3 * time.Second)) },
			[]step{{0, "mt_a_0123456789abcd", 1, ""}, {2 * time.Second, "mt_a_0123456789abcd", 1, ""}, {time.Second, "mt_a_0123456789abcd", 2, core.ReasonTokenExpired}}},
		{"Rule6.4/CacheBounded", core.MachineVerification{CacheSize: 1}, func(*clerktest.Clock) http.HandlerFunc { return okAnswer("mch_1") },
			[]step{{0, "mt_a_0123456789abcd", 1, ""}, {0, "mt_a_0123456789abcd", 1, ""}, {0, "mt_b_0123456789abcd", 2, ""}, {0, "mt_a_0123456789abcd", 3, ""}}},
		{"Rule6.4/FailuresNotCached", core.MachineVerification{}, func(*clerktest.Clock) http.HandlerFunc { return answer(500, `{}`) },
			[]step{{0, "mt_a_0123456789abcd", 1, core.ReasonUnexpectedError}, {0, "mt_a_0123456789abcd", 2, core.ReasonUnexpectedError}}},
		// behaviour.md §6.5: only a 404 is remembered, for NotFoundTTL.
		{"NotFoundRemembered30s", core.MachineVerification{}, func(*clerktest.Clock) http.HandlerFunc { return answer(404, `{}`) },
			[]step{{0, "mt_a_0123456789abcd", 1, core.ReasonTokenInvalid}, {29 * time.Second, "mt_a_0123456789abcd", 1, core.ReasonTokenInvalid},
				{time.Second, "mt_a_0123456789abcd", 2, core.ReasonTokenInvalid}}},
		{"NotFoundCacheDisabledByNegativeTTL", core.MachineVerification{NotFoundTTL: -1}, func(*clerktest.Clock) http.HandlerFunc { return answer(404, `{}`) },
			[]step{{0, "mt_a_0123456789abcd", 1, core.ReasonTokenInvalid}, {0, "mt_a_0123456789abcd", 2, core.ReasonTokenInvalid}}},
		{"NotFoundCacheBounded", core.MachineVerification{NotFoundCacheSize: 1}, func(*clerktest.Clock) http.HandlerFunc { return answer(404, `{}`) },
			[]step{{0, "mt_a_0123456789abcd", 1, core.ReasonTokenInvalid}, {0, "mt_a_0123456789abcd", 1, core.ReasonTokenInvalid},
				{0, "mt_b_0123456789abcd", 2, core.ReasonTokenInvalid}, {0, "mt_a_0123456789abcd", 3, core.ReasonTokenInvalid}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := clerktest.NewClock(now)
			b := newScriptedBackend(t, tc.h(clock))
			a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken(), core.WithClock(clock.Now), core.WithMachineVerification(tc.mv))
			for i, s := range tc.steps {
				clock.Advance(s.advance)
				_, err := a.Authenticate(t.Context(), bearer(s.token))
				if got := core.ReasonOf(err); got != s.reason {
					t.Fatalf("step %d: reason %q (%v), want %q", i, got, err, s.reason)
				}
				if n := b.calls(); n != s.calls {
					t.Fatalf("step %d: %d Backend API calls, want %d", i, n, s.calls)
				}
			}
		})
	}
	t.Run("Rule6.4/RevokedStopsWithinTTL", func(t *testing.T) {
		clock := clerktest.NewClock(now)
		var mu sync.Mutex
		revoked := false
		b := newScriptedBackend(t, func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			rv := revoked
			mu.Unlock()
			answer(200, fmt.Sprintf(`{"subject":"mch_1","revoked":%v}`, rv))(w, r)
		})
		a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken(), core.WithClock(clock.Now),
			core.WithMachineVerification(core.MachineVerification{CacheTTL: 5 * time.Second}))
		if _, err := a.Authenticate(t.Context(), bearer("mt_rev_0123456789ab")); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		revoked = true
		mu.Unlock()
		clock.Advance(4 * time.Second)
		if _, err := a.Authenticate(t.Context(), bearer("mt_rev_0123456789ab")); err != nil {
			t.Fatalf("within the TTL the cached success is used: %v", err)
		}
		clock.Advance(time.Second)
		_, err := a.Authenticate(t.Context(), bearer("mt_rev_0123456789ab"))
		wantReason(t, err, core.ReasonTokenInvalid)
	})
}

// behaviour.md §6.4: machine-verification options are validated.
func TestRule6_4_MachineOptions(t *testing.T) {
	e := newMachineEnv(t)
	cases := []struct {
		name string
		opt  core.Option
		ok   bool
	}{
		{"ZeroKeepsDefaults", core.WithMachineVerification(core.MachineVerification{}), true},
		{"NegativeTTLDisablesCache", core.WithMachineVerification(core.MachineVerification{CacheTTL: -1}), true},
		{"NegativeTimeout", core.WithMachineVerification(core.MachineVerification{Timeout: -time.Second}), false},
		{"NegativeCacheSize", core.WithMachineVerification(core.MachineVerification{CacheSize: -1}), false},
		// behaviour.md §6.5: the bounds cannot be negative or switched off.
		{"BoundsCustom", core.WithMachineVerification(core.MachineVerification{NotFoundTTL: time.Minute, NotFoundCacheSize: 5, RateBurst: 1, RatePerSecond: 0.1, MaxInFlight: 1}), true},
		{"NegativeNotFoundTTLDisables", core.WithMachineVerification(core.MachineVerification{NotFoundTTL: -1}), true},
		{"NotFoundCacheSizeMax", core.WithMachineVerification(core.MachineVerification{NotFoundCacheSize: 1_000_000}), true},
		{"NotFoundCacheSizeOverMax", core.WithMachineVerification(core.MachineVerification{NotFoundCacheSize: 1_000_001}), false},
		{"NegativeNotFoundCacheSize", core.WithMachineVerification(core.MachineVerification{NotFoundCacheSize: -1}), false},
		{"NegativeRateBurst", core.WithMachineVerification(core.MachineVerification{RateBurst: -1}), false},
		{"NegativeRatePerSecond", core.WithMachineVerification(core.MachineVerification{RatePerSecond: -0.5}), false},
		{"NaNRatePerSecond", core.WithMachineVerification(core.MachineVerification{RatePerSecond: math.NaN()}), false},
		{"InfRatePerSecond", core.WithMachineVerification(core.MachineVerification{RatePerSecond: math.Inf(1)}), false},
		{"NegativeMaxInFlight", core.WithMachineVerification(core.MachineVerification{MaxInFlight: -1}), false},
		// behaviour.md §6.6, §6.7: the known-good set and its reserve.
		{"KnownGoodCustom", core.WithMachineVerification(core.MachineVerification{KnownGoodTTL: time.Hour, ReservedBurst: 1, ReservedPerSecond: 0.1}), true},
		{"NegativeKnownGoodTTLDisables", core.WithMachineVerification(core.MachineVerification{KnownGoodTTL: -1}), true},
		{"NegativeReservedBurst", core.WithMachineVerification(core.MachineVerification{ReservedBurst: -1}), false},
		{"NegativeReservedPerSecond", core.WithMachineVerification(core.MachineVerification{ReservedPerSecond: -0.5}), false},
		{"NaNReservedPerSecond", core.WithMachineVerification(core.MachineVerification{ReservedPerSecond: math.NaN()}), false},
		{"InfReservedPerSecond", core.WithMachineVerification(core.MachineVerification{ReservedPerSecond: math.Inf(1)}), false},
		{"MachineSecretKey", core.WithMachineSecretKey("ak_0123456789abcdef"), true},
		{"MachineSecretKeyTrimmed", core.WithMachineSecretKey(" ak_0123456789abcdef\n"), true},
		{"MachineSecretKeyEmpty", core.WithMachineSecretKey(""), false},
		{"MachineSecretKeyInnerSpace", core.WithMachineSecretKey("ak_0123 456789"), false},
		{"AcceptsNothing", core.WithAcceptsToken(), false},
		{"AcceptsUnknown", core.WithAcceptsToken(core.SessionToken, "jwt_template"), false},
		{"AcceptsEmptyType", core.WithAcceptsToken(""), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := core.New(core.WithJWKSURL(e.iss.JWKSURL()), core.WithSecretKey(testSecretKey), tc.opt)
			if tc.ok && err != nil {
				t.Fatalf("New: %v", err)
			}
			if !tc.ok && !errors.Is(err, core.ErrConfig) {
				t.Fatalf("New = %v, want ErrConfig", err)
			}
		})
	}
	t.Run("MachineSecretKeyTrimmedIsSent", func(t *testing.T) {
		b := newScriptedBackend(t, okAnswer("mch_1"))
		a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken(), core.WithMachineSecretKey(" ak_machine_secret\n"))
		if _, err := a.Authenticate(t.Context(), bearer("mt_trim_0123456789a")); err != nil {
			t.Fatal(err)
		}
		if got := b.requests()[0].Authorization; got != "Bearer ak_machine_secret" {
			t.Fatalf("Authorization %q", got)
		}
	})
	t.Run("OpaqueWithoutAnyKey", func(t *testing.T) {
		a, err := core.New(core.WithJWKSURL(e.iss.JWKSURL()), core.WithAcceptsToken(core.M2MToken, core.OAuthToken), core.WithLogger(quietLogger()))
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{"mt_nokey_0123456789", "oat_nokey_0123456789"} {
			_, err := a.Authenticate(t.Context(), bearer(tok))
			wantReason(t, err, core.ReasonSecretKeyInvalid)
		}
	})
}

// behaviour.md §7.3: the token never appears in a log line or an error string, on any
// machine-verification path.
func TestRule7_3_MachineTokenNeverLogged(t *testing.T) {
	e := newMachineEnv(t)
	handlers := map[string]http.HandlerFunc{
		"OK":      okAnswer("user_1"),
		"401":     answer(401, `{}`),
		"404":     answer(404, `{}`),
		"500":     answer(500, `{}`),
		"BadJSON": answer(200, `{`),
		"Revoked": answer(200, `{"subject":"user_1","revoked":true}`),
		"Expired": answer(200, `{"subject":"user_1","expired":true}`),
		"Echoing": func(w http.ResponseWriter, r *http.Request) { answer(500, fmt.Sprint(r.URL))(w, r) },
		"Redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
		},
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			logs := &syncBuffer{}
			b := newScriptedBackend(t, h)
			a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken(),
				core.WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			for _, tok := range []string{"mt_SECRETSECRET1234", "oat_SECRETSECRET1234", "ak_SECRETSECRET1234", "m2m_SECRETSECRET1234"} {
				_, err := a.Authenticate(t.Context(), bearer(tok))
				if err != nil && strings.Contains(err.Error(), "SECRETSECRET") {
					t.Errorf("the error string contains the token: %v", err)
				}
				_, err = a.Authenticate(t.Context(), cookie(tok))
				if err != nil && strings.Contains(err.Error(), "SECRETSECRET") {
					t.Errorf("the error string contains the token: %v", err)
				}
			}
			if strings.Contains(logs.String(), "SECRETSECRET") {
				t.Errorf("the token appears in the logs:\n%s", logs.String())
			}
		})
	}
}

// Claims of machine tokens: type, subject, scopes, name, client ID, expiry,
// token ID, custom claims; session-only checks are false; HasScope.
func TestRule6_4_MachineClaims(t *testing.T) {
	e := newMachineEnv(t)
	now := e.clock.Now()
	exp := now.Add(time.Hour).Truncate(time.Millisecond)
	body := fmt.Sprintf(`{"object":"api_key","id":"ak_id_1","type":"api_key","name":"ci","subject":"org_1","client_id":"cl_1",`+
		`"scopes":["read","write"],"claims":{"team":"billing"},"revoked":false,"expired":false,"expiration":%d,"created_at":%d,"future_field":{"x":1}}`,
		exp.UnixMilli(), now.Add(-time.Hour).UnixMilli())
	b := newScriptedBackend(t, answer(200, body))
	a := scriptedAuthorizer(t, e.iss, b, core.AcceptAnyToken())
	check := func(t *testing.T, c *core.Claims, tt core.TokenType, sub string, scopes []string) {
		t.Helper()
		if c.TokenType != tt || c.Subject != sub {
			t.Fatalf("claims type %q subject %q, want %q %q", c.TokenType, c.Subject, tt, sub)
		}
		if fmt.Sprint(c.Scopes) != fmt.Sprint(scopes) {
			t.Errorf("Scopes = %q, want %q", c.Scopes, scopes)
		}
		for _, s := range scopes {
			if !c.HasScope(s) || !c.Has(core.Check{Scope: s}) {
				t.Errorf("HasScope(%q) = false", s)
			}
		}
		for _, s := range []string{"", "READ", "rea", "read write", "admin"} {
			if c.HasScope(s) {
				t.Errorf("HasScope(%q) = true", s)
			}
		}
		if c.HasPermission("org:x:y") || c.HasRole("admin") || c.HasFeature("x") || c.HasPlan("x") ||
			c.Has(core.Check{Role: "admin", Scope: scopes[0]}) || c.Has(core.Check{}) || c.UserID() != "" ||
			c.Pending() || c.Impersonated() || c.OrgID != "" || len(c.OrgPermissions) != 0 {
			t.Errorf("session-only dimensions must be empty or false for %s: %+v", tt, c)
		}
	}
	t.Run("Rule6.4/OpaqueClaims", func(t *testing.T) {
		c, err := a.Authenticate(t.Context(), bearer("ak_claims_012345678"))
		if err != nil {
			t.Fatal(err)
		}
		check(t, c, core.APIKey, "org_1", []string{"read", "write"})
		if c.TokenID != "ak_id_1" || c.Name != "ci" || c.ClientID != "cl_1" || !c.Expiry.Equal(exp) || !c.IssuedAt.Equal(now.Add(-time.Hour)) {
			t.Errorf("claims = %+v", c)
		}
		var v struct {
			Claims struct{ Team string } `json:"claims"`
		}
		if err := c.Decode(&v); err != nil || v.Claims.Team != "billing" {
			t.Errorf("Decode = %+v, %v", v, err)
		}
	})
	t.Run("Rule6.4/JWTM2MClaims", func(t *testing.T) {
		tok := e.iss.MintM2M(clerktest.Machine{Subject: "mch_7", Scopes: []string{"mch_a", "mch_b"}, Claims: map[string]any{"aud": []string{"mch_a"}}})
		c, err := a.Authenticate(t.Context(), bearer(tok))
		if err != nil {
			t.Fatal(err)
		}
		check(t, c, core.M2MToken, "mch_7", []string{"mch_a", "mch_b"})
		if !c.Expiry.Equal(now.Add(time.Hour)) || c.TokenID == "" {
			t.Errorf("claims = %+v", c)
		}
	})
	t.Run("Rule6.4/JWTOAuthClaims", func(t *testing.T) {
		tok := e.iss.MintOAuth(clerktest.Machine{Subject: "user_7", ClientID: "client_7", Scopes: []string{"email", "profile"}})
		c, err := a.Authenticate(t.Context(), bearer(tok))
		if err != nil {
			t.Fatal(err)
		}
		check(t, c, core.OAuthToken, "user_7", []string{"email", "profile"})
		if c.ClientID != "client_7" {
			t.Errorf("ClientID = %q", c.ClientID)
		}
	})
	t.Run("Rule6.4/JWTScopeClaimShapes", func(t *testing.T) {
		for name, tc := range map[string]struct {
			claims map[string]any
			want   []string
		}{
			"ScopesString": {map[string]any{"scopes": "a b"}, []string{"a", "b"}},
			"ScopesArray":  {map[string]any{"scopes": []string{"a", "b"}}, []string{"a", "b"}},
			"ScpArray":     {map[string]any{"scp": []string{"a"}}, []string{"a"}},
			"ScopeString":  {map[string]any{"scope": "a  b"}, []string{"a", "b"}},
			"None":         {nil, []string{}},
			"WrongType":    {map[string]any{"scopes": 7}, []string{}},
		} {
			t.Run(name, func(t *testing.T) {
				tok := e.iss.MintM2M(clerktest.Machine{Subject: "mch_s", Claims: tc.claims})
				c, err := a.Authenticate(t.Context(), bearer(tok))
				if err != nil {
					t.Fatal(err)
				}
				if c.Scopes == nil || fmt.Sprint(c.Scopes) != fmt.Sprint(tc.want) {
					t.Fatalf("Scopes = %#v, want %q", c.Scopes, tc.want)
				}
			})
		}
	})
}

// behaviour.md §6.4 with behaviour.md §3: JWT-format machine tokens verify locally with the
// behaviour.md §3 rules that apply; M2M JWTs carry no nbf.
func TestRule6_4_MachineJWTRules(t *testing.T) {
	e := newMachineEnv(t)
	b := newScriptedBackend(t, okAnswer("mch_1"))
	a := scriptedAuthorizer(t, e.iss, b, core.WithAcceptsToken(core.M2MToken, core.OAuthToken))
	now := e.clock.Now()
	m2m := func(claims map[string]any, opts ...clerktest.MintOption) string {
		return e.iss.MintM2M(clerktest.Machine{Subject: "mch_r", Claims: claims}, opts...)
	}
	oauth := func(claims map[string]any, opts ...clerktest.MintOption) string {
		return e.iss.MintOAuth(clerktest.Machine{Subject: "user_r", Claims: claims}, opts...)
	}
	cases := []struct {
		name   string
		token  string
		reason core.Reason
	}{
		{"Rule6.4/M2MNoNbf", m2m(map[string]any{"nbf": nil}), ""},
		{"Rule6.4/M2MNoIat", m2m(map[string]any{"iat": nil}), ""},
		{"Rule6.4/M2MNoCat", m2m(nil, clerktest.WithHeader("cat", nil)), ""},
		{"Rule6.4/M2MTypJWT", m2m(nil, clerktest.WithHeader("typ", "JWT")), ""},
		{"Rule6.4/M2MNbfFuture", m2m(map[string]any{"nbf": now.Add(time.Minute).Unix()}), core.ReasonTokenNotActiveYet},
		{"Rule6.4/M2MIatFuture", m2m(map[string]any{"iat": now.Add(time.Minute).Unix()}), core.ReasonTokenIatInTheFuture},
		{"Rule6.4/M2MExpMissing", m2m(map[string]any{"exp": nil}), core.ReasonTokenVerificationFailed},
		{"Rule6.4/M2MExpired", m2m(map[string]any{"exp": now.Add(-10 * time.Second).Unix()}), core.ReasonTokenExpired},
		{"Rule6.4/M2MExpWithinSkew", m2m(map[string]any{"exp": now.Add(-2 * time.Second).Unix()}), ""},
		{"Rule6.4/M2MBadSignature", m2m(nil, clerktest.TamperedSignature()), core.ReasonTokenInvalidSignature},
		{"Rule6.4/M2MForeignKey", m2m(nil, clerktest.SignedBy(mustKey(t))), core.ReasonTokenInvalidSignature},
		{"Rule6.4/M2MAlgHS256", m2m(nil, clerktest.WithAlg("HS256")), core.ReasonTokenInvalidAlgorithm},
		{"Rule6.4/M2MSubNotString", e.iss.MintClaims(map[string]any{"sub": 5, "exp": now.Add(time.Hour).Unix()}, clerktest.WithHeader("cat", "cl_B7d4PD333AAA")), core.ReasonTokenVerificationFailed},
		{"Rule6.4/M2MJWTTemplateCat", m2m(nil, clerktest.WithHeader("cat", "cl_B7d4PD222AAA")), core.ReasonTokenTypeMismatch},
		{"Rule6.4/M2MTypAtJWTRefused", m2m(nil, clerktest.WithHeader("typ", "at+jwt")), core.ReasonTokenInvalid},
		{"Rule6.4/OAuthAtJWT", oauth(nil), ""},
		{"Rule6.4/OAuthApplicationAtJWT", oauth(nil, clerktest.WithHeader("typ", "application/at+jwt")), ""},
		{"Rule6.4/OAuthTypJWTIsSession", oauth(nil, clerktest.WithHeader("typ", "JWT")), core.ReasonTokenTypeMismatch},
		{"Rule6.4/OAuthNoTypIsSession", oauth(nil, clerktest.WithHeader("typ", nil)), core.ReasonTokenTypeMismatch},
		{"Rule6.4/OAuthNbfFuture", oauth(map[string]any{"nbf": now.Add(time.Minute).Unix()}), core.ReasonTokenNotActiveYet},
		{"Rule6.4/OAuthExpired", oauth(map[string]any{"exp": now.Add(-10 * time.Second).Unix()}), core.ReasonTokenExpired},
		{"Rule6.4/OAuthAlgNone", oauth(nil, clerktest.WithAlg("none")), core.ReasonTokenInvalidAlgorithm},
		{"Rule6.4/OAuthBadSignature", oauth(nil, clerktest.TamperedSignature()), core.ReasonTokenInvalidSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for round := 0; round < 2; round++ { // cold, then warm token cache
				c, err := a.Authenticate(t.Context(), bearer(tc.token))
				if tc.reason == "" {
					if err != nil || c == nil {
						t.Fatalf("round %d: Authenticate = %v", round, err)
					}
					continue
				}
				wantReason(t, err, tc.reason)
			}
		})
	}
	if n := b.calls(); n != 0 {
		t.Fatalf("JWT machine tokens must not call the Backend API (%d calls)", n)
	}
}

var (
	foreignOnce sync.Once
	foreignKey  *rsa.PrivateKey
)

// mustKey returns an RSA key the issuer does not publish.
func mustKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	foreignOnce.Do(func() {
		k, err := clerktest.NewKey()
		if err != nil {
			panic(err)
		}
		foreignKey = k
	})
	return foreignKey
}

// behaviour.md §6.4: NewFromEnv reads CLERK_MACHINE_SECRET_KEY and sends it, not the
// secret key, for M2M verification only.
func TestRule6_4_MachineSecretKeyFromEnv(t *testing.T) {
	e := newMachineEnv(t)
	b := newScriptedBackend(t, okAnswer("mch_env"))
	t.Setenv(core.EnvJWTKey, e.iss.PublicKeyPEM())
	t.Setenv(core.EnvSecretKey, testSecretKey)
	t.Setenv(core.EnvAPIURL, b.srv.URL)
	t.Setenv(core.EnvMachineSecretKey, " ak_machine_from_env\n")
	a, err := core.NewFromEnv(core.AcceptAnyToken(), core.WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ token, key string }{
		{"mt_env_0123456789ab", "ak_machine_from_env"},
		{"ak_env_0123456789ab", testSecretKey},
	} {
		if _, err := a.Authenticate(t.Context(), bearer(tc.token)); err != nil {
			t.Fatalf("%s: %v", tc.token, err)
		}
		reqs := b.requests()
		if got := reqs[len(reqs)-1].Authorization; got != "Bearer "+tc.key {
			t.Errorf("%s: Authorization %q, want Bearer %s", tc.token, got, tc.key)
		}
	}
}
