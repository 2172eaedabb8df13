package clerktest_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Test your own handler: an Issuer stands in for Clerk, its Clock for time.
func Example() {
	clock := clerktest.NewClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	iss, err := clerktest.NewIssuer(clerktest.WithClock(clock.Now))
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(iss.AuthorizerOptions()...) // JWKS URL, issuer and clock of iss
	if err != nil {
		panic(err)
	}
	token := iss.Mint(clerktest.Session{UserID: "user_1", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create", "org:invoices:read"}, TTL: time.Minute})

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	c, err := a.AuthenticateHTTP(r)
	fmt.Println(c.UserID(), c.OrgPermissions, err)

	clock.Advance(2 * time.Minute)
	_, err = a.AuthenticateHTTP(r)
	fmt.Println(core.ReasonOf(err))
	fmt.Println("JWKS fetches:", iss.JWKSRequests())
	// Output:
	// user_1 [org:invoices:create org:invoices:read] <nil>
	// token-expired
	// JWKS fetches: 1
}

// EncodePermissions shows how v2 tokens carry permissions compactly (behaviour.md
// §4.5): one mask per fea element, bit i granting per[i].
func ExampleEncodePermissions() {
	fea, per, fpm := clerktest.EncodePermissions(
		[]string{"org:dashboard:manage", "org:dashboard:read", "org:teams:read"}, nil, []string{"beta"})
	fmt.Println(fea)
	fmt.Println(per)
	fmt.Println(fpm)
	// Output:
	// o:dashboard,o:teams,u:beta
	// manage,read
	// 3,2,0
}

// Break tokens on purpose to test your error paths.
func ExampleWithAlg() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(iss.AuthorizerOptions()...)
	if err != nil {
		panic(err)
	}
	for _, tok := range []string{
		iss.Mint(clerktest.Session{}, clerktest.WithAlg("none")),
		iss.Mint(clerktest.Session{}, clerktest.TamperedSignature()),
		iss.Mint(clerktest.Session{TTL: -time.Minute}),
		iss.Mint(clerktest.Session{}, clerktest.WithHeader("cat", "cl_B7d4PD222AAA")),
	} {
		_, err := a.VerifyToken(context.Background(), tok)
		fmt.Println(core.ReasonOf(err))
	}
	// Output:
	// token-invalid-algorithm
	// token-invalid-signature
	// token-expired
	// token-type-mismatch
}

// Machine tokens: a JWT M2M token verifies locally against the Issuer's keys,
// an opaque API key through the Issuer's fake Backend API, and a session
// token is refused, unverified, by an Authorizer that accepts machines only.
func ExampleIssuer_IssueOpaque() {
	clock := clerktest.NewClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	iss, err := clerktest.NewIssuer(clerktest.WithClock(clock.Now))
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	opts := append(iss.AuthorizerOptions(), iss.BackendAPIOptions()...)
	a, err := core.New(append(opts, core.WithAcceptsToken(core.M2MToken, core.APIKey))...)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	m2m := iss.MintM2M(clerktest.Machine{Subject: "mch_billing", Scopes: []string{"invoices:sync"}})
	c, err := a.VerifyToken(ctx, m2m)
	fmt.Println(c.TokenType, c.Subject, c.HasScope("invoices:sync"), err)

	key := iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1", Name: "ci", Scopes: []string{"read"}})
	c, err = a.VerifyToken(ctx, key)
	fmt.Println(c.TokenType, c.Subject, c.Name, c.HasScope("read"), err)

	_, err = a.VerifyToken(ctx, iss.Mint(clerktest.Session{UserID: "user_1"}))
	fmt.Println(core.ReasonOf(err), "Backend API calls:", iss.BackendCalls())
	// Output:
	// m2m_token mch_billing true <nil>
	// api_key user_1 ci true <nil>
	// token-type-mismatch Backend API calls: 1
}

// AuthorizerOptions trust the Issuer as an app trusts its Clerk instance:
// JWKS, issuer and authorized party are all checked, so core.New has nothing
// to warn about (no line is logged) and a token minted for another origin is
// refused.
func ExampleIssuer_AuthorizerOptions() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	var logs strings.Builder
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))...)
	if err != nil {
		panic(err)
	}
	fmt.Printf("logged by core.New: %q\n", logs.String())
	ctx := context.Background()
	_, err = a.VerifyToken(ctx, iss.Mint(clerktest.Session{}))
	fmt.Println(err)
	_, err = a.VerifyToken(ctx, iss.Mint(clerktest.Session{AuthorizedParty: "https://evil.example"}))
	fmt.Println(core.ReasonOf(err))
	// Output:
	// logged by core.New: ""
	// <nil>
	// token-invalid-authorized-parties
}

// A negative TTL mints a token expired beyond the default clock skew (5 s):
// even TTL: -time.Second is refused, while a token one second from expiry
// still passes.
func ExampleSession_expired() {
	clock := clerktest.NewClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	iss, err := clerktest.NewIssuer(clerktest.WithClock(clock.Now))
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(iss.AuthorizerOptions()...)
	if err != nil {
		panic(err)
	}
	for _, ttl := range []time.Duration{time.Second, -time.Second, -time.Hour} {
		_, err := a.VerifyToken(context.Background(), iss.Mint(clerktest.Session{TTL: ttl}))
		reason := core.ReasonOf(err)
		if err == nil {
			reason = "valid"
		}
		fmt.Println(ttl, reason)
	}
	// Output:
	// 1s valid
	// -1s token-expired
	// -1h0m0s token-expired
}

// An app that serves sessions and machines: AnyTokenOptions accepts every
// token type, verifying opaque ones (here an API key) against the Issuer's
// fake Backend API.
func ExampleIssuer_AnyTokenOptions() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(iss.AnyTokenOptions()...)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	for _, tok := range []string{
		iss.Mint(clerktest.Session{UserID: "user_1"}),
		iss.MintM2M(clerktest.Machine{Subject: "mch_1"}),
		iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_2"}),
		iss.IssueOpaque(clerktest.Opaque{Type: core.OAuthToken, Subject: "user_3"}),
	} {
		c, err := a.VerifyToken(ctx, tok)
		fmt.Println(c.TokenType, c.Subject, err)
	}
	// Output:
	// session_token user_1 <nil>
	// m2m_token mch_1 <nil>
	// api_key user_2 <nil>
	// oauth_token user_3 <nil>
}

// A local dev issuer for trying an API with curl: its environment for
// core.NewFromEnv, and a token valid for DevTokenTTL.
func ExampleStartDev() {
	dev, err := clerktest.StartDev()
	if err != nil {
		panic(err)
	}
	defer dev.Close()
	for _, kv := range dev.Env() {
		name, _, _ := strings.Cut(kv, "=")
		fmt.Println("export", name+"=…")
	}
	token := dev.Token(clerktest.Session{UserID: "user_dev", OrgID: "org_dev", OrgRole: "admin"})
	a, err := core.New(dev.AuthorizerOptions()...)
	if err != nil {
		panic(err)
	}
	claims, err := a.VerifyToken(context.Background(), token)
	fmt.Println(claims.UserID(), err, clerktest.DevTokenTTL)
	// Output:
	// export CLERK_JWKS_URL=…
	// export CLERK_PUBLISHABLE_KEY=…
	// export CLERK_AUTHORIZED_PARTIES=…
	// user_dev <nil> 8h0m0s
}
