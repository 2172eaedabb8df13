package core_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §12.13: the multi-domain sync of clerk/javascript's
// request.ts (authenticateRequestWithTokenInCookie, "multi-domain sync
// flows"): satellites, the development primary, the loop guards.
func TestRule12_SatelliteSync(t *testing.T) {
	const satellite = "https://satellite.example"
	prod := newBrowserEnv(t, true, core.WithDomain("satellite.example"), core.WithSatellite(true))
	dev := newBrowserEnv(t, false, core.WithDomain("satellite.example"), core.WithSatellite(true),
		core.WithSignInURL("https://primary.example/sign-in"))
	primary := newBrowserEnv(t, false, core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty, satellite))
	satToken := prod.iss.Mint(clerktest.Session{UserID: "user_1", SessionID: "sess_1", IssuedAt: prod.clock.Now(), TTL: time.Minute},
		clerktest.WithPayload(func(c map[string]any) { c["iss"] = "https://clerk.satellite.example" }))

	cases := []struct {
		name       string
		env        *browserEnv
		req        *http.Request
		wantReason core.Reason // "" signed in
		wantLoc    string      // "" no answer
	}{
		{name: "ProdNoCookiesNoSync", env: prod, req: page(satellite + "/dash"), wantReason: core.ReasonSessionTokenMissing},
		{name: "ProdSyncRequested", env: prod, req: page(satellite + "/dash?__clerk_synced=false"),
			wantReason: core.ReasonSatelliteCookieNeedsSyncing, wantLoc: "https://clerk.satellite.example/v1/client/handshake"},
		{name: "ProdSyncDoneLoopGuard", env: prod, req: page(satellite + "/dash?__clerk_synced=true"), wantReason: core.ReasonSessionTokenMissing},
		{name: "ProdSyncFromFetchIgnored", env: prod, req: fetchReq(satellite + "/dash?__clerk_synced=false"), wantReason: core.ReasonSessionTokenMissing},
		{name: "ProdSyncRedirectLoopStopped", env: prod, req: page(satellite+"/dash?__clerk_synced=false", core.RedirectCountCookie+"=3"),
			wantReason: core.ReasonSatelliteCookieNeedsSyncing},
		{name: "ProdSyncBelowLoopLimit", env: prod, req: page(satellite+"/dash?__clerk_synced=false", core.RedirectCountCookie+"=2"),
			wantReason: core.ReasonSatelliteCookieNeedsSyncing, wantLoc: "https://clerk.satellite.example/v1/client/handshake"},
		{name: "ProdWithCookiesSignedIn", env: prod, req: page(satellite+"/dash", "__session="+satToken, "__client_uat="+prod.uat(-time.Minute))},
		{name: "DevSyncRequested", env: dev, req: page(satellite + "/dash?__clerk_synced=false"),
			wantReason: core.ReasonSatelliteCookieNeedsSyncing,
			wantLoc:    "https://primary.example/sign-in?__clerk_redirect_url=" + url.QueryEscape(satellite+"/dash?__clerk_synced=false")},
		{name: "DevPrimaryResponds", env: primary,
			req:        page("https://primary.example/sign-in?__clerk_redirect_url="+url.QueryEscape(satellite+"/dash?__clerk_synced=false"), "__clerk_db_jwt=dvb_1"),
			wantReason: core.ReasonPrimaryRespondsToSyncing,
			wantLoc:    satellite + "/dash?__clerk_db_jwt=dvb_1&__clerk_synced=true"},
		{name: "DevPrimaryRefusesStranger", env: primary,
			req:        page("https://primary.example/sign-in?__clerk_redirect_url="+url.QueryEscape("https://evil.example/x"), "__clerk_db_jwt=dvb_1"),
			wantReason: core.ReasonSessionTokenMissing},
		{name: "DevPrimaryRefusesOtherScheme", env: primary,
			req:        page("https://primary.example/sign-in?__clerk_redirect_url="+url.QueryEscape("javascript://satellite.example/x"), "__clerk_db_jwt=dvb_1"),
			wantReason: core.ReasonSessionTokenMissing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, ans := tc.env.outcome(tc.req)
			if tc.wantReason == "" {
				wantSignedIn(t, res)
			} else {
				wantSignedOut(t, res, tc.wantReason)
			}
			loc := ans.Header.Get("Location")
			if tc.wantLoc == "" {
				if ans.Stops() && ans.Status == http.StatusTemporaryRedirect {
					t.Fatalf("behaviour.md §12.13: redirected to %q, want no redirect", loc)
				}
				return
			}
			if ans.Status != http.StatusTemporaryRedirect {
				t.Fatalf("behaviour.md §12.13: status %d, want 307 to %s", ans.Status, tc.wantLoc)
			}
			u, _ := url.Parse(loc)
			got := loc
			if u != nil && u.Path == "/v1/client/handshake" {
				got = u.Scheme + "://" + u.Host + u.Path
				if r := u.Query().Get("__clerk_hs_reason"); r != string(tc.wantReason) {
					t.Errorf("handshake reason %q, want %q", r, tc.wantReason)
				}
			}
			if got != tc.wantLoc {
				t.Errorf("behaviour.md §12.13: Location %q, want %q", got, tc.wantLoc)
			}
			if ans.Header.Get("Set-Cookie") == "" {
				t.Error("behaviour.md §12.13: no redirect-count cookie: the loop guard would never stop")
			}
		})
	}
}
