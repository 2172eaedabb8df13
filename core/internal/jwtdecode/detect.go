package jwtdecode

import "strings"

// Token types, the values of core.TokenType (behaviour.md §6.1).
const (
	SessionToken = "session_token"
	M2MToken     = "m2m_token"
	OAuthToken   = "oauth_token"
	APIKey       = "api_key"
)

// Clerk token categories (header `cat`, behaviour.md §3.4).
const (
	CatSession     = "cl_B7d4PD111AAA" // session token
	CatIgnore      = "cl_I7d4PD111III" // session token, "ignore" category
	CatJWTTemplate = "cl_B7d4PD222AAA" // JWT template: refused where session tokens are expected
	CatM2M         = "cl_B7d4PD333AAA" // M2M token
)

// OpaqueType reports the type of an opaque machine token from its prefix
// (behaviour.md §6.2, case-sensitive): mt_ or the legacy m2m_ → M2MToken, oat_ →
// OAuthToken, ak_ → APIKey. ok is false for anything else, a JWT included.
// Opaque tokens carry nothing to decode: only Clerk's Backend API can verify
// them (behaviour.md §6.4). It decides nothing about validity.
func OpaqueType(token string) (tt string, ok bool) {
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

// IsOAuthTyp reports whether a header typ marks an OAuth access token
// (behaviour.md §6.2, RFC 9068). The comparison is exact, as in Clerk's SDKs: "AT+JWT"
// is not an OAuth typ (the token is then a session token, whose typ must be
// absent or "JWT", behaviour.md §3.2).
func IsOAuthTyp(typ string) bool { return typ == "at+jwt" || typ == "application/at+jwt" }

// JWTType detects the type of a JWT from its header typ and cat and its
// payload sub (behaviour.md §6.2). The M2M signs (sub mch_…, cat cl_B7d4PD333AAA, both
// case-sensitive) win over the OAuth typ, as in Clerk's JS SDK; anything else
// is a session token. A machine token is never read from the __session
// cookie: core refuses it there with token-type-mismatch (behaviour.md §1.2),
// the reason a cookie carrying a token of the wrong type gets.
func JWTType(typ, cat, sub string) string {
	switch {
	case strings.HasPrefix(sub, "mch_") || cat == CatM2M:
		return M2MToken
	case IsOAuthTyp(typ):
		return OAuthToken
	}
	return SessionToken
}
