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

// Every failure carries a stable reason; ProblemFor renders it as behaviour.md §7.3
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

// DetectTokenType tells which kind of token a request carries (behaviour.md §6.2),
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

// Clerk's has({reverification}): fva holds the minutes since the first and
// second factor were verified (-1: not enrolled).
func ExampleClaims_HasReverification() {
	c := &core.Claims{TokenType: core.SessionToken, Subject: "user_1", FactorVerificationAge: &[2]int{3, 12}}
	fmt.Println(c.HasReverification(core.ReverificationStrict))   // second factor within 10 min
	fmt.Println(c.HasReverification(core.ReverificationModerate)) // within 60 min
	fmt.Println(c.HasReverification(core.Reverification{Level: core.FirstFactor, AfterMinutes: 5}))

	onlyPassword := &core.Claims{TokenType: core.SessionToken, Subject: "user_2", FactorVerificationAge: &[2]int{3, -1}}
	fmt.Println(onlyPassword.HasReverification(core.ReverificationStrictMFA)) // falls back to the first factor
	// Output:
	// false
	// true
	// true
	// true
}

// Custom claims added by a JWT template, read typed. The result is decoded
// once per cached token and reused by every later request with that token.
func ExampleCustomClaims() {
	type TenantClaims struct {
		Tenant string `json:"tenant"`
		Seats  int    `json:"seats"`
	}
	claims := exampleClaims(map[string]any{"tenant": "acme", "seats": 12})
	tc, err := core.CustomClaims[TenantClaims](claims)
	fmt.Println(tc.Tenant, tc.Seats, err)

	// The same, as a guard: 403 forbidden unless the predicate holds.
	bigTeams := core.RequireClaims(func(c TenantClaims) bool { return c.Seats >= 50 })
	fmt.Println(core.ReasonOf(bigTeams.Evaluate(&core.Result{Claims: claims})))
	// Output:
	// acme 12 <nil>
	// forbidden
}

// exampleClaims verifies a token carrying custom claims, minted by a
// clerktest issuer standing in for a Clerk JWT template.
func exampleClaims(custom map[string]any) *core.Claims {
	iss := must(clerktest.NewIssuer())
	defer iss.Close()
	a := must(core.New(iss.AuthorizerOptions()...))
	return must(a.VerifyToken(context.Background(), iss.Mint(clerktest.Session{UserID: "user_42", Claims: custom})))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A proxy that forwards the token in its own header: read it from there on
// every request (opt-in). Query parameters are per route: see
// Authorizer.AuthenticateRoute.
func ExampleWithTokenSources() {
	iss := must(clerktest.NewIssuer())
	defer iss.Close()
	a := must(core.New(core.WithJWTKey(iss.PublicKeyPEM()),
		core.WithTokenSources(core.HeaderSource("X-Clerk-Token")),
		core.WithObserver(func(o core.Outcome) { fmt.Println("source:", o.Source) })))

	r := httptest.NewRequest(http.MethodGet, "/api/items", nil)
	r.Header.Set("X-Clerk-Token", iss.Mint(clerktest.Session{UserID: "user_proxy"}))
	claims, err := a.Authenticate(context.Background(), core.HTTPRequest(r))
	fmt.Println(claims.UserID(), err)
	// Output:
	// source: header:X-Clerk-Token
	// user_proxy <nil>
}

// A WebSocket upgrade cannot carry an Authorization header: the /events
// route, and only it, reads the token from a query parameter (see
// QuerySource for the risks). A link that opens the route in a browser tab
// keeps the visitor's own session cookie.
func ExampleAuthorizer_AuthenticateRoute() {
	iss := must(clerktest.NewIssuer())
	defer iss.Close()
	a := must(core.New(core.WithJWTKey(iss.PublicKeyPEM()),
		core.WithObserver(func(o core.Outcome) { fmt.Println("source:", o.Source) })))
	events := []core.TokenSource{core.QuerySource("token")}

	ws := httptest.NewRequest(http.MethodGet, "/events?token="+iss.Mint(clerktest.Session{UserID: "user_ws"}), nil)
	ws.Header.Set("Sec-Fetch-Mode", "websocket")
	c, err := a.AuthenticateRoute(context.Background(), core.HTTPRequest(ws), events)
	fmt.Println(c.UserID(), err)

	tab := httptest.NewRequest(http.MethodGet, "/events?token="+iss.Mint(clerktest.Session{UserID: "user_other"}), nil)
	tab.Header.Set("Sec-Fetch-Mode", "navigate")
	tab.AddCookie(&http.Cookie{Name: core.SessionCookie, Value: iss.Mint(clerktest.Session{UserID: "user_visitor"})})
	tab.AddCookie(&http.Cookie{Name: core.ClientUatCookie, Value: "1"}) // the browser holds a session (behaviour.md §10.1)
	c, err = a.AuthenticateRoute(context.Background(), core.HTTPRequest(tab), events)
	fmt.Println(c.UserID(), err)
	// Output:
	// source: query:token
	// user_ws <nil>
	// source: cookie
	// user_visitor <nil>
}
