package core

import "strings"

// Clerk token categories (header `cat`, SPEC 3.4).
const (
	catSession     = "cl_B7d4PD111AAA"
	catIgnore      = "cl_I7d4PD111III"
	catJWTTemplate = "cl_B7d4PD222AAA"
	catM2M         = "cl_B7d4PD333AAA"
)

// opaqueTokenType detects an opaque machine token by its prefix (SPEC 6.2,
// case-sensitive). ok is false for anything else.
func opaqueTokenType(token string) (TokenType, bool) {
	switch {
	case strings.HasPrefix(token, "mt_"), strings.HasPrefix(token, "m2m_"):
		return M2MToken, true
	case strings.HasPrefix(token, "oat_"):
		return OAuthToken, true
	case strings.HasPrefix(token, "ak_"):
		return APIKey, true
	}
	return "", false
}

// isOAuthTyp reports whether a header typ marks an OAuth access token
// (SPEC 6.2, RFC 9068). The comparison is exact, as in Clerk's SDKs: "AT+JWT"
// is not an OAuth typ (the token is then a session token, whose typ must be
// absent or "JWT", SPEC 3.2).
func isOAuthTyp(typ string) bool { return typ == "at+jwt" || typ == "application/at+jwt" }

// jwtTokenType detects the type of a JWT from its header typ and cat and its
// payload sub (SPEC 6.2). The M2M signs (sub mch_…, cat cl_B7d4PD333AAA, both
// case-sensitive) win over the OAuth typ, as in Clerk's JS SDK; anything else
// is a session token. A machine token is never read from the __session
// cookie: the caller refuses it there with token-type-mismatch (SPEC 1.2),
// the reason a cookie carrying a token of the wrong type gets.
func jwtTokenType(typ, cat, sub string) TokenType {
	switch {
	case strings.HasPrefix(sub, "mch_") || cat == catM2M:
		return M2MToken
	case isOAuthTyp(typ):
		return OAuthToken
	}
	return SessionToken
}
