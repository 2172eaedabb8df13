package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// This file decodes a token for display only. Nothing here decides whether a
// token is valid: verification always goes through core (inspect.go).
//
// The type detection (SPEC 6.2) and the feature, plan, role and permission
// decoding (SPEC 4.2–4.5) are core's own exported decoders; this file only
// picks the claims out of the JSON and arranges them for output.go. The tests
// mint tokens with clerktest and assert that this decoding equals what
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
	if tt, ok := core.OpaqueTokenType(tok); ok {
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
	// core's detection, which reads the header and payload its own way, so
	// the type shown is the one verification will act on.
	d.tokenType = core.DetectTokenType(tok)
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
		d.features = scopedNamesOf(fea)
	}
	if pla, ok := strOK(d.pay["pla"]); ok {
		d.plans = scopedNamesOf(pla)
	}
	if d.version == 2 {
		var o map[string]json.RawMessage
		if json.Unmarshal(d.pay["o"], &o) != nil || o == nil || str(o["id"]) == "" {
			return
		}
		d.org = &orgInfo{ID: str(o["id"]), Slug: str(o["slg"])}
		if rol := str(o["rol"]); rol != "" {
			d.org.Role = core.NormalizeOrgName(rol)
		}
		per, perSet := strOK(o["per"])
		fpm, fpmSet := strOK(o["fpm"])
		if perSet && fpmSet && feaSet {
			d.permissions = core.DecodeOrgPermissions(fea, per, fpm)
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

// scopedNamesOf decodes a `fea` or `pla` claim with core (SPEC 4.4) for
// display.
func scopedNamesOf(s string) *scopedNames {
	org, user, ok := core.DecodeScopedList(s)
	if !ok {
		return &scopedNames{Malformed: true}
	}
	return &scopedNames{Org: org, User: user}
}

// Clerk token categories (header `cat`, SPEC 3.4), named for display only by
// catName; core decides what a category means.
const (
	catSession     = "cl_B7d4PD111AAA"
	catIgnore      = "cl_I7d4PD111III"
	catJWTTemplate = "cl_B7d4PD222AAA"
	catM2M         = "cl_B7d4PD333AAA"
)
