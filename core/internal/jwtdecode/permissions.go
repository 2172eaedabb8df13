package jwtdecode

import (
	"math/big"
	"strings"
)

// This file decodes the compact feature, plan and permission claims of v2
// session tokens (behaviour.md §4.4, 4.5). Every input is untrusted: malformed input
// yields fewer grants, never a panic.

// ScopedList is the decoded form of a `fea` or `pla` claim: the names
// granted to the organization and to the user.
type ScopedList struct {
	Org, User []string
}

// featureScope classifies the scope of one `fea`/`pla` element (behaviour.md §4.4):
// "o" → org, "u" → user, "ou"/"uo" → both, anything else → neither.
func featureScope(scope string) (org, user bool) {
	switch scope {
	case "o":
		return true, false
	case "u":
		return false, true
	case "ou", "uo":
		return true, true
	}
	return false, false
}

// splitTrim splits a comma list and trims each element. An empty input gives
// no elements.
func splitTrim(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// DecodeScopedList decodes a `fea` or `pla` claim (behaviour.md §4.4). ok is false when
// an element has no colon: the claim is then malformed and yields nothing.
func DecodeScopedList(s string) (l ScopedList, ok bool) {
	for _, el := range splitTrim(s) {
		scope, name, found := strings.Cut(el, ":")
		if !found {
			return ScopedList{}, false
		}
		org, user := featureScope(scope)
		if org {
			l.Org = append(l.Org, name)
		}
		if user {
			l.User = append(l.User, name)
		}
	}
	return l, true
}

// parseMask parses one `fpm` element: all ASCII digits after trimming, of any
// size (behaviour.md §4.5). ok is false for anything else ("-1", "1.5", "1x", "").
func parseMask(s string) (mask *big.Int, small uint64, isSmall bool, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, 0, false, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return nil, 0, false, false
		}
	}
	if len(s) <= 19 { // fits in uint64 without overflow
		var v uint64
		for i := 0; i < len(s); i++ {
			v = v*10 + uint64(s[i]-'0')
		}
		return nil, v, true, true
	}
	m, good := new(big.Int).SetString(s, 10)
	if !good {
		return nil, 0, false, false
	}
	return m, 0, false, true
}

// DecodeOrgPermissions derives org permissions from `fea`, `o.per` and
// `o.fpm` (behaviour.md §4.5).
//
// Decision (behaviour.md §4.5, documented in the README): `fpm` holds one mask per
// element of `fea`, in the same position, as Clerk documents and as the Go,
// Python and Ruby SDKs and every real token do (len(fpm) == len(fea)). Clerk's
// JS SDK instead indexes `fpm` among org-scoped features only; the two differ
// only when a `u:` feature precedes an org feature.
//
// Only org-scoped elements ("o", "ou", "uo") yield permissions; bit i of the
// mask (least significant first) grants per[i]; bits beyond len(per) are
// ignored; an invalid mask grants nothing for that feature only; a malformed
// `fea` (an element without a colon) grants nothing. The result is never nil.
func DecodeOrgPermissions(fea, per, fpm string) []string {
	perms := []string{}
	feats := splitTrim(fea)
	for _, el := range feats {
		if !strings.Contains(el, ":") {
			return perms
		}
	}
	names := splitTrim(per)
	masks := splitTrim(fpm)
	if len(names) == 0 || len(masks) == 0 {
		return perms
	}
	for i, el := range feats {
		if i >= len(masks) {
			break // features without a mask get nothing
		}
		scope, feature, _ := strings.Cut(el, ":")
		if org, _ := featureScope(scope); !org || feature == "" {
			continue
		}
		big, small, isSmall, ok := parseMask(masks[i])
		if !ok {
			continue
		}
		for bit, name := range names {
			if name == "" {
				continue
			}
			var set bool
			if isSmall {
				set = bit < 64 && small&(1<<uint(bit)) != 0
			} else {
				set = big.Bit(bit) == 1
			}
			if set {
				perms = append(perms, "org:"+feature+":"+name)
			}
		}
	}
	return perms
}
