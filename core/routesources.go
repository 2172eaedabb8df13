package core

import (
	"context"
	"strings"
)

// AuthenticateRoute is Authenticate for a route that opts in to further
// token sources (behaviour.md §1.6): route is tried after the Authorization
// header and the Authorizer's own sources (WithTokenSources) and before the
// __session cookie. It is how query parameters are read: pass
// QuerySource("token") on the WebSocket or SSE routes that need it, and nil
// everywhere else. A query source never overrides a session cookie on a
// document navigation (behaviour.md §1.7). Every HTTP adapter's
// WithQueryToken middleware option calls it.
func (a *Authorizer) AuthenticateRoute(ctx context.Context, req Request, route []TokenSource) (*Claims, error) {
	c, _, err := a.authenticate(ctx, req, route, false)
	return c, err
}

// routeToken returns the first token route's sources yield (behaviour.md
// §1.6). A query source is not read on a document navigation that carries
// a session cookie cookie authentication would read (behaviour.md §1.7):
// the cookie then decides.
func (a *Authorizer) routeToken(req Request, route []TokenSource) (token, source string) {
	for _, s := range route {
		if s.read == nil || (s.query() && a.sessionCookieOnNavigation(req)) {
			continue
		}
		if t := s.read(req); t != "" {
			return t, s.name
		}
	}
	return "", ""
}

// query reports whether s reads a URL query parameter.
func (s TokenSource) query() bool { return strings.HasPrefix(s.name, sourceQueryPrefix) }

// sessionCookieOnNavigation reports whether req is a document navigation
// (isDocumentNavigation) carrying a non-empty __session cookie that cookie
// authentication reads.
func (a *Authorizer) sessionCookieOnNavigation(req Request) bool {
	if !a.cfg.cookieAuth || !isDocumentNavigation(req) {
		return false
	}
	v, ok := req.Cookie(SessionCookie)
	return ok && strings.TrimSpace(v) != ""
}

// isDocumentNavigation reports whether a browser sent req to load a
// document (a link followed, a form submitted, a frame loaded): its
// Sec-Fetch-Mode is navigate; without fetch metadata (browsers before
// 2020–2023), its Accept asks for text/html. WebSocket upgrades
// (Sec-Fetch-Mode websocket) and EventSource or fetch requests (cors,
// same-origin, no-cors) are no navigations.
func isDocumentNavigation(req Request) bool {
	if mode := strings.TrimSpace(req.Header("Sec-Fetch-Mode")); mode != "" {
		return strings.EqualFold(mode, "navigate")
	}
	return containsFold(req.Header("Accept"), "text/html")
}

// containsFold reports whether s contains the ASCII lower-case sub, in any
// letter case, without allocating.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
