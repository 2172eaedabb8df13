package core_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §3.12: with audiences configured, an `aud` the token carries
// (a string or an array of strings) must contain one of them; unset, no check.
// A token without `aud` is TestRule3_12_AudienceCheckedOnlyWhenPresent.
func TestRule3_12_Audience(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithAudience("https://api.example.com", "mobile"))
	open := e.authorizer(t)
	mint := func(aud any) string {
		return e.iss.Mint(clerktest.Session{UserID: "user_aud", Claims: map[string]any{"aud": aud}})
	}
	cases := []struct {
		name string
		aud  any
		ok   bool
	}{
		{"StringMatch", "https://api.example.com", true},
		{"SecondConfiguredMatches", "mobile", true},
		{"ArrayOneMatches", []string{"other", "mobile"}, true},
		{"ArrayOnlyMatch", []string{"https://api.example.com"}, true},
		{"StringOther", "https://api.example.org", false},
		{"TrailingSlashIsOther", "https://api.example.com/", false},
		{"CaseDiffers", "Mobile", false},
		{"PrefixOnly", "mobil", false},
		{"ArrayNoneMatch", []string{"a", "b"}, false},
		{"ArrayEmptyAndOther", []string{"", "other"}, false},
		{"Number", 42, false},
		{"Bool", true, false},
		{"Object", map[string]any{"aud": "mobile"}, false},
		{"ArrayOfNumbers", []any{1, 2}, false},
		{"ArrayMixedWithMatch", []any{"mobile", 7}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := mint(tc.aud)
			for i := 0; i < 2; i++ { // fresh, then cached: same answer
				c, err := a.VerifyToken(t.Context(), tok)
				if tc.ok && (err != nil || c.UserID() != "user_aud") {
					t.Fatalf("behaviour.md §3.12: aud %v (use %d): %v, want signed in", tc.aud, i, err)
				}
				if !tc.ok && (!errors.Is(err, core.ErrTokenInvalidAudience) || c != nil) {
					t.Fatalf("behaviour.md §3.12: aud %v (use %d): %v, want token-invalid-audience", tc.aud, i, err)
				}
			}
			if _, err := open.VerifyToken(t.Context(), tok); err != nil {
				t.Fatalf("behaviour.md §3.12: no audience configured: aud %v must not be checked: %v", tc.aud, err)
			}
		})
	}
	t.Run("NameIsExact", func(t *testing.T) {
		tok := e.iss.Mint(clerktest.Session{UserID: "user_aud", Claims: map[string]any{"AUD": "other", "aud": "mobile"}})
		if _, err := a.VerifyToken(t.Context(), tok); err != nil {
			t.Fatalf("behaviour.md §3.11/§3.12: AUD is not aud, only aud is read: %v", err)
		}
		tok = e.iss.Mint(clerktest.Session{UserID: "user_aud", Claims: map[string]any{"AUD": "mobile", "aud": "other"}})
		if _, err := a.VerifyToken(t.Context(), tok); !errors.Is(err, core.ErrTokenInvalidAudience) {
			t.Fatalf("behaviour.md §3.11/§3.12: AUD is not aud: %v, want token-invalid-audience", err)
		}
	})
	t.Run("MachineJWT", func(t *testing.T) {
		m := e.authorizer(t, core.WithAudience("mobile"), core.WithAcceptsToken(core.M2MToken, core.OAuthToken))
		for name, mint := range map[string]func(clerktest.Machine, ...clerktest.MintOption) string{"M2M": e.iss.MintM2M, "OAuth": e.iss.MintOAuth} {
			good := mint(clerktest.Machine{Claims: map[string]any{"aud": "mobile"}})
			bad := mint(clerktest.Machine{Claims: map[string]any{"aud": []string{"web"}}})
			if _, err := m.VerifyToken(t.Context(), good); err != nil {
				t.Fatalf("behaviour.md §3.12: a %s JWT with a configured aud: %v", name, err)
			}
			if _, err := m.VerifyToken(t.Context(), bad); !errors.Is(err, core.ErrTokenInvalidAudience) {
				t.Fatalf("behaviour.md §3.12: a %s JWT with another aud: %v, want token-invalid-audience", name, err)
			}
		}
	})
	t.Run("Status401", func(t *testing.T) {
		p := core.ProblemFor(core.ErrTokenInvalidAudience)
		if p.Status != 401 || p.Header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
			t.Fatalf("behaviour.md §7.3/§8: token-invalid-audience renders %d %v, want 401 invalid_token", p.Status, p.Header)
		}
	})
}

// behaviour.md §3.12, as Clerk's assertAudienceClaim: `aud` is checked only
// when the token carries one. A session token, an M2M JWT or an OAuth JWT
// without `aud` (absent, null, "", [] or only empty strings or nulls) is accepted with
// audiences configured, so WithAudience does not sign every browser session
// out; one that carries an `aud` is held to it.
func TestRule3_12_AudienceCheckedOnlyWhenPresent(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithAudience("mobile"), core.WithAcceptsToken(core.SessionToken, core.M2MToken, core.OAuthToken))
	kinds := []struct {
		name string
		mint func(claims map[string]any) string
		want string
	}{
		{"Session", func(c map[string]any) string { return e.iss.Mint(clerktest.Session{UserID: "user_aud", Claims: c}) }, "user_aud"},
		{"M2MJWT", func(c map[string]any) string { return e.iss.MintM2M(clerktest.Machine{Subject: "mch_aud", Claims: c}) }, "mch_aud"},
		{"OAuthJWT", func(c map[string]any) string {
			return e.iss.MintOAuth(clerktest.Machine{Subject: "user_oat", Claims: c})
		}, "user_oat"},
	}
	absent := []struct {
		name string
		aud  any
	}{
		{"Absent", nil}, {"Null", json.RawMessage("null")}, {"EmptyString", ""},
		{"EmptyArray", []string{}}, {"ArrayOfEmptyStrings", []string{"", ""}},
		{"ArrayOfNull", []any{nil, nil}}, // as Clerk: null entries are empty values
	}
	for _, k := range kinds {
		for _, tc := range absent {
			t.Run(k.name+"/"+tc.name, func(t *testing.T) {
				claims := map[string]any{"aud": tc.aud}
				tok := k.mint(claims)
				for i := 0; i < 2; i++ { // fresh, then cached
					c, err := a.VerifyToken(t.Context(), tok)
					if err != nil || c.Subject != k.want {
						t.Fatalf("behaviour.md §3.12: a %s token without aud (%s, use %d) must not be checked: %v", k.name, tc.name, i, err)
					}
				}
			})
		}
		t.Run(k.name+"/PresentIsChecked", func(t *testing.T) {
			if _, err := a.VerifyToken(t.Context(), k.mint(map[string]any{"aud": "web"})); !errors.Is(err, core.ErrTokenInvalidAudience) {
				t.Fatalf("behaviour.md §3.12: a %s token whose aud is another audience: %v, want token-invalid-audience", k.name, err)
			}
		})
	}
}

func TestWithAudienceValidation(t *testing.T) {
	e := newRuleEnv(t)
	for _, bad := range [][]string{{""}, {"ok", " "}} {
		if _, err := core.New(core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithAudience(bad...)); !errors.Is(err, core.ErrConfig) {
			t.Fatalf("WithAudience(%q): %v, want ErrConfig", bad, err)
		}
	}
	// No value keeps the default: no check.
	a := e.authorizer(t, core.WithAudience())
	if _, err := a.VerifyToken(t.Context(), e.iss.Mint(clerktest.Session{})); err != nil {
		t.Fatalf("WithAudience() must check nothing: %v", err)
	}
}

// BenchmarkAuthenticateCachedAudience is a cache hit with an audience
// configured: `aud` is decoded once per cached token, so the check adds a
// memo lookup and no allocation.
//
//	go test -run '^$' -bench 'AuthenticateCached' -benchmem ./core
func BenchmarkAuthenticateCachedAudience(b *testing.B) {
	e := newRuleEnv(b)
	a := e.authorizer(b, core.WithLogger(quietLogger()), core.WithAudience("https://api.example.com"))
	r := req("Bearer "+e.iss.Mint(clerktest.Session{UserID: "user_aud", TTL: 1 << 40,
		Claims: map[string]any{"aud": []string{"x", "https://api.example.com"}}}), "")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Authenticate(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}
