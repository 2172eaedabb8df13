package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// This file arranges a decoded token for display. Nothing here decides
// whether a token is valid (verification always goes through core,
// inspect.go), and nothing here decodes a claim itself: the type detection,
// header, time claims, org, permissions, features and plans all come from
// internal/jwtdecode, the decoder core's VerifyToken runs (behaviour.md §3,
// §4, §6.2). The tests assert that what is shown equals what
// core.Authorizer.VerifyToken returns.

// maxTokenBytes bounds what the inspector reads at all. It is larger than
// core.DefaultMaxTokenSize so that an oversized token is still shown, and
// then rejected by verification with core's own reason.
const maxTokenBytes = 64 << 10

// malformedError is an input that is not a token at all (exit code 2).
type malformedError struct{ msg string }

func (e *malformedError) Error() string { return e.msg }

func malformed(format string, args ...any) error {
	return &malformedError{msg: fmt.Sprintf(format, args...)}
}

// decoded is everything the inspector shows about a token. It never holds a
// copy of the token's signature and is rendered by output.go.
type decoded struct {
	tokenType core.TokenType
	opaque    bool
	size      int

	header json.RawMessage // the header exactly as encoded (JWT only)
	claims json.RawMessage // the payload exactly as encoded (JWT only)

	alg, typ, cat, kid string
	sub, azp, iss, sts string

	version     int // 2 when `v` is the number 2, else 1 (behaviour.md §4.2/4.3)
	org         *orgInfo
	permissions []string // nil when no org is active
	permSource  string   // where permissions came from
	features    *scopedNames
	plans       *scopedNames
	times       []timeClaim
	claimsError string // why core cannot decode the claims, if it cannot
}

// orgInfo is the active organization of a session token.
type orgInfo struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Role string `json:"role"`
}

// scopedNames is a decoded `fea` or `pla` claim (behaviour.md §4.4).
type scopedNames struct {
	Org       []string `json:"org"`
	User      []string `json:"user"`
	Malformed bool     `json:"malformed,omitempty"`
}

// timeClaim is one of iat, nbf, exp.
type timeClaim struct {
	name  string
	t     time.Time
	set   bool // present and numeric
	wrong bool // present but not a number
}

// decodeToken decodes tok for display with the decoder VerifyToken uses
// (internal/jwtdecode: type detection, header, payload and session claims;
// the key, signature and claim checks are VerifyToken's alone). It returns a
// *malformedError when tok is neither an opaque machine token nor three
// base64url segments with a JSON object header and payload (behaviour.md
// §3.1), with the decoder's own description of what is wrong.
func decodeToken(tok string) (*decoded, error) {
	d := &decoded{size: len(tok)}
	if tt, ok := jwtdecode.OpaqueType(tok); ok {
		d.tokenType, d.opaque = core.TokenType(tt), true
		return d, nil
	}
	var j jwtdecode.Parts
	if err := j.Split(tok, nil); err != nil {
		var me *jwtdecode.MalformedError
		if errors.As(err, &me) && me.Detail != "" {
			return nil, notAToken(me.Detail)
		}
		return nil, malformed("not a token")
	}
	header, err := jwtdecode.DecodeSegment(j.H64)
	if err != nil { // cannot happen: Split decoded it
		return nil, notAToken("header is not base64url")
	}
	d.tokenType = core.TokenType(j.Type())
	d.header, d.claims = header, j.PayJSON
	d.alg, d.typ, d.cat, d.kid = j.Hdr.Alg, j.Hdr.Typ, j.Hdr.Cat, j.Hdr.Kid
	// Each claim on its own, so that one of the wrong type does not hide the
	// others: the members by exact name, decoded by the payload's own types.
	var members map[string]json.RawMessage
	if err := json.Unmarshal(j.PayJSON, &members); err != nil {
		return nil, notAToken("payload is not valid JSON")
	}
	var sub, sts jwtdecode.OptString
	var azp, iss jwtdecode.PartyString
	for name, dst := range map[string]json.Unmarshaler{"sub": &sub, "sts": &sts, "azp": &azp, "iss": &iss} {
		if raw, ok := members[name]; ok {
			_ = dst.UnmarshalJSON(raw) // a wrong type leaves it empty
		}
	}
	d.sub, d.sts, d.azp, d.iss = sub.V, sts.V, azp.V, iss.V
	d.version = (&jwtdecode.Payload{V: members["v"]}).Version()
	for _, name := range []string{"iat", "nbf", "exp"} {
		tc := timeClaim{name: name}
		if raw, ok := members[name]; ok {
			var nd jwtdecode.NumericDate
			if nd.UnmarshalJSON(raw) != nil {
				tc.wrong = true
			} else {
				tc.t, tc.set = nd.T, nd.Set
			}
		}
		d.times = append(d.times, tc)
	}
	if j.DecodeErr != nil {
		d.claimsError = "a known claim has the wrong JSON type"
		if bad := wrongTypedClaims(members); len(bad) > 0 {
			d.claimsError += ": " + strings.Join(bad, ", ")
		}
		return d, nil
	}
	if j.Type() != jwtdecode.SessionToken {
		return d, nil
	}
	s := j.P.Session()
	if s.OrgID != "" {
		d.org = &orgInfo{ID: s.OrgID, Slug: s.OrgSlug, Role: s.OrgRole}
		d.permissions = s.OrgPermissions
		d.permSource = "v1: org_permissions"
		if d.version == 2 {
			d.permSource = "v2: fea + o.per + o.fpm"
		}
	}
	d.features, d.plans = scopedNamesOf(s.Features), scopedNamesOf(s.Plans)
	return d, nil
}

// notAToken is the *malformedError of an input the decoder refuses as a JWT,
// with its description of what is wrong.
func notAToken(detail string) error {
	return malformed("%s (not a JWT, and not an opaque mt_, oat_ or ak_ token)", detail)
}

// wrongTypedClaims names the members of a payload that the payload decoder
// refuses on their own, in name order.
func wrongTypedClaims(members map[string]json.RawMessage) []string {
	var bad []string
	for name, raw := range members {
		one, err := json.Marshal(map[string]json.RawMessage{name: raw})
		if err == nil && jwtdecode.UnmarshalExact(one, new(jwtdecode.Payload), jwtdecode.PayloadSchema) != nil {
			bad = append(bad, name)
		}
	}
	slices.Sort(bad)
	return bad
}

// timeOf returns the named time claim.
func (d *decoded) timeOf(name string) timeClaim {
	for _, tc := range d.times {
		if tc.name == name {
			return tc
		}
	}
	return timeClaim{name: name}
}

// scopedNamesOf converts a decoded `fea` or `pla` claim for display: nil
// when the claim is absent.
func scopedNamesOf(s jwtdecode.Scoped) *scopedNames {
	if !s.Set {
		return nil
	}
	return &scopedNames{Org: s.Org, User: s.User, Malformed: s.Malformed}
}
