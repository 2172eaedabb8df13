package exampleapp

import (
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Identity is a dev user with its token.
type Identity struct {
	// Var is the shell variable the printed commands use ("ADMIN_TOKEN").
	Var string
	// Who describes the identity in one line.
	Who string
	// Token is the session token, valid for clerktest.DevTokenTTL.
	Token string
}

// DevIssuer is the examples' dev mode: clerktest's dev issuer (a fresh RSA
// key, its JWKS on 127.0.0.1, long-lived tokens; every clerktest.Dev method,
// AuthorizerOptions and JWKSURL among them) and the two identities the Tour
// signs in as.
type DevIssuer struct {
	*clerktest.Dev
	Admin   Identity
	Member  Identity
	Expires time.Time
}

// NewDevIssuer starts a dev issuer and mints the tokens of an org admin (org
// "acme" on plan "pro" with feature "reports", allowed to create invoices)
// and of a plain member (org "globex" on plan "free", who may only read
// invoices).
func NewDevIssuer() (*DevIssuer, error) {
	dev, err := clerktest.StartDev()
	if err != nil {
		return nil, err
	}
	d := &DevIssuer{Dev: dev, Expires: dev.Now().Add(clerktest.DevTokenTTL).Truncate(time.Second)}
	d.Admin = Identity{
		Var: "ADMIN_TOKEN",
		Who: "user_dev_admin, org:admin of acme (plan pro, feature reports)",
		Token: dev.Token(clerktest.Session{
			UserID: "user_dev_admin", SessionID: "sess_dev_admin",
			OrgID: "org_dev_acme", OrgSlug: "acme", OrgRole: "admin",
			OrgPermissions: []string{"org:invoices:create", "org:invoices:read", "org:reports:read"},
			OrgFeatures:    []string{FeatureReports},
			OrgPlans:       []string{PlanPro},
		}),
	}
	d.Member = Identity{
		Var: "MEMBER_TOKEN",
		Who: "user_dev_member, org:member of globex (plan free)",
		Token: dev.Token(clerktest.Session{
			UserID: "user_dev_member", SessionID: "sess_dev_member",
			OrgID: "org_dev_globex", OrgSlug: "globex", OrgRole: "member",
			OrgPermissions: []string{"org:invoices:read"},
			OrgPlans:       []string{"free"},
		}),
	}
	return d, nil
}
