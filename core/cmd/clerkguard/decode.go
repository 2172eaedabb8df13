package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/internal/shared"
)

// This file arranges a decoded token for display. Nothing here decides
// whether a token is valid (verification always goes through core,
// inspect.go), and nothing here decodes a claim: the type detection, header,
// time claims, org, permissions, features and plans all come from core's own
// decoder through internal/shared.Decode, the code VerifyToken runs
// (behaviour.md §3, §4, §6.2). The tests assert that what is shown equals
// what core.Authorizer.VerifyToken returns.

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

// decodeToken decodes tok for display with core's decoder. It returns a
// *malformedError when tok is neither an opaque machine token nor three
// base64url segments with a JSON object header and payload (behaviour.md
// §3.1), with core's own description of what is wrong.
func decodeToken(tok string) (*decoded, error) {
	t, err := shared.Decode(tok)
	if err != nil {
		var ce *core.Error
		if errors.As(err, &ce) && ce.Detail != "" {
			return nil, malformed("%s (not a JWT, and not an opaque mt_, oat_ or ak_ token)", ce.Detail)
		}
		return nil, malformed("not a token")
	}
	d := &decoded{size: len(tok), tokenType: core.TokenType(t.Type), opaque: t.Opaque}
	if t.Opaque {
		return d, nil
	}
	d.header, d.claims = t.Header, t.Payload
	d.alg, d.typ, d.cat, d.kid = t.Alg, t.Typ, t.Cat, t.Kid
	d.sub, d.azp, d.iss, d.sts = t.Sub, t.Azp, t.Iss, t.Sts
	d.version = t.Version
	d.claimsError = t.ClaimsError
	for _, tc := range t.Times {
		d.times = append(d.times, timeClaim{name: tc.Name, t: tc.T, set: tc.Set, wrong: tc.Wrong})
	}
	if t.Org != nil {
		d.org = &orgInfo{ID: t.Org.ID, Slug: t.Org.Slug, Role: t.Org.Role}
		d.permissions = t.Permissions
		d.permSource = "v1: org_permissions"
		if d.version == 2 {
			d.permSource = "v2: fea + o.per + o.fpm"
		}
	}
	d.features, d.plans = scopedNamesOf(t.Features), scopedNamesOf(t.Plans)
	return d, nil
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

// scopedNamesOf converts a decoded `fea` or `pla` claim for display.
func scopedNamesOf(s *shared.Scoped) *scopedNames {
	if s == nil {
		return nil
	}
	return &scopedNames{Org: s.Org, User: s.User, Malformed: s.Malformed}
}
