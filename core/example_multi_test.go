package core_test

import (
	"context"
	"fmt"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Two Clerk instances behind one Authorizer: each token is verified by the
// instance of its issuer; a stranger's is refused before any key fetch.
func ExampleNewMulti() {
	clock := clerktest.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	prod, _ := clerktest.NewIssuer(clerktest.WithClock(clock.Now), clerktest.WithIssuerURL("https://clerk.prod.example"))
	defer prod.Close()
	staging, _ := clerktest.NewIssuer(clerktest.WithClock(clock.Now), clerktest.WithIssuerURL("https://clerk.staging.example"))
	defer staging.Close()

	p, _ := core.New(prod.AuthorizerOptions()...)
	s, _ := core.New(staging.AuthorizerOptions()...)
	a, err := core.NewMulti(p, s)
	if err != nil {
		panic(err)
	}
	for _, tok := range []string{
		prod.Mint(clerktest.Session{UserID: "user_prod"}),
		staging.Mint(clerktest.Session{UserID: "user_staging"}),
		prod.Mint(clerktest.Session{UserID: "user_x"}, clerktest.WithPayload(func(c map[string]any) { c["iss"] = "https://clerk.other.example" })),
	} {
		c, err := a.VerifyToken(context.Background(), tok)
		if err != nil {
			fmt.Println(core.ReasonOf(err), "JWKS requests:", prod.JWKSRequests()+staging.JWKSRequests())
			continue
		}
		fmt.Println(c.Subject, c.Issuer)
	}
	// Output:
	// user_prod https://clerk.prod.example
	// user_staging https://clerk.staging.example
	// token-invalid-issuer JWKS requests: 2
}
