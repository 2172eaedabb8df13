package core_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// The cookie suffix of a publishable key, as Clerk computes it.
func ExampleCookieSuffix() {
	fmt.Println(core.CookieSuffix("pk_live_Y2xlcmsuY2xlcmsuZGV2JA"))
	// Output: 1Z8AzTQD
}

// A page load whose browser says it is signed in (__client_uat) but whose
// session cookie expired gets a handshake: the middleware answers 307 to the
// Frontend API, which sends the browser back with fresh cookies.
func ExampleAuthorizer_AuthenticateBrowser() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	a, err := core.New(core.WithJWTKey(iss.PublicKeyPEM()), core.WithPublishableKey(iss.PublishableKey()),
		core.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		panic(err)
	}
	r := httptest.NewRequest(http.MethodGet, "https://app.example/dashboard", nil)
	r.Header.Set("Sec-Fetch-Dest", "document")
	r.Header.Set("Cookie", "__client_uat=1717490192; __clerk_db_jwt=dvb_1")

	_, ans, err := a.AuthenticateBrowser(r.Context(), core.HTTPRequest(r))
	loc, _ := url.Parse(ans.Header.Get("Location"))
	fmt.Println(ans.Status, loc.Host+loc.Path)
	fmt.Println(loc.Query().Get("__clerk_hs_reason"), loc.Query().Get("redirect_url"))
	fmt.Println(core.ReasonOf(err))
	// Output:
	// 307 clerk.clerktest.example/v1/client/handshake
	// client-uat-but-no-session-token https://app.example/dashboard
	// client-uat-but-no-session-token
}
