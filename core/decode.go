package core

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

// This file decodes a token's JSON header and payload (behaviour.md §3.1, 3.11, 4).
// Known claims are strictly typed: a wrong-typed known claim makes the token
// fail with token-verification-failed (behaviour.md §3.9) rather than being silently
// dropped. The exceptions are azp and iss, which are only ever compared with
// configured values: a non-string one equals none of them, so it fails behaviour.md
// §3.7/3.8 with their own reasons when they are configured, and passes when
// they are not (see partyString). Unknown claims are ignored and stay
// reachable through Claims.Raw.

// jwtHeader holds the header parameters clerkguard reads. Values are kept raw
// so that a wrong type maps to the reason of the rule it breaks.
type jwtHeader struct {
	Alg json.RawMessage `json:"alg"`
	Typ json.RawMessage `json:"typ"`
	Cat json.RawMessage `json:"cat"`
	Kid json.RawMessage `json:"kid"`
}

// rawString interprets a raw JSON value: present reports whether the member
// exists and is not null; ok reports whether it is a JSON string.
func rawString(raw json.RawMessage) (s string, present, ok bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", false, true
	}
	s, err := jsonString(raw)
	if err != nil {
		return "", true, false
	}
	return s, true, true
}

// jsonString decodes a JSON string literal, without the cost of a full
// json.Unmarshal when it holds no escape sequence (the common case).
func jsonString(b []byte) (string, error) {
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

// optString is a claim that must be a string when present.
type optString struct {
	v   string
	set bool
}

func (o *optString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	v, err := jsonString(b)
	if err != nil {
		return err
	}
	o.v, o.set = v, true
	return nil
}

// partyString is a claim compared with configured values (azp, behaviour.md §3.7;
// iss, behaviour.md §3.8). A value that is not a JSON string can equal no configured
// value, so it decodes as "" and fails that check when it is configured; with
// nothing configured the claim is not checked and its type does not matter
// ("any azp (or none) passes"). It never fails decoding.
type partyString struct {
	v string
}

func (o *partyString) UnmarshalJSON(b []byte) error {
	if v, err := jsonString(b); err == nil {
		o.v = v
	}
	return nil
}

// fvaClaim is the `fva` claim (behaviour.md §4.1): exactly two JSON
// integers, each at least -1 (minutes since the first and second factor were
// verified, -1 for never). Anything else, null included, is treated as
// absent (v stays nil), as Clerk's Go SDK does: a malformed fva can then
// satisfy no reverification check (behaviour.md §5.6), and it never fails the
// token. It never fails decoding.
type fvaClaim struct {
	v *[2]int
}

func (f *fvaClaim) UnmarshalJSON(b []byte) error {
	f.v = nil
	var ages []json.RawMessage
	if json.Unmarshal(b, &ages) != nil || len(ages) != 2 {
		return nil
	}
	first, ok1 := fvaAge(ages[0])
	second, ok2 := fvaAge(ages[1])
	if ok1 && ok2 {
		f.v = fvaOf(first, second)
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
// below -1 or does not fit an int. Both decoders (unmarshalExact and
// decodePayloadFast) go through it, so they agree.
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

// numericDate is a time claim: a JSON number of seconds since the epoch.
type numericDate struct {
	t   time.Time
	set bool
}

var errWrongType = errors.New("claim has the wrong JSON type")

// maxNumericDate bounds time claims, in seconds from the epoch.
const maxNumericDate = 1e15

func (n *numericDate) UnmarshalJSON(b []byte) error {
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
	n.t = time.Unix(int64(sec), int64(frac*1e9))
	n.set = true
	return nil
}

// orgClaim is the v2 `o` claim (behaviour.md §4.2).
type orgClaim struct {
	ID   string    `json:"id"`
	Slug string    `json:"slg"`
	Role string    `json:"rol"`
	Per  optString `json:"per"`
	Fpm  optString `json:"fpm"`
}

// payload holds the claims clerkguard reads (behaviour.md §4).
type payload struct {
	Sub json.RawMessage `json:"sub"`
	Sid optString       `json:"sid"`
	Azp partyString     `json:"azp"`
	Iss partyString     `json:"iss"`
	Sts optString       `json:"sts"`
	Exp numericDate     `json:"exp"`
	Nbf numericDate     `json:"nbf"`
	Iat numericDate     `json:"iat"`
	V   json.RawMessage `json:"v"`
	Fva fvaClaim        `json:"fva"`
	Act *Actor          `json:"act"`

	// v2
	O   *orgClaim `json:"o"`
	Fea optString `json:"fea"`
	Pla optString `json:"pla"`

	// v1
	OrgID          optString `json:"org_id"`
	OrgRole        optString `json:"org_role"`
	OrgSlug        optString `json:"org_slug"`
	OrgPermissions []string  `json:"org_permissions"`

	// machine tokens
	Jti    optString       `json:"jti"`
	Scp    json.RawMessage `json:"scp"`
	Scope  optString       `json:"scope"`
	Scopes json.RawMessage `json:"scopes"`
	Name   optString       `json:"name"`
	CID    optString       `json:"client_id"`
}

// machineClaims builds the Claims of a JWT-format M2M or OAuth token (behaviour.md
// §6.4). Session-only dimensions (org, features, plans) stay empty.
func (p *payload) machineClaims(tt TokenType, raw []byte, sub string) *Claims {
	c := &Claims{
		TokenType: tt,
		Subject:   sub,
		Issuer:    p.Iss.v,
		IssuedAt:  p.Iat.t,
		NotBefore: p.Nbf.t,
		Expiry:    p.Exp.t,
		TokenID:   p.Jti.v,
		Name:      p.Name.v,
		ClientID:  p.CID.v,
		Version:   p.version(),
		raw:       raw,
	}
	c.Scopes = scopesOf(p.Scp)
	if len(c.Scopes) == 0 {
		c.Scopes = scopesOf(p.Scopes)
	}
	if len(c.Scopes) == 0 && p.Scope.set {
		c.Scopes = strings.Fields(p.Scope.v)
	}
	if c.Scopes == nil {
		c.Scopes = []string{}
	}
	return c
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

// decodeSegment decodes one base64url segment (no padding, behaviour.md §3.1).
func decodeSegment(seg string) ([]byte, error) {
	return b64.DecodeString(seg)
}

// looksLikeJSONObject reports whether b starts and ends like a JSON object;
// json.Unmarshal then validates it fully.
func looksLikeJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) >= 2 && b[0] == '{' && b[len(b)-1] == '}'
}

// isSyntaxError reports whether err says the input is not JSON at all (as
// opposed to a claim of the wrong type).
func isSyntaxError(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

// subString returns the `sub` claim when it is a JSON string.
func (p *payload) subString() (string, bool) {
	s, present, ok := rawString(p.Sub)
	return s, present && ok
}

// version implements behaviour.md §4.2/4.3: 2 when `v` is the number 2, else 1.
func (p *payload) version() int {
	if v := bytes.TrimSpace(p.V); len(v) > 0 && v[0] != '"' {
		if f, err := strconv.ParseFloat(string(v), 64); err == nil && f == 2 {
			return 2
		}
	}
	return 1
}

// claims builds the Claims of a session token from a decoded payload.
func (p *payload) claims(raw []byte, sub string) *Claims {
	c := &Claims{
		TokenType:             SessionToken,
		Subject:               sub,
		SessionID:             p.Sid.v,
		AuthorizedParty:       p.Azp.v,
		Issuer:                p.Iss.v,
		IssuedAt:              p.Iat.t,
		NotBefore:             p.Nbf.t,
		Expiry:                p.Exp.t,
		SessionStatus:         p.Sts.v,
		FactorVerificationAge: p.Fva.v,
		Actor:                 p.Act,
		Version:               p.version(),
		raw:                   raw,
	}
	if !p.Iat.set {
		c.IssuedAt = time.Time{}
	}
	if p.Fea.set {
		if l, ok := decodeScopedList(p.Fea.v); ok {
			c.OrgFeatures, c.UserFeatures = l.org, l.user
		}
	}
	if p.Pla.set {
		if l, ok := decodeScopedList(p.Pla.v); ok {
			c.OrgPlans, c.UserPlans = l.org, l.user
		}
	}
	if c.Version == 2 {
		if o := p.O; o != nil && o.ID != "" {
			c.OrgID, c.OrgSlug = o.ID, o.Slug
			if o.Role != "" {
				c.OrgRole = normalizeOrgName(o.Role)
			}
			if o.Per.set && o.Fpm.set && p.Fea.set {
				c.OrgPermissions = decodeOrgPermissions(p.Fea.v, o.Per.v, o.Fpm.v)
			} else {
				c.OrgPermissions = []string{}
			}
		}
		return c
	}
	if p.OrgID.v != "" {
		c.OrgID, c.OrgSlug, c.OrgRole = p.OrgID.v, p.OrgSlug.v, p.OrgRole.v
		c.OrgPermissions = p.OrgPermissions
		if c.OrgPermissions == nil {
			c.OrgPermissions = []string{}
		}
	}
	return c
}
