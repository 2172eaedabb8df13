package core

import "github.com/clerkguard/clerkguard/core/internal/jwtdecode"

// Clerk token categories (header `cat`, behaviour.md §3.4), as the decoding
// layer names them.
const (
	catSession = jwtdecode.CatSession
	catIgnore  = jwtdecode.CatIgnore
	catM2M     = jwtdecode.CatM2M
)

// opaqueTokenType is jwtdecode.OpaqueType as a TokenType: the type of an
// opaque machine token from its prefix (behaviour.md §6.2, case-sensitive),
// ok false for anything else, a JWT included. It decides nothing about
// validity.
func opaqueTokenType(token string) (TokenType, bool) {
	tt, ok := jwtdecode.OpaqueType(token)
	return TokenType(tt), ok
}

// jwtTokenType is the behaviour.md §6.2 type of the JWT j.
func jwtTokenType(j *jwtdecode.Parts) TokenType { return TokenType(j.Type()) }

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
	var j jwtdecode.Parts
	if j.Split(token, nil) != nil { // a diagnostic: no header cache to fill
		return SessionToken
	}
	return jwtTokenType(&j)
}
