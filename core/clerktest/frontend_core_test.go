package clerktest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// The fake Frontend API's cookies are what core reads: a browser signed in
// to instance A, then to instance B on the same host (B's directives
// overwrite the plain __session, __client_uat and __clerk_db_jwt), is still
// A's user for an app of A, whatever characters A's cookie suffix holds
// (URL-safe base64: letters, digits, '-' and '_', as Clerk's vectors
// "jtYvyt_H" and "tZJdb-5s" show).
func TestFrontendCookiesKeepInstancesApart(t *testing.T) {
	for _, host := range []string{
		"clerk.instance-0.clerktest.example",  // suffix n1u2Mehj
		"clerk.instance-15.clerktest.example", // suffix 98ZnDeS_
		"clerk.instance-22.clerktest.example", // suffix 2GoQ_ETi
		"clerk.instance-26.clerktest.example", // suffix -9AvQNso
	} {
		t.Run(host, func(t *testing.T) {
			clock := clerktest.NewClock(time.Time{})
			a := clerktest.Start(t, clerktest.WithIssuerURL("https://"+host), clerktest.WithClock(clock.Now))
			b := clerktest.Start(t, clerktest.WithIssuerURL("https://clerk.instance-2.clerktest.example"), clerktest.WithClock(clock.Now))
			ca, _ := a.NewClient()
			ca.SignIn(clerktest.Session{UserID: "user_a"})
			cb, _ := b.NewClient()
			cb.SignIn(clerktest.Session{UserID: "user_b"})
			jar := map[string]string{}
			for _, d := range append(ca.Directives(appOrigin), cb.Directives(appOrigin)...) {
				nv, _, _ := strings.Cut(d, ";")
				n, v, _ := strings.Cut(nv, "=")
				jar[n] = v
			}
			auth, err := core.New(append(a.BrowserOptions(), core.WithAuthorizedParties(appOrigin))...)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodGet, appOrigin+"/", nil)
			for n, v := range jar {
				r.AddCookie(&http.Cookie{Name: n, Value: v})
			}
			c, err := auth.AuthenticateHTTP(r)
			if err != nil || c.UserID() != "user_a" {
				t.Fatalf("instance A (cookie suffix %s) with B's plain cookies present: %v, %v; want user_a from __session_%s",
					a.CookieSuffix(), c, err, a.CookieSuffix())
			}
		})
	}
}
