package core

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// handshakeEligible is clerk/javascript's isRequestEligibleForHandshake
// (behaviour.md §10.4): a GET whose Sec-Fetch-Dest is document or iframe, or
// that sends no Sec-Fetch-Dest and accepts text/html first: a page load,
// never a fetch, a form post or an API call.
func handshakeEligible(req Request) bool {
	mr, ok := req.(methodRequest)
	if !ok || mr.Method() != http.MethodGet {
		return false
	}
	switch dest := req.Header("Sec-Fetch-Dest"); dest {
	case "document", "iframe":
		return true
	case "":
		return strings.HasPrefix(req.Header("Accept"), "text/html")
	}
	return false
}

// frontendAPIBase is the base URL of the handshake endpoint: the proxy URL
// (a path resolved against the request's origin) when set, else https:// and
// the publishable key's Frontend API host (behaviour.md §10.4).
func (a *Authorizer) frontendAPIBase(scheme, host string) string {
	if p := a.cfg.browser.proxyURL; p != "" {
		if strings.HasPrefix(p, "/") {
			return scheme + "://" + host + p
		}
		return p
	}
	return "https://" + a.frontendAPIHost
}

// stripQuery returns uri without the query parameters named in drop (raw
// names or their unescaped form); the other parameters keep their bytes.
func stripQuery(uri string, drop ...string) string {
	path, query, ok := strings.Cut(uri, "?")
	if !ok {
		return uri
	}
	var kept []string
	removed := false
	for _, part := range strings.Split(query, "&") {
		name, _, _ := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		skip := false
		for _, d := range drop {
			if name == d {
				skip = true
				break
			}
		}
		if skip {
			removed = true
			continue
		}
		kept = append(kept, part)
	}
	if !removed {
		return uri
	}
	if len(kept) == 0 {
		return path
	}
	return path + "?" + strings.Join(kept, "&")
}

// handshakeAnswer builds the 307 to the Frontend API's handshake endpoint
// with the query parameters, headers and redirect-count cookie
// clerk/javascript sends (behaviour.md §10.4, §10.6).
func (f *flow) handshakeAnswer(hsReason string, count int) Answer {
	a := f.a
	back := f.scheme + "://" + f.host + stripQuery(f.uri, DevBrowserCookie, legacyDevBrowserParam)
	var b strings.Builder
	b.Grow(256 + len(back) + len(f.sc.token) + len(f.devBrowser))
	b.WriteString(a.frontendAPIBase(f.scheme, f.host))
	b.WriteString("/v1/client/handshake?redirect_url=")
	b.WriteString(url.QueryEscape(back))
	b.WriteString("&" + handshakeAPIVersionArg + "=" + supportedAPIVersion)
	b.WriteString("&" + suffixedCookiesParam + "=")
	b.WriteString(strconv.FormatBool(f.sc.suffixed))
	b.WriteString("&" + handshakeReasonParam + "=")
	b.WriteString(url.QueryEscape(hsReason))
	b.WriteString("&" + handshakeFormatParam + "=nonce")
	if f.sc.token != "" {
		b.WriteString("&" + SessionCookie + "=")
		b.WriteString(url.QueryEscape(f.sc.token))
	}
	if a.devInstance && f.devBrowser != "" {
		b.WriteString("&" + DevBrowserCookie + "=")
		b.WriteString(url.QueryEscape(f.devBrowser))
	}
	// One backing array for the five values: the redirect costs its map,
	// its strings and this.
	vals := []string{b.String(), "no-store",
		RedirectCountCookie + "=" + strconv.Itoa(count+1) + "; SameSite=Lax; HttpOnly; Max-Age=2", "handshake", hsReason}
	return Answer{Status: http.StatusTemporaryRedirect, Header: http.Header{
		headerLocation:         vals[0:1:1],
		headerCacheControl:     vals[1:2:2],
		headerSetCookie:        vals[2:3:3],
		headerXClerkAuthStatus: vals[3:4:4],
		headerXClerkAuthReason: vals[4:5:5],
	}}
}

// maxRedirects is the loop guard of behaviour.md §10.6: at this many
// handshake redirects in a row (the __clerk_redirect_count cookie) the
// request is signed out instead.
const maxRedirects = 3

// maybeHandshake is clerk/javascript's handleMaybeHandshakeStatus: the
// request is signed out with reason r; in a browser flow, an eligible
// request with a URL gets a handshake redirect instead (reason hsReason, r
// when empty) unless the loop guard stops it, which logs one line.
func (f *flow) maybeHandshake(r Reason, hsReason string) error {
	err := browserError(r)
	if hsReason == "" {
		hsReason = string(r)
	}
	if !f.browser || !handshakeEligible(f.req) || !f.loadURL() {
		return err
	}
	count := parseRedirectCount(f.j.redirectCount)
	if count >= maxRedirects {
		f.a.logger.LogAttrs(f.ctx, slog.LevelWarn, "clerkguard: handshake redirect loop stopped after "+strconv.Itoa(maxRedirects)+
			" redirects; the request is signed out. This usually means the publishable and secret keys are of different instances.",
			slog.String("reason", hsReason))
		return err
	}
	f.ans = f.handshakeAnswer(hsReason, count)
	return err
}
