package core_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §12.1–12.4: the accepted issuers derived from the proxy URL,
// the satellite domain and WithIssuers; any other issuer is refused before
// the key set is fetched.
func TestRule12_Issuers(t *testing.T) {
	ms := newMultiIssuers(t)
	withIss := func(iss string) clerktest.MintOption {
		return clerktest.WithPayload(func(c map[string]any) { c["iss"] = iss })
	}
	cases := []struct {
		name    string
		opts    []core.Option
		want    []string // Issuers()
		accept  []string
		refuse  []string
		wantErr bool
	}{
		{name: "12.1/ProxyURLAbsolute",
			opts:   []core.Option{core.WithPublishableKey(pkFor("pk_test", "clerk.a.example")), core.WithProxyURL("https://app.example/__clerk/")},
			want:   []string{"https://clerk.a.example", "https://app.example/__clerk"},
			accept: []string{"https://app.example/__clerk", "https://clerk.a.example"},
			refuse: []string{"https://app.example", "https://app.example/__clerk/", "https://evil.example/__clerk", ""}},
		{name: "12.1/ProxyURLPathNamesNoIssuer",
			opts:   []core.Option{core.WithPublishableKey(pkFor("pk_test", "clerk.a.example")), core.WithProxyURL("/__clerk")},
			want:   []string{"https://clerk.a.example"},
			accept: []string{"https://clerk.a.example"},
			refuse: []string{"/__clerk", "https://app.example/__clerk"}},
		{name: "12.2/ProductionSatellite",
			opts:   []core.Option{core.WithPublishableKey(pkFor("pk_live", "clerk.primary.example")), core.WithDomain("https://satellite.example/"), core.WithSatellite(true)},
			want:   []string{"https://clerk.satellite.example"},
			accept: []string{"https://clerk.satellite.example"},
			refuse: []string{"https://clerk.primary.example", "https://satellite.example"}},
		{name: "12.2/DevelopmentSatelliteKeepsFrontendAPI",
			opts:   []core.Option{core.WithPublishableKey(pkFor("pk_test", "clerk.a.example")), core.WithDomain("satellite.example"), core.WithSatellite(true), core.WithSignInURL("https://primary.example/sign-in")},
			want:   []string{"https://clerk.a.example"},
			accept: []string{"https://clerk.a.example"},
			refuse: []string{"https://clerk.satellite.example"}},
		{name: "12.2/DomainWithoutSatelliteChangesNothing",
			opts:   []core.Option{core.WithPublishableKey(pkFor("pk_live", "clerk.primary.example")), core.WithDomain("satellite.example")},
			want:   []string{"https://clerk.primary.example"},
			accept: []string{"https://clerk.primary.example"},
			refuse: []string{"https://clerk.satellite.example"}},
		{name: "12.2/SatelliteWithExplicitIssuer",
			opts:   []core.Option{core.WithPublishableKey(pkFor("pk_live", "clerk.primary.example")), core.WithDomain("satellite.example"), core.WithSatellite(true), core.WithIssuer("https://clerk.custom.example")},
			want:   []string{"https://clerk.custom.example"},
			accept: []string{"https://clerk.custom.example"},
			refuse: []string{"https://clerk.satellite.example"}},
		{name: "12.2/DevelopmentSatelliteWithoutSignInURL", opts: []core.Option{core.WithPublishableKey(pkFor("pk_test", "clerk.a.example")), core.WithDomain("satellite.example"), core.WithSatellite(true)}, wantErr: true},
		{name: "12.2/DevelopmentSatelliteRelativeSignInURL", opts: []core.Option{core.WithPublishableKey(pkFor("pk_test", "clerk.a.example")), core.WithDomain("satellite.example"), core.WithSatellite(true), core.WithSignInURL("/sign-in")}, wantErr: true},
		{name: "12.2/SatelliteThroughProxy",
			opts:   []core.Option{core.WithPublishableKey(pkFor("pk_live", "clerk.primary.example")), core.WithProxyURL("https://satellite.example/__clerk"), core.WithSatellite(true)},
			want:   []string{"https://clerk.primary.example", "https://satellite.example/__clerk"},
			accept: []string{"https://satellite.example/__clerk"},
			refuse: []string{"https://clerk.satellite.example"}},
		{name: "12.2/SatelliteWithoutDomain", opts: []core.Option{core.WithPublishableKey(pkFor("pk_live", "clerk.primary.example")), core.WithSatellite(true)}, wantErr: true},
		{name: "12.2/SatelliteWithoutPublishableKey", opts: []core.Option{core.WithDomain("satellite.example"), core.WithSatellite(true)}, wantErr: true},
		{name: "12.2/DomainWithPath", opts: []core.Option{core.WithDomain("satellite.example/x")}, wantErr: true},
		{name: "12.2/DomainEmpty", opts: []core.Option{core.WithDomain(" ")}, wantErr: true},
		{name: "12.3/WithIssuersAddUp",
			opts:   []core.Option{core.WithIssuer("https://clerk.a.example"), core.WithIssuers("https://x.example"), core.WithIssuers("https://y.example", "https://x.example")},
			want:   []string{"https://clerk.a.example", "https://x.example", "https://y.example"},
			accept: []string{"https://x.example", "https://y.example", "https://clerk.a.example"},
			refuse: []string{"https://z.example", "https://X.example"}},
		{name: "12.3/WithIssuersAlone",
			opts:   []core.Option{core.WithIssuers("https://x.example")},
			want:   []string{"https://x.example"},
			accept: []string{"https://x.example"},
			refuse: []string{"https://clerk.a.example"}},
		{name: "12.3/WithIssuersNotURL", opts: []core.Option{core.WithIssuers("clerk.a.example")}, wantErr: true},
		{name: "12.3/MaxIssuers", opts: []core.Option{core.WithIssuers(nIssuers(core.MaxIssuers)...)}, want: nIssuers(core.MaxIssuers), accept: []string{"https://i15.example"}, refuse: []string{"https://i16.example"}},
		{name: "12.3/MaxIssuersPlusOne", opts: []core.Option{core.WithIssuers(nIssuers(core.MaxIssuers + 1)...)}, wantErr: true},
		{name: "12.3/MaxIssuersWithDerived", opts: []core.Option{core.WithIssuer("https://clerk.a.example"), core.WithIssuers(nIssuers(core.MaxIssuers)...)}, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A fresh issuer per case would cost an RSA key: A signs every
			// token, whatever its iss; only the JWKS URL and clock are A's.
			opts := append([]core.Option{core.WithJWKSURL(ms.a.JWKSURL()), core.WithClock(ms.clock.Now),
				core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty), core.WithLogger(quietLogger())}, tc.opts...)
			a, err := core.New(opts...)
			if tc.wantErr {
				if !errors.Is(err, core.ErrConfig) {
					t.Fatalf("behaviour.md §%s: New err = %v, want ErrConfig", tc.name, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Issuers(); !slices.Equal(got, tc.want) {
				t.Fatalf("behaviour.md §%s: Issuers() = %q, want %q", tc.name, got, tc.want)
			}
			for _, iss := range tc.refuse {
				before := ms.a.JWKSRequests()
				_, err := authBearer(a, ms.a.Mint(clerktest.Session{UserID: "user_1"}, withIss(iss)))
				if core.ReasonOf(err) != core.ReasonTokenInvalidIssuer {
					t.Errorf("behaviour.md §%s: iss %q: err = %v, want token-invalid-issuer", tc.name, iss, err)
				}
				if n := ms.a.JWKSRequests() - before; n != 0 {
					t.Errorf("behaviour.md §12.4: iss %q refused after %d JWKS requests, want none", iss, n)
				}
			}
			for _, iss := range tc.accept {
				c, err := authBearer(a, ms.a.Mint(clerktest.Session{UserID: "user_1"}, withIss(iss)))
				if err != nil || c.Issuer != iss {
					t.Errorf("behaviour.md §%s: iss %q: claims %v err %v, want accepted", tc.name, iss, c, err)
				}
			}
		})
	}
}

func nIssuers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("https://i%d.example", i)
	}
	return out
}

// behaviour.md §12.1–12.3: CLERK_DOMAIN, CLERK_IS_SATELLITE and CLERK_ISSUERS.
func TestRule12_IssuersFromEnv(t *testing.T) {
	ms := newMultiIssuers(t)
	cases := []struct {
		name    string
		env     map[string]string
		want    []string
		wantErr bool
	}{
		{"Satellite", map[string]string{core.EnvPublishableKey: pkFor("pk_live", "clerk.primary.example"), core.EnvDomain: "satellite.example", core.EnvIsSatellite: "true"}, []string{"https://clerk.satellite.example"}, false},
		{"NotSatellite", map[string]string{core.EnvPublishableKey: pkFor("pk_live", "clerk.primary.example"), core.EnvDomain: "satellite.example", core.EnvIsSatellite: "false"}, []string{"https://clerk.primary.example"}, false},
		{"SatelliteBadBool", map[string]string{core.EnvPublishableKey: pkFor("pk_live", "clerk.primary.example"), core.EnvDomain: "satellite.example", core.EnvIsSatellite: "yes please"}, nil, true},
		{"Proxy", map[string]string{core.EnvPublishableKey: pkFor("pk_live", "clerk.primary.example"), core.EnvProxyURL: "https://app.example/__clerk"}, []string{"https://clerk.primary.example", "https://app.example/__clerk"}, false},
		{"Issuers", map[string]string{core.EnvIssuers: " https://x.example, ,https://y.example "}, []string{"https://x.example", "https://y.example"}, false},
		{"IssuersBad", map[string]string{core.EnvIssuers: "https://x.example,nope"}, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := append(core.OptionsFromEnv(func(k string) string { return tc.env[k] }),
				core.WithJWKSURL(ms.a.JWKSURL()), core.WithLogger(quietLogger()))
			a, err := core.New(opts...)
			if tc.wantErr {
				if !errors.Is(err, core.ErrConfig) {
					t.Fatalf("New err = %v, want ErrConfig", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Issuers(); !slices.Equal(got, tc.want) {
				t.Fatalf("Issuers() = %q, want %q", got, tc.want)
			}
		})
	}
	for _, v := range []string{core.EnvDomain, core.EnvIsSatellite, core.EnvIssuers} {
		if !slices.Contains(core.EnvVars(), v) {
			t.Errorf("EnvVars() lacks %s", v)
		}
	}
}
