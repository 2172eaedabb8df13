package jwtdecode

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file decodes a token's JSON payload (behaviour.md §3.1, 3.11, 4).
// Known claims are strictly typed: a wrong-typed known claim makes the token
// fail with token-verification-failed (behaviour.md §3.9) rather than being silently
// dropped. The exceptions are azp and iss, which are only ever compared with
// configured values: a non-string one equals none of them, so it fails behaviour.md
// §3.7/3.8 with their own reasons when they are configured, and passes when
// they are not (see PartyString). Unknown claims are ignored and stay
// reachable through core's Claims.Raw.

// rawString interprets a raw JSON value: present reports whether the member
// exists and is not null; ok reports whether it is a JSON string.
func rawString(raw json.RawMessage) (s string, present, ok bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", false, true
	}
	s, err := JSONString(raw)
	if err != nil {
		return "", true, false
	}
	return s, true, true
}

// JSONString decodes a JSON string literal, without the cost of a full
// json.Unmarshal when it holds no escape sequence (the common case).
func JSONString(b []byte) (string, error) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", errWrongType
	}
	inner := b[1 : len(b)-1]
	if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) && !hasControl(inner) {
		return string(inner), nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", errWrongType
	}
	return s, nil
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// OptString is a claim that must be a string when present.
type OptString struct {
	V   string // the value, "" when absent
	Set bool   // present and not null
}

// UnmarshalJSON accepts null (absent) and a JSON string; anything else is
// an error.
func (o *OptString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	v, err := JSONString(b)
	if err != nil {
		return err
	}
	o.V, o.Set = v, true
	return nil
}

// PartyString is a claim compared with configured values (azp, behaviour.md §3.7;
// iss, behaviour.md §3.8). A value that is not a JSON string can equal no configured
// value, so it decodes as "" and fails that check when it is configured; with
// nothing configured the claim is not checked and its type does not matter
// ("any azp (or none) passes"). It never fails decoding.
type PartyString struct {
	V string // the value, "" when absent or not a string
}

// UnmarshalJSON keeps a JSON string and ignores anything else.
func (o *PartyString) UnmarshalJSON(b []byte) error {
	if v, err := JSONString(b); err == nil {
		o.V = v
	}
	return nil
}

// FvaClaim is the `fva` claim (behaviour.md §4.1): exactly two JSON
// integers, each at least -1 (minutes since the first and second factor were
// verified, -1 for never). Anything else, null included, is treated as
// absent (V stays nil), as Clerk's Go SDK does: a malformed fva can then
// satisfy no reverification check (behaviour.md §5.6), and it never fails the
// token. It never fails decoding.
type FvaClaim struct {
	V *[2]int
}

// UnmarshalJSON keeps two integers of at least -1 and treats anything else
// as absent.
func (f *FvaClaim) UnmarshalJSON(b []byte) error {
	f.V = nil
	var ages []json.RawMessage
	if json.Unmarshal(b, &ages) != nil || len(ages) != 2 {
		return nil
	}
	first, ok1 := fvaAge(ages[0])
	second, ok2 := fvaAge(ages[1])
	if ok1 && ok2 {
		f.V = fvaOf(first, second)
	}
	return nil
}

// fvaAge reads one element of fva: a JSON number without fraction or
// exponent (json.Unmarshal has validated it as JSON, so ParseInt accepts
// exactly the integer literals).
func fvaAge(raw json.RawMessage) (int64, bool) {
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	return n, err == nil
}

// fvaOf returns the fva value for two integer ages, or nil when either is
// below -1 or does not fit an int. Both decoders (UnmarshalExact and
// DecodePayloadFast) go through it, so they agree.
func fvaOf(first, second int64) *[2]int { return fvaInto(nil, first, second) }

// fvaInto is fvaOf writing into dst (a new array when dst is nil).
func fvaInto(dst *[2]int, first, second int64) *[2]int {
	if first < -1 || second < -1 || int64(int(first)) != first || int64(int(second)) != second {
		return nil
	}
	if dst == nil {
		dst = new([2]int)
	}
	*dst = [2]int{int(first), int(second)}
	return dst
}

// NumericDate is a time claim: a JSON number of seconds since the epoch.
type NumericDate struct {
	T   time.Time
	Set bool // present and numeric
}

var errWrongType = errors.New("claim has the wrong JSON type")

// maxNumericDate bounds time claims, in seconds from the epoch.
const maxNumericDate = 1e15

// UnmarshalJSON accepts null (absent) and any JSON number; anything else is
// an error.
func (n *NumericDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return errWrongType
	}
	// json.Unmarshal has already validated the whole document, so b is a
	// JSON number here. One too large for a float64 (1e400) is still a
	// number: ParseFloat then returns ±Inf with ErrRange.
	f, err := strconv.ParseFloat(string(b), 64)
	if (err != nil && !errors.Is(err, strconv.ErrRange)) || math.IsNaN(f) {
		return errWrongType
	}
	// Clamp far-away dates (about ±31 million years) so time.Unix cannot
	// overflow; a huge exp is far in the future, a huge negative one far in
	// the past, exactly as their values say (behaviour.md §3.9: exp is only required
	// to be numeric).
	f = math.Max(-maxNumericDate, math.Min(maxNumericDate, f))
	sec, frac := math.Modf(f)
	n.T = time.Unix(int64(sec), int64(frac*1e9))
	n.Set = true
	return nil
}

// OrgClaim is the v2 `o` claim (behaviour.md §4.2).
type OrgClaim struct {
	ID   string    `json:"id"`
	Slug string    `json:"slg"`
	Role string    `json:"rol"`
	Per  OptString `json:"per"`
	Fpm  OptString `json:"fpm"`
}

// Actor is the `act` claim of an impersonated session. Its fields are those
// of core.Actor, which converts from it.
type Actor struct {
	Subject   string `json:"sub"`
	SessionID string `json:"sid,omitempty"`
	Issuer    string `json:"iss,omitempty"`
	Type      string `json:"type,omitempty"`
}

// Payload holds the claims clerkguard reads (behaviour.md §4).
type Payload struct {
	Sub json.RawMessage `json:"sub"`
	Sid OptString       `json:"sid"`
	Azp PartyString     `json:"azp"`
	Iss PartyString     `json:"iss"`
	Sts OptString       `json:"sts"`
	Exp NumericDate     `json:"exp"`
	Nbf NumericDate     `json:"nbf"`
	Iat NumericDate     `json:"iat"`
	V   json.RawMessage `json:"v"`
	Fva FvaClaim        `json:"fva"`
	Act *Actor          `json:"act"`

	// v2
	O   *OrgClaim `json:"o"`
	Fea OptString `json:"fea"`
	Pla OptString `json:"pla"`

	// v1
	OrgID          OptString `json:"org_id"`
	OrgRole        OptString `json:"org_role"`
	OrgSlug        OptString `json:"org_slug"`
	OrgPermissions []string  `json:"org_permissions"`

	// machine tokens
	Jti    OptString       `json:"jti"`
	Scp    json.RawMessage `json:"scp"`
	Scope  OptString       `json:"scope"`
	Scopes json.RawMessage `json:"scopes"`
	Name   OptString       `json:"name"`
	CID    OptString       `json:"client_id"`
}

// SubString returns the `sub` claim when it is a JSON string.
func (p *Payload) SubString() (string, bool) {
	s, present, ok := rawString(p.Sub)
	return s, present && ok
}

// Version implements behaviour.md §4.2/4.3: 2 when `v` is the number 2, else 1.
func (p *Payload) Version() int {
	if v := bytes.TrimSpace(p.V); len(v) > 0 && v[0] != '"' {
		if f, err := strconv.ParseFloat(string(v), 64); err == nil && f == 2 {
			return 2
		}
	}
	return 1
}

// MachineScopes returns the scopes of a JWT-format M2M or OAuth token
// (behaviour.md §6.4): `scp`, else `scopes` (each an array of strings or a
// space-separated string), else the space-separated `scope`; never nil.
func (p *Payload) MachineScopes() []string {
	scopes := scopesOf(p.Scp)
	if len(scopes) == 0 {
		scopes = scopesOf(p.Scopes)
	}
	if len(scopes) == 0 && p.Scope.Set {
		scopes = strings.Fields(p.Scope.V)
	}
	if scopes == nil {
		scopes = []string{}
	}
	return scopes
}

// scopesOf reads a scope claim that is either an array of strings or a
// space-separated string; anything else gives no scopes.
func scopesOf(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return strings.Fields(s)
	}
	return nil
}
