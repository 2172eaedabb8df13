package core

import (
	"net/http"
	"strings"
)

// TokenSource is a further place a request may carry its token (behaviour.md
// §1.5, §1.6), for clients that cannot set an Authorization header
// (WebSockets, server-sent events, some proxies). Header sources
// (HeaderSource) are given to WithTokenSources and apply to every request;
// query sources (QuerySource) apply only on the routes that opt in to them
// (every HTTP adapter's WithQueryToken, or AuthenticateRoute). Sources are
// tried in order after the Authorization header — the Authorizer's first,
// then the route's — and before the __session cookie; the first one that
// yields a token wins, and later sources and the cookie are then not
// consulted, even if that token fails, except that a query source never
// overrides a session cookie on a document navigation (behaviour.md §1.7).
type TokenSource struct {
	name    string
	read    func(Request) string
	machine bool
}

// sourceQueryPrefix starts the Name of every QuerySource.
const sourceQueryPrefix = "query:"

// HeaderSource reads the token from the named request header, for example
// "X-Clerk-Token". The value is parsed like the Authorization header: a
// bare token, or "Bearer <token>"; another scheme or empty credentials yield
// no token. Machine tokens (M2M, OAuth, API keys) may come from it, as from
// the Authorization header: a header is sent only by code that chose to.
// Its Name, reported in Outcome.Source, is "header:" + name.
func HeaderSource(name string) TokenSource {
	canonical := http.CanonicalHeaderKey(strings.TrimSpace(name))
	return TokenSource{name: "header:" + canonical, machine: true,
		read: func(r Request) string { return tokenFromHeader(r.Header(canonical)) }}
}

// QuerySource reads the token from the URL query parameter param, for
// example "token" in wss://api.example.com/events?token=…, where browsers
// cannot set headers. It applies only where a route opts in to it
// (behaviour.md §1.6): pass it to AuthenticateRoute, or use an adapter's
// WithQueryToken on the middleware of the WebSocket or SSE routes that need
// it; WithTokenSources refuses it, so that a planted link
// /settings?token=<someone else's token> cannot sign a visitor in as someone
// else, or out, on any other route. Even there it never overrides a session
// cookie on a document navigation (behaviour.md §1.7): a link that opens
// the route in a browser tab keeps the visitor's own session.
//
// Risk: URLs end up in access logs, proxy and CDN logs, browser history and
// Referer headers, so a token in a query parameter leaks far more easily
// than one in a header. Use it only on the routes that need it (WebSocket
// upgrades, EventSource), keep Clerk's short-lived session tokens (60 s) for
// it, and scrub the parameter from your logs. On an opted-in route, a
// request without a session cookie (a visitor who is signed out, or a
// browser that does not send the cookie) is signed in as whoever's token
// the URL carries: serve nothing there that a planted link could abuse.
// For the same reason machine tokens (M2M, OAuth, API keys, which live
// long) are never read from a query parameter: they are refused with
// token-type-mismatch, as from the cookie. It needs a Request that
// implements Query(name) string (adapter.QueryRequest; every adapter's does, as does HTTPRequest); with
// any other Request it yields nothing. Its Name, reported in
// Outcome.Source, is "query:" + param.
func QuerySource(param string) TokenSource {
	param = strings.TrimSpace(param)
	return TokenSource{name: sourceQueryPrefix + param,
		read: func(r Request) string {
			if q, ok := r.(queryRequest); ok {
				return strings.TrimSpace(q.Query(param))
			}
			return ""
		}}
}

// Name says where the source reads: "header:X-Clerk-Token", "query:token".
func (s TokenSource) Name() string { return s.name }

// AcceptsMachineTokens reports whether machine tokens may come from this
// source (header sources: yes; query sources: no).
func (s TokenSource) AcceptsMachineTokens() bool { return s.machine }

// WithTokenSources adds header sources tried, in order, after the
// Authorization header and before the __session cookie on every request
// (behaviour.md §1.5). They are opt-in: by default only the header and the
// cookie are read. A request with no token in any of them is signed out
// with session-token-missing, as always. A zero TokenSource, an empty
// header name, and the headers Authorization and Cookie (read already, or
// never whole) are configuration errors, and so is a QuerySource: query
// parameters apply only on the routes that opt in to them (behaviour.md
// §1.6; an adapter's WithQueryToken, or AuthenticateRoute).
func WithTokenSources(sources ...TokenSource) Option {
	return func(c *config) error {
		for _, s := range sources {
			kind, name, _ := strings.Cut(s.name, ":")
			if s.read == nil || name == "" || (kind == "header" && !validHeaderName(name)) {
				return configError("token source %q: needs HeaderSource or QuerySource with a valid name", s.name)
			}
			if kind != "header" {
				return configError("token source %q: a query parameter applies only on the routes that opt in to it (an adapter's WithQueryToken, or AuthenticateRoute), never to every request", s.name)
			}
			if s.name == "header:"+headerAuthorization || s.name == "header:Cookie" {
				return configError("token source %q: the Authorization header and the cookie are read already", s.name)
			}
		}
		c.sources = append([]TokenSource(nil), sources...)
		return nil
	}
}

// validHeaderName reports whether s is an RFC 9110 field name (a token).
func validHeaderName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return s != ""
}

// machineTokensFrom reports whether machine tokens may be read from source
// (behaviour.md §1.2, §1.5): never from the cookie or a query parameter.
func machineTokensFrom(source string) bool {
	return source != SourceCookie && !strings.HasPrefix(source, sourceQueryPrefix)
}
