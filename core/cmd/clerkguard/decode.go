package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// This file decodes a token for display only. Nothing here decides whether a
// token is valid: verification always goes through core (inspect.go).
//
// core does not export its verification-free decoders, so the functions
// below mirror them (each names the core function it mirrors). The tests
// mint tokens with clerktest and assert that this decoding equals what
// core.Authorizer.VerifyToken returns, so any drift fails the build. The
// exported helpers that would remove the copies are requested in
// /tmp/core-requests.md.

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
	hdr    map[string]json.RawMessage
	pay    map[string]json.RawMessage

	alg, typ, cat, kid string
	sub, azp, iss, sts string

	version     int // 2 when `v` is the number 2, else 1 (SPEC 4.2/4.3)
	org         *orgInfo
	permissions []string // nil when no org is active
	permSource  string   // where permissions came from
	features    *scopedNames
	plans       *scopedNames
	times       []timeClaim
}

// orgInfo is the active organization of a session token.
type orgInfo struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Role string `json:"role"`
}

// scopedNames is a decoded `fea` or `pla` claim (SPEC 4.4).
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

// decodeToken decodes tok for display. It returns a *malformedError when tok
// is neither an opaque machine token nor three base64url segments with a JSON
// object header and payload (SPEC 3.1).
func decodeToken(tok string) (*decoded, error) {
	d := &decoded{size: len(tok)}
	if tt, ok := opaqueTokenType(tok); ok {
		d.tokenType, d.opaque = tt, true
		return d, nil
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, malformed("not a JWT (%d dot-separated parts, want 3) and not an opaque mt_, oat_ or ak_ token", len(parts))
	}
	hdr, err := decodeSegment(parts[0])
	if err != nil {
		return nil, malformed("header is not base64url: %v", err)
	}
	pay, err := decodeSegment(parts[1])
	if err != nil {
		return nil, malformed("payload is not base64url: %v", err)
	}
	if _, err := decodeSegment(parts[2]); err != nil {
		return nil, malformed("signature is not base64url: %v", err)
	}
	if err := json.Unmarshal(hdr, &d.hdr); err != nil || d.hdr == nil {
		return nil, malformed("header is not a JSON object")
	}
	if err := json.Unmarshal(pay, &d.pay); err != nil || d.pay == nil {
		return nil, malformed("payload is not a JSON object")
	}
	d.header, d.claims = hdr, pay

	d.alg = str(d.hdr["alg"])
	d.typ = str(d.hdr["typ"])
	d.cat = str(d.hdr["cat"])
	d.kid = str(d.hdr["kid"])
	d.sub = str(d.pay["sub"])
	d.azp = str(d.pay["azp"])
	d.iss = str(d.pay["iss"])
	d.sts = str(d.pay["sts"])
	d.tokenType = jwtTokenType(d.typ, d.cat, d.sub)
	d.version = version(d.pay["v"])
	for _, name := range []string{"iat", "nbf", "exp"} {
		d.times = append(d.times, numericDate(name, d.pay[name]))
	}
	if d.tokenType == core.SessionToken {
		d.decodeSession()
	}
	return d, nil
}

// decodeSession decodes the org, permissions, features and plans of a
// session token; it mirrors core's payload.claims (SPEC 4.2–4.5).
func (d *decoded) decodeSession() {
	fea, feaSet := strOK(d.pay["fea"])
	if feaSet {
		d.features = decodeScopedList(fea)
	}
	if pla, ok := strOK(d.pay["pla"]); ok {
		d.plans = decodeScopedList(pla)
	}
	if d.version == 2 {
		var o map[string]json.RawMessage
		if json.Unmarshal(d.pay["o"], &o) != nil || o == nil || str(o["id"]) == "" {
			return
		}
		d.org = &orgInfo{ID: str(o["id"]), Slug: str(o["slg"])}
		if rol := str(o["rol"]); rol != "" {
			d.org.Role = normalizeOrgName(rol)
		}
		per, perSet := strOK(o["per"])
		fpm, fpmSet := strOK(o["fpm"])
		if perSet && fpmSet && feaSet {
			d.permissions = decodeOrgPermissions(fea, per, fpm)
		} else {
			d.permissions = []string{}
		}
		d.permSource = "v2: fea + o.per + o.fpm"
		return
	}
	id := str(d.pay["org_id"])
	if id == "" {
		return
	}
	d.org = &orgInfo{ID: id, Slug: str(d.pay["org_slug"]), Role: str(d.pay["org_role"])}
	d.permissions = []string{}
	var perms []string
	if json.Unmarshal(d.pay["org_permissions"], &perms) == nil && perms != nil {
		d.permissions = perms
	}
	d.permSource = "v1: org_permissions"
}

// decodeSegment decodes one base64url segment without padding (SPEC 3.1).
func decodeSegment(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("illegal data at byte %d", int64(ce))
		}
		return nil, errors.New("undecodable")
	}
	return b, nil
}

// str returns raw as a string when it is a JSON string, else "".
func str(raw json.RawMessage) string {
	s, _ := strOK(raw)
	return s
}

// strOK returns raw as a string and whether it is a JSON string.
func strOK(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// version mirrors core's payload.version: 2 when `v` is the number 2, else 1.
func version(raw json.RawMessage) int {
	if v := bytes.TrimSpace(raw); len(v) > 0 && v[0] != '"' {
		if f, err := strconv.ParseFloat(string(v), 64); err == nil && f == 2 {
			return 2
		}
	}
	return 1
}

// numericDate reads a time claim: a JSON number of seconds since the epoch.
func numericDate(name string, raw json.RawMessage) timeClaim {
	tc := timeClaim{name: name}
	if len(raw) == 0 || string(raw) == "null" {
		return tc
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || raw[0] == '"' || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e15 {
		tc.wrong = true
		return tc
	}
	sec, frac := math.Modf(f)
	tc.t, tc.set = time.Unix(int64(sec), int64(frac*1e9)), true
	return tc
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

// Clerk token categories (header `cat`, SPEC 3.4); mirror core/detect.go.
const (
	catSession     = "cl_B7d4PD111AAA"
	catIgnore      = "cl_I7d4PD111III"
	catJWTTemplate = "cl_B7d4PD222AAA"
	catM2M         = "cl_B7d4PD333AAA"
)

// opaqueTokenType mirrors core's opaqueTokenType (SPEC 6.2, case-sensitive
// prefixes).
func opaqueTokenType(token string) (core.TokenType, bool) {
	switch {
	case strings.HasPrefix(token, "mt_"), strings.HasPrefix(token, "m2m_"):
		return core.M2MToken, true
	case strings.HasPrefix(token, "oat_"):
		return core.OAuthToken, true
	case strings.HasPrefix(token, "ak_"):
		return core.APIKey, true
	}
	return "", false
}

// jwtTokenType mirrors core's jwtTokenType (SPEC 6.2).
func jwtTokenType(typ, cat, sub string) core.TokenType {
	switch {
	case strings.HasPrefix(sub, "mch_") || cat == catM2M:
		return core.M2MToken
	case typ == "at+jwt" || typ == "application/at+jwt":
		return core.OAuthToken
	}
	return core.SessionToken
}

// normalizeOrgName mirrors core's normalizeOrgName: exactly one "org:"
// prefix (SPEC 4.2).
func normalizeOrgName(s string) string {
	for strings.HasPrefix(s, "org:") {
		s = s[len("org:"):]
	}
	if s == "" {
		return ""
	}
	return "org:" + s
}

// splitTrim splits a comma list and trims each element; "" gives nothing.
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

// featureScope mirrors core's featureScope (SPEC 4.4).
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

// decodeScopedList mirrors core's decodeScopedList (SPEC 4.4): an element
// without a colon makes the whole claim malformed and yields nothing.
func decodeScopedList(s string) *scopedNames {
	l := &scopedNames{}
	for _, el := range splitTrim(s) {
		scope, name, found := strings.Cut(el, ":")
		if !found {
			return &scopedNames{Malformed: true}
		}
		org, user := featureScope(scope)
		if org {
			l.Org = append(l.Org, name)
		}
		if user {
			l.User = append(l.User, name)
		}
	}
	return l
}

// decodeOrgPermissions mirrors core's decodeOrgPermissions (SPEC 4.5): fpm
// holds one mask per element of fea, in the same position (Clerk's documented
// rule; Clerk's JS SDK instead counts org-scoped features only, which differs
// only when a u: feature precedes an org feature). Bit i of a feature's mask
// (least significant first) grants org:<feature>:<per[i]>. An invalid mask
// grants nothing for its feature only; a malformed fea grants nothing. The
// result is never nil.
func decodeOrgPermissions(fea, per, fpm string) []string {
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
			break
		}
		scope, feature, _ := strings.Cut(el, ":")
		if org, _ := featureScope(scope); !org || feature == "" {
			continue
		}
		mask, ok := parseMask(masks[i])
		if !ok {
			continue
		}
		for bit, name := range names {
			if name != "" && mask.Bit(bit) == 1 {
				perms = append(perms, "org:"+feature+":"+name)
			}
		}
	}
	return perms
}

// parseMask parses one fpm element: all ASCII digits after trimming, any
// size (SPEC 4.5).
func parseMask(s string) (*big.Int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return nil, false
		}
	}
	return new(big.Int).SetString(s, 10)
}
