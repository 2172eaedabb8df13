package core

import (
	"net/http"
	"net/url"
	"strings"
)

// Query parameters of the multi-domain sync (behaviour.md §12.13), Clerk's
// names.
const (
	// SyncedParam is __clerk_synced: "false" asks a satellite to sync,
	// "true" says the sync is done (the loop guard).
	SyncedParam = "__clerk_synced"
	// RedirectURLParam is __clerk_redirect_url: the satellite page a
	// development primary sends the browser back to.
	RedirectURLParam = "__clerk_redirect_url"
)

// Reasons of the multi-domain sync (behaviour.md §8, §12.13), Clerk's names.
const (
	// ReasonSatelliteCookieNeedsSyncing: a satellite's page load asked to
	// sync its session from the primary domain (__clerk_synced=false).
	ReasonSatelliteCookieNeedsSyncing Reason = "satellite-needs-syncing"
	// ReasonPrimaryRespondsToSyncing: a development primary sends the
	// browser back to the satellite that asked it to sync.
	ReasonPrimaryRespondsToSyncing Reason = "primary-responds-to-syncing"
)

func init() {
	reasons[ReasonSatelliteCookieNeedsSyncing] = reasonInfo{http.StatusUnauthorized, "The satellite domain must sync its session from the primary domain."}
	reasons[ReasonPrimaryRespondsToSyncing] = reasonInfo{http.StatusUnauthorized, "The primary domain sends the browser back to the satellite domain."}
}

// multiDomainSync is clerk/javascript's multi-domain sync (behaviour.md
// §12.13), run after a returning handshake is resolved and before the
// development-browser rules. done says the request is answered (or signed
// out) by it, with err the reason.
func (f *flow) multiDomainSync() (done bool, err error) {
	a := f.a
	synced := f.query(SyncedParam)
	if a.cfg.issuers.satellite && f.req.Header("Sec-Fetch-Dest") == "document" && isGet(f.req) && synced != "true" {
		hasCookies := f.sc.token != "" || f.sc.clientUat > 0
		switch {
		case hasCookies && synced != "false":
			return false, nil // the ordinary rules, refresh included
		case synced != "false":
			// No session here and no sync asked for: signed out, no
			// round trip to the primary (Clerk's satelliteAutoSync=false).
			return true, &Error{Reason: ReasonSessionTokenMissing, Detail: "satellite without session cookies"}
		case !a.devInstance:
			return true, f.maybeHandshake(ReasonSatelliteCookieNeedsSyncing, "")
		default:
			if !f.loadURL() {
				return true, &Error{Reason: ReasonSatelliteCookieNeedsSyncing, Detail: "browser session rule " + string(ReasonSatelliteCookieNeedsSyncing)}
			}
			u, perr := url.Parse(a.cfg.browser.signInURL) // absolute: checked by New
			if perr != nil {
				return true, &Error{Reason: ReasonSatelliteCookieNeedsSyncing, Detail: "sign-in URL"}
			}
			q := u.Query()
			q.Add(RedirectURLParam, f.scheme+"://"+f.host+f.uri)
			u.RawQuery = q.Encode()
			return true, f.maybeRedirect(ReasonSatelliteCookieNeedsSyncing, u.String())
		}
	}
	if a.devInstance && !a.cfg.issuers.satellite {
		back := f.query(RedirectURLParam)
		if back == "" {
			return false, nil
		}
		u, perr := url.Parse(back)
		if perr != nil || !a.syncTargetAllowed(u) {
			// Not a satellite of this application: ignored, so no redirect
			// and above all no dev-browser token sent there.
			return false, nil
		}
		q := u.Query()
		if db := f.syncDevBrowser(); db != "" {
			q.Add(DevBrowserCookie, db)
		}
		q.Set(SyncedParam, "true") // set, not add: overwrites __clerk_synced=false, the loop guard
		u.RawQuery = q.Encode()
		return true, f.maybeRedirect(ReasonPrimaryRespondsToSyncing, u.String())
	}
	return false, nil
}

// syncTargetAllowed reports whether a primary may send the browser, and its
// dev-browser token, to u: an http(s) URL whose origin is an authorized party.
func (a *Authorizer) syncTargetAllowed(u *url.URL) bool {
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return false
	}
	origin := u.Scheme + "://" + u.Host
	for _, p := range a.cfg.parties {
		if strings.EqualFold(p, origin) {
			return true
		}
	}
	return false
}

// maybeRedirect is maybeHandshake (eligibility, loop guard, redirect-count
// cookie) with the answer sent to location instead of the handshake.
func (f *flow) maybeRedirect(r Reason, location string) error {
	before := f.ans.Status
	err := f.maybeHandshake(r, "")
	if f.ans.Status != 0 && before == 0 {
		f.ans.Header[headerLocation] = []string{location}
	}
	return err
}

// syncDevBrowser is the request's dev-browser token as the sync sees it:
// from the query, else the cookie of the chosen cookie set.
func (f *flow) syncDevBrowser() string {
	if q := f.query(DevBrowserCookie); q != "" {
		return q
	}
	if f.sc.suffixed {
		return f.j.devBrowserS
	}
	return f.j.devBrowser
}
