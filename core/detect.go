package core

import (
	"strings"

	"github.com/clerkguard/clerkguard/core/internal/shared"
)

// Clerk token categories (header `cat`, behaviour.md §3.4), shared with the
// inspector.
const (
	catSession = shared.CatSession
	catIgnore  = shared.CatIgnore
	catM2M     = shared.CatM2M
)

// opaqueTokenType reports the type of an opaque machine token from its prefix
// (behaviour.md §6.2, case-sensitive): mt_ or the legacy m2m_ → M2MToken, oat_ →
// OAuthToken, ak_ → APIKey. ok is false for anything else, a JWT included.
// Opaque tokens carry nothing to decode: only Clerk's Backend API can verify
// them (behaviour.md §6.4). Like DetectTokenType, it decides nothing about validity.
func opaqueTokenType(token string) (tt TokenType, ok bool) {
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
// (behaviour.md §6.2, RFC 9068). The comparison is exact, as in Clerk's SDKs: "AT+JWT"
// is not an OAuth typ (the token is then a session token, whose typ must be
// absent or "JWT", behaviour.md §3.2).
func isOAuthTyp(typ string) bool { return typ == "at+jwt" || typ == "application/at+jwt" }

// jwtTokenType detects the type of a JWT from its header typ and cat and its
// payload sub (behaviour.md §6.2). The M2M signs (sub mch_…, cat cl_B7d4PD333AAA, both
// case-sensitive) win over the OAuth typ, as in Clerk's JS SDK; anything else
// is a session token. A machine token is never read from the __session
// cookie: the caller refuses it there with token-type-mismatch (behaviour.md §1.2),
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

// DetectTokenType returns the type of token by the behaviour.md §6.2 rules, without
// verifying anything: an opaque prefix first (mt_ or the legacy m2m_ →
// M2MToken, oat_ → OAuthToken, ak_ → APIKey, case-sensitive), then, for
// a JWT, a payload sub starting with mch_ or a header cat of
// cl_B7d4PD333AAA → M2MToken, a header typ of at+jwt or application/at+jwt →
// OAuthToken. Anything else, including input that is not a well-formed JWT,
// is a SessionToken. It is the type VerifyToken detects before it verifies,
// so it tells which verification a token would get (and whether an
// Authorizer's WithAcceptsToken list lets it through), never whether it is
// valid: the result must not be used to authorize anything.
//
// token is untrusted input: malformed input never panics. DetectTokenType
// does not bound its size; VerifyToken refuses tokens larger than
// WithMaxTokenSize before looking at them.
func DetectTokenType(token string) TokenType {
	if tt, ok := opaqueTokenType(token); ok {
		return tt
	}
	var j jwtParts
	if j.split(token, nil) != nil { // a diagnostic: no header cache to fill
		return SessionToken
	}
	return j.tokenType()
}
