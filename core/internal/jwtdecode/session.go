package jwtdecode

import (
	"strings"
	"time"
)

// Session is what a session token's payload says (behaviour.md §4), as
// core.Claims holds it: core copies it into its Claims and the inspector
// displays it, so the two cannot disagree. Nothing in it is verified.
type Session struct {
	SessionID, AuthorizedParty, Issuer, SessionStatus string
	// IssuedAt is zero when iat is absent; NotBefore and Expiry likewise.
	IssuedAt, NotBefore, Expiry time.Time
	FactorVerificationAge       *[2]int
	Actor                       *Actor
	// Version is 2 when `v` is the number 2, else 1 (behaviour.md §4.2/4.3).
	Version int

	// The active organization: OrgID is "" when none is active, and
	// OrgPermissions is nil exactly then. OrgRole carries one "org:" prefix
	// for v2 tokens (behaviour.md §4.2); a v1 role is kept as it is (§4.3).
	OrgID, OrgSlug, OrgRole string
	OrgPermissions          []string

	// Features and Plans are the `fea` and `pla` claims (behaviour.md §4.4).
	Features, Plans Scoped
}

// Scoped is a decoded `fea` or `pla` claim (behaviour.md §4.4).
type Scoped struct {
	// Org and User are the names granted to the organization and the user,
	// without their scope.
	Org, User []string
	// Set is true when the claim is present; Malformed when an element has
	// no scope, in which case nothing is granted.
	Set, Malformed bool
}

// scoped decodes claim as a Scoped.
func scoped(claim OptString) Scoped {
	if !claim.Set {
		return Scoped{}
	}
	l, ok := DecodeScopedList(claim.V)
	return Scoped{Org: l.Org, User: l.User, Set: true, Malformed: !ok}
}

// Session computes the session-claim view of p (behaviour.md §4.1–4.5): v2
// tokens read the `o` claim and derive org permissions from `fea`, `o.per`
// and `o.fpm`; v1 tokens read `org_id`, `org_slug`, `org_role` and
// `org_permissions`.
func (p *Payload) Session() Session {
	s := Session{
		SessionID:             p.Sid.V,
		AuthorizedParty:       p.Azp.V,
		Issuer:                p.Iss.V,
		NotBefore:             p.Nbf.T,
		Expiry:                p.Exp.T,
		SessionStatus:         p.Sts.V,
		FactorVerificationAge: p.Fva.V,
		Actor:                 p.Act,
		Version:               p.Version(),
		Features:              scoped(p.Fea),
		Plans:                 scoped(p.Pla),
	}
	if p.Iat.Set {
		s.IssuedAt = p.Iat.T
	}
	if s.Version == 2 {
		if o := p.O; o != nil && o.ID != "" {
			s.OrgID, s.OrgSlug = o.ID, o.Slug
			if o.Role != "" {
				s.OrgRole = NormalizeOrgName(o.Role)
			}
			if o.Per.Set && o.Fpm.Set && p.Fea.Set {
				s.OrgPermissions = DecodeOrgPermissions(p.Fea.V, o.Per.V, o.Fpm.V)
			} else {
				s.OrgPermissions = []string{}
			}
		}
		return s
	}
	if p.OrgID.V != "" {
		s.OrgID, s.OrgSlug, s.OrgRole = p.OrgID.V, p.OrgSlug.V, p.OrgRole.V
		s.OrgPermissions = p.OrgPermissions
		if s.OrgPermissions == nil {
			s.OrgPermissions = []string{}
		}
	}
	return s
}

// NormalizeOrgName strips any number of leading "org:" and adds one (behaviour.md
// §5.2, 5.3). It returns "" when nothing remains.
func NormalizeOrgName(s string) string {
	for strings.HasPrefix(s, "org:") {
		s = s[len("org:"):]
	}
	if s == "" {
		return ""
	}
	return "org:" + s
}
