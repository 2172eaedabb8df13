package clerktest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func startDev(t *testing.T, opts ...clerktest.IssuerOption) *clerktest.Dev {
	t.Helper()
	d, err := clerktest.StartDev(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// envAuthorizer builds an Authorizer the way an app configured by the
// environment does: core.NewFromEnv's options, from Dev.Env alone.
func envAuthorizer(t *testing.T, env []string, opts ...core.Option) *core.Authorizer {
	t.Helper()
	vars := map[string]string{}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("Env entry %q is not NAME=value", kv)
		}
		vars[k] = v
	}
	a, err := core.New(append(core.OptionsFromEnv(func(k string) string { return vars[k] }), opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A Dev token lives DevTokenTTL by default, the given TTL otherwise, and
// never longer than MaxDevTokenTTL: valid one second before exp (plus the
// default skew), expired one second after.
func TestDevTokenTTL(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ttl, got time.Duration
	}{
		{"DefaultIsDevTokenTTL", 0, clerktest.DevTokenTTL},
		{"Given", time.Hour, time.Hour},
		{"AtMax", clerktest.MaxDevTokenTTL, clerktest.MaxDevTokenTTL},
		{"OverMaxClamped", clerktest.MaxDevTokenTTL + time.Second, clerktest.MaxDevTokenTTL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := clerktest.NewClock(time.Time{})
			d := startDev(t, clerktest.WithClock(clock.Now))
			a := envAuthorizer(t, d.Env(), core.WithClock(clock.Now), core.WithTokenCache(0))
			for _, kind := range []struct {
				name string
				tok  string
				opts []core.Option
			}{
				{"Session", d.Token(clerktest.Session{TTL: tc.ttl}), nil},
				{"Machine", d.MachineToken(clerktest.Machine{TTL: tc.ttl}), nil},
			} {
				p := payload(t, kind.tok)
				if got := time.Duration(p["exp"].(float64)-p["iat"].(float64)) * time.Second; got != tc.got {
					t.Errorf("%s: exp-iat = %v, want %v", kind.name, got, tc.got)
				}
			}
			tok := d.Token(clerktest.Session{TTL: tc.ttl})
			start := clock.Now()
			clock.Set(start.Add(tc.got + core.DefaultClockSkew - time.Second))
			if _, err := a.VerifyToken(t.Context(), tok); err != nil {
				t.Fatalf("one second before exp+skew: %v", err)
			}
			clock.Set(start.Add(tc.got + core.DefaultClockSkew + time.Second))
			if _, err := a.VerifyToken(t.Context(), tok); !errors.Is(err, core.ErrTokenExpired) {
				t.Fatalf("one second after exp+skew: %v, want token-expired", err)
			}
		})
	}
}

// Env alone configures an app to trust the Dev issuer and nothing else: its
// tokens verify; another issuer's key, another iss or another azp do not.
func TestDevEnv(t *testing.T) {
	d := startDev(t)
	other := clerktest.Start(t, clerktest.WithIssuerURL(clerktest.DevIssuerURL))
	a := envAuthorizer(t, d.Env(), core.WithAcceptsToken(core.SessionToken, core.M2MToken))
	for _, tc := range []struct {
		name string
		tok  string
		want error
	}{
		{"DevSession", d.Token(clerktest.Session{UserID: "user_dev", OrgID: "org_1", OrgRole: "admin"}), nil},
		{"DevMachine", d.MachineToken(clerktest.Machine{Subject: "mch_dev", Scopes: []string{"invoices:read"}}), nil},
		{"OtherKey", other.Mint(clerktest.Session{}), errors.New("any")},
		{"OtherIssuer", d.Token(clerktest.Session{Claims: map[string]any{"iss": "https://clerk.example.com"}}), core.ErrTokenInvalidIssuer},
		{"OtherParty", d.Token(clerktest.Session{AuthorizedParty: "https://evil.example"}), errors.New("any")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.VerifyToken(t.Context(), tc.tok)
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("VerifyToken = %v, want valid", err)
			case tc.want != nil && err == nil:
				t.Fatal("VerifyToken accepted a token the Dev environment must not trust")
			case tc.want != nil && tc.want.Error() != "any" && !errors.Is(err, tc.want):
				t.Fatalf("VerifyToken = %v, want %v", err, tc.want)
			}
		})
	}
	if !strings.HasPrefix(d.JWKSURL(), "http://127.0.0.1:") && !strings.HasPrefix(d.JWKSURL(), "http://[::1]:") {
		t.Fatalf("JWKS served on %s, want loopback", d.JWKSURL())
	}
}

// DevKID depends on the public key only: the same key gives the same kid
// (so a key file mints tokens a restarted dev server still serves), another
// key another kid.
func TestDevKID(t *testing.T) {
	k1, err := clerktest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	k2, err := clerktest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	if a, b := clerktest.DevKID(&k1.PublicKey), clerktest.DevKID(&k1.PublicKey); a != b || !strings.HasPrefix(a, "dev_") || len(a) != len("dev_")+16 {
		t.Fatalf("DevKID not stable or malformed: %q %q", a, b)
	}
	if clerktest.DevKID(&k1.PublicKey) == clerktest.DevKID(&k2.PublicKey) {
		t.Fatal("two keys share a DevKID")
	}
	// A token minted by one Dev from the key verifies against a second Dev
	// started later from the same key.
	first := startDev(t, clerktest.WithKey(clerktest.DevKID(&k1.PublicKey), k1))
	tok := first.Token(clerktest.Session{})
	first.Close()
	second := startDev(t, clerktest.WithKey(clerktest.DevKID(&k1.PublicKey), k1))
	if _, err := envAuthorizer(t, second.Env()).VerifyToken(t.Context(), tok); err != nil {
		t.Fatalf("token from the same key after a restart: %v", err)
	}
}
