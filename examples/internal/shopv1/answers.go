package shopv1

import (
	"fmt"
	"sync/atomic"

	"github.com/clerkguard/clerkguard/core"
)

// The procedures of the example service and the rules both examples apply
// (the same authorization as the HTTP examples' routes).
const (
	MeProcedure            = "/shop.v1.Invoices/Me"
	CreateInvoiceProcedure = "/shop.v1.Invoices/CreateInvoice"
	WatchInvoicesProcedure = "/shop.v1.Invoices/WatchInvoices"
	// HealthService is the standard gRPC health service, left public.
	HealthService = "/grpc.health.v1.Health/"
	// ReflectionPrefix covers both gRPC reflection services, left public so
	// that grpcurl can list the API.
	ReflectionPrefix = "/grpc.reflection."

	PermissionCreateInvoices = "org:invoices:create"
	RoleAdmin                = "admin"
)

// Me answers Me from verified claims.
func Me(c *core.Claims) *MeResponse {
	return &MeResponse{TokenType: string(c.TokenType), UserId: c.Subject, OrgId: c.OrgID, OrgRole: c.OrgRole,
		Permissions: c.OrgPermissions}
}

var invoiceSeq atomic.Int64

// NewInvoice answers CreateInvoice: an invoice of the caller's organization.
func NewInvoice(c *core.Claims, customer string) *Invoice {
	return &Invoice{Id: fmt.Sprintf("inv_%d", invoiceSeq.Add(1)), OrgId: c.OrgID, CreatedBy: c.Subject, Customer: customer}
}

// Invoices answers WatchInvoices: a fixed list of the caller's
// organization's invoices, sent one message each.
func Invoices(c *core.Claims) []*Invoice {
	return []*Invoice{
		{Id: "inv_demo_1", OrgId: c.OrgID, CreatedBy: c.Subject, Customer: "Acme"},
		{Id: "inv_demo_2", OrgId: c.OrgID, CreatedBy: c.Subject, Customer: "Globex"},
	}
}
