package bench

import (
	"context"
	"errors"
	"math/big"
	"strconv"
	"strings"
)

// ClerkClaims are the Clerk claims a go-jwt-middleware/v2 user has to
// declare and check by hand: the authorized party and the compact v2
// organization claims. It implements validator.CustomClaims.
type ClerkClaims struct {
	// AuthorizedParty is `azp`; Validate requires it to equal Party.
	AuthorizedParty string `json:"azp"`
	// Version is `v`: 2 for the compact claims.
	Version int `json:"v"`
	// Features is `fea`, a comma list of scope:feature.
	Features string `json:"fea"`
	// Org is `o`, the active organization; nil when none is active.
	Org *ClerkOrg `json:"o"`
}

// ClerkOrg is the `o` claim of a v2 session token.
type ClerkOrg struct {
	// ID is `o.id`.
	ID string `json:"id"`
	// Role is `o.rol`, without the "org:" prefix.
	Role string `json:"rol"`
	// Permissions is `o.per`, a comma list of permission names.
	Permissions string `json:"per"`
	// Masks is `o.fpm`, one decimal mask per element of `fea`.
	Masks string `json:"fpm"`
}

// errAuthorizedParty is returned by Validate for a foreign or missing azp.
var errAuthorizedParty = errors.New("bench: azp is not an authorized party")

// Validate implements validator.CustomClaims: the token must have been
// issued for Party.
func (c *ClerkClaims) Validate(context.Context) error {
	if c.AuthorizedParty != Party {
		return errAuthorizedParty
	}
	return nil
}

// HasPermission reports whether the active organization grants p
// ("org:<feature>:<name>", or without the "org:" prefix), decoding the v2
// claims as behaviour.md §4.5 describes: the mask in `o.fpm` at the position of the
// org-scoped feature in `fea` has bit i set for the name at position i of
// `o.per`. It is false for v1 tokens, without an active organization and for
// malformed claims.
func (c *ClerkClaims) HasPermission(p string) bool {
	if c == nil || c.Version != 2 || c.Org == nil || c.Org.ID == "" {
		return false
	}
	return hasV2Permission(c.Features, c.Org.Permissions, c.Org.Masks, p)
}

func hasV2Permission(fea, per, fpm, p string) bool {
	for strings.HasPrefix(p, "org:") {
		p = p[len("org:"):]
	}
	feature, name, ok := strings.Cut(p, ":")
	if !ok {
		return false
	}
	fi := -1
	for i, el := range listItems(fea) {
		scope, f, ok := strings.Cut(el, ":")
		if !ok {
			return false // behaviour.md §4.4: an element without a scope voids the claim
		}
		if fi < 0 && f == feature && (scope == "o" || scope == "ou" || scope == "uo") {
			fi = i
		}
	}
	if fi < 0 {
		return false
	}
	bit := -1
	for i, n := range listItems(per) {
		if n == name {
			bit = i
			break
		}
	}
	if bit < 0 {
		return false
	}
	for i, m := range listItems(fpm) {
		if i == fi {
			return maskHasBit(m, bit)
		}
	}
	return false
}

// listItems yields the trimmed elements of a comma list with their
// positions.
func listItems(s string) func(yield func(int, string) bool) {
	return func(yield func(int, string) bool) {
		if s == "" {
			return
		}
		i := 0
		for el := range strings.SplitSeq(s, ",") {
			if !yield(i, strings.TrimSpace(el)) {
				return
			}
			i++
		}
	}
}

// maskHasBit reports whether the decimal mask m has bit set; a mask that is
// not all ASCII digits grants nothing.
func maskHasBit(m string, bit int) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		if m[i] < '0' || m[i] > '9' {
			return false
		}
	}
	if v, err := strconv.ParseUint(m, 10, 64); err == nil {
		return bit < 64 && v&(1<<uint(bit)) != 0
	}
	v, ok := new(big.Int).SetString(m, 10)
	return ok && v.Bit(bit) == 1
}
