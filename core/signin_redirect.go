package core

import (
	"net/http"
	"net/url"
	"strings"
)

// SignInRedirect is the sign-in redirect of an adapter's
// WithRedirectToSignIn (behaviour.md §10.9): when err, a guard's refusal of
// req, authenticated by a, signs the request out (a 401 reason) and req is a
// page load (a GET of a document, as for the
// handshake), it returns a 307 to the sign-in page with redirect_url set to
// the page's URL, and true. signInURL "" means the Authorizer's
// (WithSignInURL); a path is resolved against the request's origin. In a
// development instance, a sign-in page on another host also gets the
// dev-browser token (__clerk_db_jwt), as clerk/javascript's createRedirect
// does. Any other request, refusal or a missing URL gives false: the adapter
// answers as it always does.
func SignInRedirect(a *Authorizer, req Request, signInURL string, err error) (Answer, bool) {
	if err == nil || ReasonOf(err).Status() != http.StatusUnauthorized || a == nil {
		return Answer{}, false
	}
	if signInURL == "" {
		signInURL = a.cfg.browser.signInURL
	}
	if signInURL == "" || !handshakeEligible(req) {
		return Answer{}, false
	}
	scheme, host, ok := a.requestOrigin(req)
	if !ok {
		return Answer{}, false
	}
	origin := scheme + "://" + host
	back := origin + req.(urlRequest).RequestURI()
	if strings.HasPrefix(signInURL, "/") && !strings.HasPrefix(signInURL, "//") {
		signInURL = origin + signInURL
	}
	u, perr := url.Parse(signInURL)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Answer{}, false
	}
	q := u.Query()
	q.Set("redirect_url", back)
	if a.devInstance && !strings.EqualFold(u.Host, host) {
		if db := devBrowserToken(a, req); db != "" {
			q.Set(DevBrowserCookie, db)
		}
	}
	u.RawQuery = q.Encode()
	return Answer{Status: http.StatusTemporaryRedirect, Header: http.Header{
		headerLocation:         {u.String()},
		headerCacheControl:     {"no-store"},
		headerXClerkAuthStatus: {"signed-out"},
		headerXClerkAuthReason: {string(ReasonOf(err))},
	}}, true
}

// devBrowserToken returns the dev-browser token of req: the query
// parameter, else the instance's suffixed cookie, else the unsuffixed one
// (behaviour.md §10.8).
func devBrowserToken(a *Authorizer, req Request) string {
	if q, ok := req.(queryRequest); ok {
		if v := q.Query(DevBrowserCookie); v != "" {
			return v
		}
	}
	var j cookieJar
	a.readJar(req, &j, true)
	if j.devBrowserS != "" {
		return j.devBrowserS
	}
	return j.devBrowser
}
