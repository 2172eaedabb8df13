package core

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/clerkguard/clerkguard/core/internal/shared"
)

// The clerkguard inspector (core/cmd/clerkguard) shows what a token says
// with this package's own decoding, reached through internal/shared, so
// that core's public API carries no decoder for its sake and the two can
// never drift apart.
func init() { shared.Decode = decodeForInspection }

// decodeForInspection decodes token exactly as VerifyToken does before it
// checks anything (type detection, header, payload and session claims; the
// key, signature and claim checks are VerifyToken's alone). It returns the
// token-invalid *Error of behaviour.md §3.1 when token is neither an opaque
// machine token nor a well-formed JWT. Nothing it returns is verified.
func decodeForInspection(token string) (*shared.Token, error) {
	if tt, ok := opaqueTokenType(token); ok {
		return &shared.Token{Type: string(tt), Opaque: true}, nil
	}
	var j jwtParts
	if err := j.split(token, nil); err != nil {
		return nil, err
	}
	header, err := decodeSegment(j.h64)
	if err != nil { // cannot happen: split decoded it
		return nil, errorf(ReasonTokenInvalid, "header is not base64url")
	}
	t := &shared.Token{Type: string(j.tokenType()), Header: header, Payload: j.payJSON,
		Alg: j.hdr.alg, Typ: j.hdr.typ, Cat: j.hdr.cat, Kid: j.hdr.kid}
	// Each claim on its own, so that one of the wrong type does not hide the
	// others: the members by exact name, decoded by the payload's own types.
	var members map[string]json.RawMessage
	if err := json.Unmarshal(j.payJSON, &members); err != nil {
		return nil, errorf(ReasonTokenInvalid, "payload is not valid JSON")
	}
	var sub, sts optString
	var azp, iss partyString
	for name, dst := range map[string]json.Unmarshaler{"sub": &sub, "sts": &sts, "azp": &azp, "iss": &iss} {
		if raw, ok := members[name]; ok {
			_ = dst.UnmarshalJSON(raw) // a wrong type leaves it empty
		}
	}
	t.Sub, t.Sts, t.Azp, t.Iss = sub.v, sts.v, azp.v, iss.v
	t.Version = (&payload{V: members["v"]}).version()
	for _, name := range []string{"iat", "nbf", "exp"} {
		tc := shared.Time{Name: name}
		if raw, ok := members[name]; ok {
			var d numericDate
			if d.UnmarshalJSON(raw) != nil {
				tc.Wrong = true
			} else {
				tc.T, tc.Set = d.t, d.set
			}
		}
		t.Times = append(t.Times, tc)
	}
	if j.decodeErr != nil {
		t.ClaimsError = "a known claim has the wrong JSON type"
		if bad := wrongTypedClaims(members); len(bad) > 0 {
			t.ClaimsError += ": " + strings.Join(bad, ", ")
		}
		return t, nil
	}
	if j.tokenType() != SessionToken {
		return t, nil
	}
	p := &j.p
	c := p.claims(j.payJSON, j.sub)
	if c.OrgID != "" {
		t.Org = &shared.Org{ID: c.OrgID, Slug: c.OrgSlug, Role: c.OrgRole}
		t.Permissions = c.OrgPermissions
	}
	t.Features = scopedForInspection(p.Fea, c.OrgFeatures, c.UserFeatures)
	t.Plans = scopedForInspection(p.Pla, c.OrgPlans, c.UserPlans)
	return t, nil
}

// wrongTypedClaims names the members of a payload that the payload decoder
// refuses on their own, in name order.
func wrongTypedClaims(members map[string]json.RawMessage) []string {
	var bad []string
	for name, raw := range members {
		one, err := json.Marshal(map[string]json.RawMessage{name: raw})
		if err == nil && unmarshalExact(one, new(payload), payloadSchema) != nil {
			bad = append(bad, name)
		}
	}
	slices.Sort(bad)
	return bad
}

// scopedForInspection describes a fea or pla claim as Claims holds it, and
// whether decodeScopedList found it malformed.
func scopedForInspection(claim optString, org, user []string) *shared.Scoped {
	if !claim.set {
		return nil
	}
	if _, ok := decodeScopedList(claim.v); !ok {
		return &shared.Scoped{Malformed: true}
	}
	return &shared.Scoped{Org: org, User: user}
}
