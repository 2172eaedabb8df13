// Package shared holds what core and the clerkguard token inspector
// (core/cmd/clerkguard) must do identically, without core exporting it: the
// inspector shows what VerifyToken reads from a token by calling core's own
// decoder through Decode, never a copy of it (behaviour.md §3, §4, §6.2).
package shared

import (
	"strings"
	"time"
)

// Clerk token categories (header `cat`, behaviour.md §3.4).
const (
	CatSession     = "cl_B7d4PD111AAA" // session token
	CatIgnore      = "cl_I7d4PD111III" // session token, "ignore" category
	CatJWTTemplate = "cl_B7d4PD222AAA" // JWT template: refused where session tokens are expected
	CatM2M         = "cl_B7d4PD333AAA" // M2M token
)

// Token is what core's decoder reads from a token before any signature or
// claim check: the inspector displays it, and nothing in it is verified.
type Token struct {
	// Type is the core.TokenType VerifyToken would detect (behaviour.md §6.2).
	Type string
	// Opaque is true for an opaque machine token (mt_, m2m_, oat_, ak_):
	// nothing else is set then.
	Opaque bool

	// Header and Payload are the decoded JSON segments, exactly as encoded.
	Header, Payload []byte
	// Header parameters, "" when absent.
	Alg, Typ, Cat, Kid string
	// Sub, Azp, Iss and Sts are the string claims, "" when absent or not
	// strings.
	Sub, Azp, Iss, Sts string
	// Version is the claims version (2 when `v` is the number 2, else 1).
	Version int
	// Times are iat, nbf and exp, in that order, each decoded as core
	// decodes it.
	Times []Time

	// ClaimsError is set when the payload does not decode as core requires
	// (a known claim of the wrong JSON type): VerifyToken then answers
	// token-verification-failed once the signature verified, and the
	// session fields below are empty.
	ClaimsError string

	// Session claims, for session tokens whose payload decodes: the active
	// organization (nil when none), its permissions (nil exactly when Org
	// is), and the features and plans (nil when the claim is absent).
	Org         *Org
	Permissions []string
	Features    *Scoped
	Plans       *Scoped
}

// Time is one time claim.
type Time struct {
	Name string
	T    time.Time
	// Set is true when the claim is present and numeric; Wrong when it is
	// present but not a number (token-verification-failed).
	Set, Wrong bool
}

// Org is the active organization of a session token.
type Org struct {
	ID, Slug, Role string
}

// Scoped is a decoded `fea` or `pla` claim (behaviour.md §4.4).
type Scoped struct {
	Org, User []string
	// Malformed is true when an element has no scope: nothing is granted.
	Malformed bool
}

// Decode decodes a token as core's VerifyToken does before it verifies
// anything. Package core sets it when it is initialised (any program that
// imports core, as the inspector does); it returns an error describing why
// the input is not a token at all (behaviour.md §3.1).
var Decode func(token string) (*Token, error)

// SplitList splits a comma-separated list, trims each entry and drops empty
// ones, as core.NewFromEnv reads CLERK_AUTHORIZED_PARTIES.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
