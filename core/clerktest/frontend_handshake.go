package clerktest

import (
	"net/http"
	"net/url"

	"github.com/clerkguard/clerkguard/core"
)

// Paths of the fake Frontend API.
const (
	pathHandshake = "/v1/client/handshake"
	pathSignIn    = "/sign-in"
	pathSignOut   = "/sign-out"
)

// serveFrontend answers the fake Frontend API's routes and the Backend API's
// handshake endpoints; it reports whether r was one of them. An
// *http.ServeMux mounted with Handle that routes r takes precedence, so a
// test can replace any of these endpoints with its own.
func (i *Issuer) serveFrontend(w http.ResponseWriter, r *http.Request) bool {
	i.mu.RLock()
	mux, _ := i.handler.(*http.ServeMux)
	i.mu.RUnlock()
	if mux != nil {
		if _, pattern := mux.Handler(r); pattern != "" {
			return false
		}
	}
	switch p := r.URL.Path; {
	case p == pathHandshake:
		i.serveHandshake(w, r)
	case p == pathSignIn:
		i.serveSignIn(w, r)
	case p == pathSignOut:
		i.serveSignOut(w, r)
	case p == pathHandshakePayload:
		i.serveHandshakePayload(w, r)
	case isRefreshPath(p):
		i.serveRefresh(w, r)
	default:
		return false
	}
	return true
}

// serveHandshake is GET /v1/client/handshake: it finds the browser's Client
// and sends it back to redirect_url with its cookie directives, in a
// `__clerk_handshake` token or behind a `__clerk_handshake_nonce`.
func (i *Issuer) serveHandshake(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "handshake: GET only", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	target, err := redirectTarget(q.Get("redirect_url"))
	if err != nil {
		http.Error(w, "handshake: "+err.Error(), http.StatusBadRequest)
		return
	}
	fe := &i.fe
	fe.mu.Lock()
	if len(fe.handshakes) == maxHandshakeLog {
		fe.handshakes = append(fe.handshakes[:0], fe.handshakes[1:]...)
	}
	fe.handshakes = append(fe.handshakes, cloneValues(q))
	c, err := i.clientForLocked(r, q.Get(core.DevBrowserCookie))
	if err != nil {
		fe.mu.Unlock()
		http.Error(w, "handshake: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	useNonce := fe.format == HandshakeNonce || (fe.format == HandshakeAsRequested && q.Get("format") == "nonce")
	loc := i.handBackLocked(w, c, target, useNonce)
	fe.mu.Unlock()
	redirect(w, loc, http.StatusTemporaryRedirect)
}

// handBackLocked returns the URL that sends the browser back to target with
// c's directives: in the query (development), or in a cookie it sets on w
// together with the client cookie (production).
func (i *Issuer) handBackLocked(w http.ResponseWriter, c *Client, target *url.URL, useNonce bool) string {
	origin := target.Scheme + "://" + target.Host
	directives := c.directivesLocked(origin)
	name, value := core.HandshakeParam, ""
	if useNonce {
		name, value = core.HandshakeNonceParam, i.issueNonceLocked(directives)
	} else {
		value = i.MintHandshake(directives)
	}
	if i.fe.production {
		w.Header().Add("Set-Cookie", i.clientCookie()+"="+c.devBrowser+"; Path=/; HttpOnly; SameSite=Lax")
		w.Header().Add("Set-Cookie", name+"="+value+"; Path=/; Max-Age=60; HttpOnly; SameSite=Lax")
		return target.String()
	}
	back := *target
	q := back.Query()
	q.Set(name, value)
	back.RawQuery = q.Encode()
	return back.String()
}

func redirect(w http.ResponseWriter, loc string, code int) {
	w.Header().Set("Location", loc)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
}
