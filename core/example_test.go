package core_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// A complete round trip: an Authorizer that trusts a test issuer
// authenticates a request and answers has() questions.
func Example() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(core.WithJWTKey(iss.PublicKeyPEM()), core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty))
	if err != nil {
		panic(err)
	}
	token := iss.Mint(clerktest.Session{UserID: "user_42", OrgID: "org_1", OrgRole: "admin",
		OrgPermissions: []string{"org:invoices:create"}})

	r := httptest.NewRequest(http.MethodGet, "/invoices", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	claims, err := a.AuthenticateHTTP(r)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.UserID(), claims.OrgRole)
	fmt.Println(claims.HasPermission("invoices:create"), claims.HasRole("member"))
	fmt.Println(claims.Has(core.Check{Role: "admin", Permission: "org:invoices:create"}))
	// Output:
	// user_42 org:admin
	// true false
	// true
}

// Every failure carries a stable reason; ProblemFor renders it as SPEC 7.3
// prescribes.
func ExampleProblemFor() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(core.WithJWTKey(iss.PublicKeyPEM()), core.WithAuthorizedParties("https://app.example.com"))
	if err != nil {
		panic(err)
	}
	_, err = a.VerifyToken(context.Background(), iss.Mint(clerktest.Session{AuthorizedParty: "https://evil.example"}))
	fmt.Println(errors.Is(err, core.ErrTokenInvalidAuthorizedParties))

	p := core.ProblemFor(err)
	fmt.Println(p.Status, p.Header.Get("WWW-Authenticate"))
	fmt.Println(string(p.Body))
	// Output:
	// true
	// 401 Bearer error="invalid_token"
	// {"error":"unauthorized","reason":"token-invalid-authorized-parties","message":"The token was issued for a party that is not authorized."}
}

// Guards decide from the authentication Result an adapter stored.
func ExampleRequirePermission() {
	res := &core.Result{Claims: &core.Claims{TokenType: core.SessionToken, Subject: "user_1", OrgID: "org_1",
		OrgPermissions: []string{"org:invoices:read"}}}
	fmt.Println(core.RequirePermission("invoices:read").Evaluate(res) == nil)
	err := core.RequirePermission("org:invoices:create").Evaluate(res)
	fmt.Println(core.ReasonOf(err), core.ProblemFor(err).Status)
	// Output:
	// true
	// missing-permission 403
}

// DetectTokenType tells which kind of token a request carries (SPEC 6.2),
// for routing or diagnostics; it verifies nothing, so only VerifyToken (or
// Authenticate) may decide what the token grants.
func ExampleDetectTokenType() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	fmt.Println(core.DetectTokenType(iss.Mint(clerktest.Session{})))
	fmt.Println(core.DetectTokenType(iss.MintM2M(clerktest.Machine{})))
	fmt.Println(core.DetectTokenType(iss.MintOAuth(clerktest.Machine{})))
	fmt.Println(core.DetectTokenType("mt_0123456789abcdef"))
	fmt.Println(core.DetectTokenType("ak_0123456789abcdef"))
	fmt.Println(core.DetectTokenType("not-a-token"))
	// Output:
	// session_token
	// m2m_token
	// oauth_token
	// m2m_token
	// api_key
	// session_token
}
