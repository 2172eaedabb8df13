package exampleapp

import (
	"encoding/json"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// The example API: the same routes in every framework.
const (
	// PathHealth is public.
	PathHealth = "/health"
	// PathMe needs a signed-in session and returns MeBody.
	PathMe = "/me"
	// PathInvoices (POST) needs PermissionCreateInvoices.
	PathInvoices = "/invoices"
	// PathAdmin needs RoleAdmin.
	PathAdmin = "/admin"
	// PathBillingReports needs PlanPro and FeatureReports.
	PathBillingReports = "/billing/reports"
)

// The authorization the guarded routes ask for.
const (
	PermissionCreateInvoices = "org:invoices:create"
	RoleAdmin                = "admin"
	FeatureReports           = "reports"
	PlanPro                  = "pro"
)

// HealthBody is the body of GET /health.
type HealthBody struct {
	Status string `json:"status"`
}

// Health returns the body of GET /health.
func Health() HealthBody { return HealthBody{Status: "ok"} }

// MeBody is the body of GET /me: who is calling, as the token says.
type MeBody struct {
	TokenType   string    `json:"token_type"`
	UserID      string    `json:"user_id"`
	SessionID   string    `json:"session_id"`
	Org         *OrgBody  `json:"org"`
	Features    []string  `json:"features"`
	Plans       []string  `json:"plans"`
	ExpiresAt   time.Time `json:"expires_at"`
	Impersonate bool      `json:"impersonated"`
}

// OrgBody is the active organization of MeBody.
type OrgBody struct {
	ID          string   `json:"id"`
	Slug        string   `json:"slug"`
	Role        string   `json:"role"`
	Permissions []string `json:"permissions"`
}

// Me builds the body of GET /me from verified claims.
func Me(c *core.Claims) MeBody {
	b := MeBody{
		TokenType:   string(c.TokenType),
		UserID:      c.Subject,
		SessionID:   c.SessionID,
		Features:    scoped(c.OrgFeatures, "org:", c.UserFeatures, "user:"),
		Plans:       scoped(c.OrgPlans, "org:", c.UserPlans, "user:"),
		ExpiresAt:   c.Expiry.UTC(),
		Impersonate: c.Actor != nil,
	}
	if c.OrgID != "" {
		b.Org = &OrgBody{ID: c.OrgID, Slug: c.OrgSlug, Role: c.OrgRole, Permissions: nonNil(c.OrgPermissions)}
	}
	return b
}

// InvoiceBody is the body of POST /invoices (201).
type InvoiceBody struct {
	Status    string `json:"status"`
	OrgID     string `json:"org_id"`
	CreatedBy string `json:"created_by"`
}

// Invoice builds the body of POST /invoices for the caller.
func Invoice(c *core.Claims) InvoiceBody {
	return InvoiceBody{Status: "draft", OrgID: c.OrgID, CreatedBy: c.Subject}
}

// AdminBody is the body of GET /admin.
type AdminBody struct {
	Message string `json:"message"`
	OrgID   string `json:"org_id"`
}

// Admin builds the body of GET /admin for the caller.
func Admin(c *core.Claims) AdminBody {
	return AdminBody{Message: "welcome, admin", OrgID: c.OrgID}
}

// ReportsBody is the body of GET /billing/reports.
type ReportsBody struct {
	OrgID   string   `json:"org_id"`
	Reports []string `json:"reports"`
}

// Reports builds the body of GET /billing/reports for the caller.
func Reports(c *core.Claims) ReportsBody {
	return ReportsBody{OrgID: c.OrgID, Reports: []string{"revenue-monthly", "churn-quarterly"}}
}

func scoped(org []string, orgPrefix string, user []string, userPrefix string) []string {
	out := make([]string, 0, len(org)+len(user))
	for _, f := range org {
		out = append(out, orgPrefix+f)
	}
	for _, f := range user {
		out = append(out, userPrefix+f)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ContentTypeJSON is the Content-Type of every example body.
const ContentTypeJSON = "application/json; charset=utf-8"

// JSON encodes a body; all four examples write these exact bytes.
func JSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// The bodies are plain structs of strings, slices and times.
		panic("exampleapp: " + err.Error())
	}
	return b
}
