package core

import "strings"

// Token sources, as reported in Outcome.Source.
const (
	SourceHeader = "header"
	SourceCookie = "cookie"
)

// tokenFromHeader implements behaviour.md §1.1: split on the first space; scheme
// Bearer (case-insensitive) gives the token, a value without a space is the
// token itself, any other scheme is ignored. Bearer with empty credentials
// ("Bearer", "Bearer ", "bearer   ") yields no token, so that the cookie is
// consulted (behaviour.md §1.1).
func tokenFromHeader(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	scheme, rest, found := strings.Cut(v, " ")
	if !found {
		if strings.EqualFold(v, "Bearer") {
			return ""
		}
		return v
	}
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(rest)
}

// headerAuthorization is the header a token is read from first (behaviour.md §1.1),
// in its canonical form.
const headerAuthorization = "Authorization"

// extract finds the token of a request (behaviour.md §1), route holding the
// sources its route opted in to. The header wins whenever it yields a token
// (behaviour.md §1.3). The __session cookie, read only when cookie auth is on
// (behaviour.md §1.2), is not its business: the cookie rules of behaviour.md
// §10 choose it (flow.run).
func (a *Authorizer) extract(req Request, route []TokenSource) (token, source string) {
	if t := tokenFromHeader(req.Header(headerAuthorization)); t != "" {
		return t, SourceHeader
	}
	// behaviour.md §1.5: opt-in sources, in order, before the cookie.
	for _, s := range a.cfg.sources {
		if t := s.read(req); t != "" {
			return t, s.name
		}
	}
	// behaviour.md §1.6, §1.7: the route's own sources (routesources.go).
	if t, src := a.routeToken(req, route); t != "" {
		return t, src
	}
	// The cookies are read by the rules of behaviour.md §10 (session_cookies.go).
	return "", ""
}
