package clerktest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// The fake Frontend API answers a handshake the way Clerk's does: the
// browser (a Client, known by its dev-browser token) goes back to the app
// with fresh cookies in a signed `__clerk_handshake` token. Point your SSR
// app's proxy URL at iss.FrontendAPIURL() and let a test browser follow the
// redirects; here a plain HTTP client plays the browser.
func ExampleIssuer_NewClient() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	browser, err := iss.NewClient()
	if err != nil {
		panic(err)
	}
	browser.SignIn(clerktest.Session{UserID: "user_1"})

	// What an SSR app's handshake redirect looks like (Clerk's query parameters).
	q := url.Values{"redirect_url": {"http://127.0.0.1:8080/dashboard"}, "__clerk_db_jwt": {browser.DevBrowser()},
		"__clerk_hs_reason": {"session-token-expired-refresh-non-eligible-no-refresh-cookie"}}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(iss.FrontendAPIURL() + "/v1/client/handshake?" + q.Encode())
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	back, _ := url.Parse(res.Header.Get("Location"))
	fmt.Println(res.StatusCode, back.Path)

	// The app verifies the handshake token with the instance keys and sets
	// its directives; the fresh __session verifies for the app's origin.
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(back.Query().Get("__clerk_handshake"), ".")[1])
	var hs struct{ Handshake []string }
	_ = json.Unmarshal(payload, &hs)
	session := ""
	for _, d := range hs.Handshake {
		name, rest, _ := strings.Cut(d, "=")
		fmt.Println(strings.ReplaceAll(name, iss.CookieSuffix(), "<suffix>"))
		if name == "__session" {
			session, _, _ = strings.Cut(rest, ";")
		}
	}
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithAuthorizedParties("http://127.0.0.1:8080"))...)
	if err != nil {
		panic(err)
	}
	c, err := a.VerifyToken(context.Background(), session)
	fmt.Println(c.UserID(), err)
	// Output:
	// 307 /dashboard
	// __clerk_db_jwt
	// __clerk_db_jwt_<suffix>
	// __client_uat
	// __client_uat_<suffix>
	// __session
	// __session_<suffix>
	// user_1 <nil>
}

// MintHandshake and IssueHandshakeNonce build handshakes with any cookie
// directives, for testing how an app resolves them (the nonce is redeemed at
// the fake Backend API's /v1/clients/handshake_payload).
func ExampleIssuer_IssueHandshakeNonce() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	nonce := iss.IssueHandshakeNonce([]string{"__session=; Path=/; Max-Age=0", "__client_uat=0; Path=/"})
	req, _ := http.NewRequest(http.MethodGet, iss.APIURL()+"/v1/clients/handshake_payload?nonce="+nonce, nil)
	req.Header.Set("Authorization", "Bearer "+iss.SecretKey())
	for range 2 {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		var body struct{ Directives []string }
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		fmt.Println(res.StatusCode, body.Directives)
	}
	// Output:
	// 200 [__session=; Path=/; Max-Age=0 __client_uat=0; Path=/]
	// 404 []
}
