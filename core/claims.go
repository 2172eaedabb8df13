package core

import (
	"encoding/json"
	"time"
	"unsafe"
)

// Claims is the verified identity carried by a request (behaviour.md §4).
//
// A *Claims returned by the Authorizer may be shared by every request that
// presents the same token (it is cached): treat it, and every slice in it, as
// read-only.
type Claims struct {
	// TokenType is the kind of token that produced these claims.
	TokenType TokenType
	// Subject is the `sub` claim: the user ID (user_…) for session tokens.
	Subject string
	// SessionID is the `sid` claim.
	SessionID string
	// AuthorizedParty is the `azp` claim: the origin the token was issued for;
	// empty when absent or not a JSON string.
	AuthorizedParty string
	// Issuer is the `iss` claim: the Frontend API URL of the Clerk instance;
	// empty when absent or not a JSON string.
	Issuer string
	// IssuedAt, NotBefore and Expiry are the `iat`, `nbf` and `exp` claims;
	// zero when absent.
	IssuedAt  time.Time
	NotBefore time.Time
	Expiry    time.Time
	// SessionStatus is the `sts` claim ("active", "pending", …); empty when
	// absent.
	SessionStatus string
	// FactorVerificationAge is the `fva` claim: minutes since the first and
	// second factor were last verified (-1 when never). Nil when absent or
	// malformed: anything but exactly two integers, each at least -1
	// (behaviour.md §4.1), so that it satisfies no reverification check.
	FactorVerificationAge *[2]int
	// Actor is the `act` claim, set for impersonated sessions (which are fully
	// signed in). Nil when absent.
	Actor *Actor
	// Version is the claims version: 2 when `v` is the number 2, else 1.
	Version int

	// OrgID, OrgSlug and OrgRole describe the active organization; empty when
	// none is active. OrgRole carries the "org:" prefix for v2 tokens; v1
	// tokens from old instances may carry a role without it (behaviour.md §4.3).
	OrgID   string
	OrgSlug string
	OrgRole string
	// OrgPermissions are the permissions of the user in the active
	// organization: decoded from `fea`/`o.per`/`o.fpm` for v2 tokens (behaviour.md
	// §4.5), taken from `org_permissions` for v1 tokens.
	OrgPermissions []string
	// OrgFeatures and UserFeatures are the feature names decoded from `fea`
	// (behaviour.md §4.4), without their scope.
	OrgFeatures  []string
	UserFeatures []string
	// OrgPlans and UserPlans are the plan names decoded from `pla`.
	OrgPlans  []string
	UserPlans []string

	// TokenID is the ID of an opaque machine token or API key (mt_…, oat_…,
	// ak_…) as the Backend API reports it, or the `jti` of a JWT.
	TokenID string
	// Scopes are the scopes granted to a machine token (M2M, OAuth, API key).
	Scopes []string
	// Name is the name of a machine token or API key, when known.
	Name string
	// ClientID is the OAuth client ID of an OAuth access token.
	ClientID string

	raw     json.RawMessage
	memoPtr unsafe.Pointer // *claimsMemo: typed custom claims (CustomClaims)
}

// Actor is the `act` claim of an impersonated session.
type Actor struct {
	// Subject is the user ID of the impersonator.
	Subject string `json:"sub"`
	// SessionID is the impersonator's session, when present.
	SessionID string `json:"sid,omitempty"`
	// Issuer is the issuer of the actor claim, when present.
	Issuer string `json:"iss,omitempty"`
	// Type is the actor type (for example "impersonation"), when present.
	Type string `json:"type,omitempty"`
}

// UserID returns the user ID of a session token (the subject), or "" when the
// subject is not a user (for example a machine) or c is nil.
func (c *Claims) UserID() string {
	if c == nil || c.TokenType != SessionToken {
		return ""
	}
	return c.Subject
}

// Pending reports whether the session is pending (behaviour.md §3.10). Pending
// sessions reach handlers only when the Authorizer accepts them.
func (c *Claims) Pending() bool { return c != nil && c.SessionStatus == "pending" }

// Impersonated reports whether the session is an impersonation (it carries
// an `act` claim).
func (c *Claims) Impersonated() bool { return c != nil && c.Actor != nil }

// Raw returns the token payload exactly as signed, for custom claims added by
// JWT templates (behaviour.md §3.11); for opaque machine tokens, the Backend API's
// verification answer (its "claims" member holds the token's custom claims).
// Do not modify the returned bytes.
func (c *Claims) Raw() json.RawMessage {
	if c == nil {
		return nil
	}
	return c.raw
}

// Decode unmarshals the raw payload into v, typically a struct describing
// custom claims from a JWT template.
func (c *Claims) Decode(v any) error {
	if c == nil || len(c.raw) == 0 {
		return ErrNoRawClaims
	}
	return json.Unmarshal(c.raw, v)
}
