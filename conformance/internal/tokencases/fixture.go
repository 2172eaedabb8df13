package tokencases

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Fixed inputs of the suites.
const (
	KID         = "ins_conformance_1"
	Party       = "https://app.conformance.example"
	OtherParty  = "https://evil.conformance.example"
	DefaultUser = "user_conformance"
	CustomSlug  = "acme"
	// Audience is the audience the Verify/Audience* rows configure.
	Audience = "https://api.conformance.example"

	// The grants of SignedInEverything, and the scope of the machine tokens.
	GrantPermission = "org:invoices:create"
	GrantRole       = "admin"
	GrantFeature    = "analytics"
	GrantPlan       = "pro"
	GrantScope      = "invoices:read"
)

// Fixture is what the token tables mint with: the suite's issuer (keys,
// JWKS, fake Backend API), a foreign key and the fixed clock they share.
type Fixture struct {
	Issuer  *clerktest.Issuer
	Foreign *rsa.PrivateKey
	Clock   *clerktest.Clock
}

// Now is the fixture's fixed instant.
func (f *Fixture) Now() time.Time { return f.Clock.Now() }

// Mint mints a session token with the fixture's issuer.
func (f *Fixture) Mint(sess clerktest.Session, opts ...clerktest.MintOption) string {
	return f.Issuer.Mint(sess, opts...)
}

// User mints a plain valid session token for user id.
func (f *Fixture) User(id string) string { return f.Mint(clerktest.Session{UserID: id}) }

// WithClaims mints a valid session token for DefaultUser with claims
// overridden (nil removes a claim).
func (f *Fixture) WithClaims(claims map[string]any, opts ...clerktest.MintOption) string {
	return f.Mint(clerktest.Session{UserID: DefaultUser, Claims: claims}, opts...)
}

// Env says how an Authorizer differs from a suite's default one.
type Env struct {
	// Base replaces the default key and issuer options when non-nil.
	Base []core.Option
	// Opts are appended to the options.
	Opts []core.Option
}

// Subject returns the string sub claim of a JWT, decoded without
// verification ("" when absent), to know which user a success must show.
func Subject(tok string) string { return UnverifiedClaim(tok, "sub") }

// UnverifiedClaim returns the string claim name of a JWT's payload, decoded
// without verification ("" when absent or not a string).
func UnverifiedClaim(tok, name string) string {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	v, _ := m[name].(string)
	return v
}

// Shared keys: RSA key generation costs tens of milliseconds, so the keys are
// generated once per test binary. Every suite run still starts its own
// issuers.
var (
	keysOnce           sync.Once
	issuerKey, foreign *rsa.PrivateKey
	keysErr            error
)

// SharedKeys returns the issuer key and a foreign key, generated once per
// test binary.
func SharedKeys() (issuer, other *rsa.PrivateKey, err error) {
	keysOnce.Do(func() {
		if issuerKey, keysErr = clerktest.NewKey(); keysErr != nil {
			return
		}
		foreign, keysErr = clerktest.NewKey()
	})
	return issuerKey, foreign, keysErr
}

// SignedInEverything is a v2 session allowed by every standard session guard
// (GrantPermission, GrantRole, GrantFeature, GrantPlan, org slug CustomSlug).
func SignedInEverything() clerktest.Session {
	return clerktest.Session{UserID: DefaultUser, OrgID: "org_conformance", OrgSlug: CustomSlug, OrgRole: GrantRole,
		OrgPermissions: []string{GrantPermission}, OrgFeatures: []string{GrantFeature}, UserPlans: []string{GrantPlan}}
}

// MachineTokens are one token of every machine kind, named M2MJWT,
// M2MOpaque, OAuthJWT, OAuthOpaque and APIKey, each carrying GrantScope. The
// opaque ones are known to the issuer's fake Backend API.
func (f *Fixture) MachineTokens() map[string]string {
	opaque := func(tt core.TokenType, subject string) string {
		return f.Issuer.IssueOpaque(clerktest.Opaque{Type: tt, Subject: subject, Scopes: []string{GrantScope}})
	}
	return map[string]string{
		"M2MJWT":      f.Issuer.MintM2M(clerktest.Machine{Subject: "mch_conformance", Scopes: []string{GrantScope}}),
		"M2MOpaque":   opaque(core.M2MToken, "mch_conformance"),
		"OAuthJWT":    f.Issuer.MintOAuth(clerktest.Machine{Subject: DefaultUser, Scopes: []string{GrantScope}}),
		"OAuthOpaque": opaque(core.OAuthToken, DefaultUser),
		"APIKey":      opaque(core.APIKey, "org_conformance"),
	}
}
