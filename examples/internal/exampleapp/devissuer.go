package exampleapp

import (
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// DevTokenTTL is how long the printed dev tokens stay valid: long enough to
// try the API by hand (real Clerk session tokens live 60 seconds and are
// refreshed by the frontend SDK).
const DevTokenTTL = 8 * time.Hour

// DevIssuerURL is the `iss` of dev tokens; the dev Authorizer accepts only it.
const DevIssuerURL = "https://dev-issuer.clerkguard.localhost"

// DevFrontendOrigin is the `azp` of dev tokens and the one authorized party
// of the dev Authorizer: the origin a local frontend dev server would have.
const DevFrontendOrigin = "http://localhost:3000"

// Identity is a dev user with its token.
type Identity struct {
	// Var is the shell variable the printed commands use ("ADMIN_TOKEN").
	Var string
	// Who describes the identity in one line.
	Who string
	// Token is the session token, valid for DevTokenTTL.
	Token string
}

// DevIssuer is the local dev mode's Clerk stand-in: a fresh RSA key whose
// JWKS is served on 127.0.0.1 (through core/clerktest), and two signed-in
// identities.
type DevIssuer struct {
	iss     *clerktest.Issuer
	Admin   Identity
	Member  Identity
	Expires time.Time
}

// NewDevIssuer starts a dev issuer with a new key and mints the tokens of an
// org admin (org "acme" on plan "pro" with feature "reports", allowed to
// create invoices) and of a plain member (org "globex" on plan "free", who
// may only read invoices).
func NewDevIssuer() (*DevIssuer, error) {
	iss, err := clerktest.NewIssuer(clerktest.WithIssuerURL(DevIssuerURL))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	d := &DevIssuer{iss: iss, Expires: now.Add(DevTokenTTL).Truncate(time.Second)}
	d.Admin = Identity{
		Var: "ADMIN_TOKEN",
		Who: "user_dev_admin, org:admin of acme (plan pro, feature reports)",
		Token: iss.Mint(clerktest.Session{
			AuthorizedParty: DevFrontendOrigin,
			UserID:          "user_dev_admin", SessionID: "sess_dev_admin",
			OrgID: "org_dev_acme", OrgSlug: "acme", OrgRole: "admin",
			OrgPermissions: []string{"org:invoices:create", "org:invoices:read", "org:reports:read"},
			OrgFeatures:    []string{FeatureReports},
			OrgPlans:       []string{PlanPro},
			IssuedAt:       now, TTL: DevTokenTTL,
		}),
	}
	d.Member = Identity{
		Var: "MEMBER_TOKEN",
		Who: "user_dev_member, org:member of globex (plan free)",
		Token: iss.Mint(clerktest.Session{
			AuthorizedParty: DevFrontendOrigin,
			UserID:          "user_dev_member", SessionID: "sess_dev_member",
			OrgID: "org_dev_globex", OrgSlug: "globex", OrgRole: "member",
			OrgPermissions: []string{"org:invoices:read"},
			OrgPlans:       []string{"free"},
			IssuedAt:       now, TTL: DevTokenTTL,
		}),
	}
	return d, nil
}

// AuthorizerOptions make an Authorizer trust this dev issuer only: its JWKS
// on loopback, its issuer URL and DevFrontendOrigin as the authorized party.
func (d *DevIssuer) AuthorizerOptions() []core.Option {
	return []core.Option{
		core.WithJWKSURL(d.iss.JWKSURL()),
		core.WithIssuer(DevIssuerURL),
		core.WithAuthorizedParties(DevFrontendOrigin),
	}
}

// JWKSURL is where the dev issuer serves its public key.
func (d *DevIssuer) JWKSURL() string { return d.iss.JWKSURL() }

// Mint signs a custom session with the dev key, for tests.
func (d *DevIssuer) Mint(s clerktest.Session) string { return d.iss.Mint(s) }

// Close stops serving the JWKS.
func (d *DevIssuer) Close() { d.iss.Close() }
