package exampleapp

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Call is one request of the dev-mode tour: who calls which route and what
// the example answers.
type Call struct {
	// What describes the call for a human.
	What string
	// Method and Path are the request line.
	Method, Path string
	// Var is the shell variable holding the caller's token; empty for a
	// signed-out call.
	Var string
	// Cookie sends the token as the __session cookie instead of a Bearer
	// header (behaviour.md §1: the cookie is the fallback source).
	Cookie bool
	// Status is the expected response status.
	Status int
}

// Tour is the list of calls PrintDevCommands prints: every route, as the
// admin, the member and signed out.
func Tour() []Call {
	return []Call{
		{What: "public", Method: http.MethodGet, Path: PathHealth, Status: http.StatusOK},
		{What: "signed out", Method: http.MethodGet, Path: PathMe, Status: http.StatusUnauthorized},
		{What: "admin, Bearer header", Method: http.MethodGet, Path: PathMe, Var: "ADMIN_TOKEN", Status: http.StatusOK},
		{What: "member, __session cookie", Method: http.MethodGet, Path: PathMe, Var: "MEMBER_TOKEN", Cookie: true, Status: http.StatusOK},
		{What: "admin has " + PermissionCreateInvoices, Method: http.MethodPost, Path: PathInvoices, Var: "ADMIN_TOKEN", Status: http.StatusCreated},
		{What: "member lacks " + PermissionCreateInvoices, Method: http.MethodPost, Path: PathInvoices, Var: "MEMBER_TOKEN", Status: http.StatusForbidden},
		{What: "admin has role " + RoleAdmin, Method: http.MethodGet, Path: PathAdmin, Var: "ADMIN_TOKEN", Status: http.StatusOK},
		{What: "member is not " + RoleAdmin, Method: http.MethodGet, Path: PathAdmin, Var: "MEMBER_TOKEN", Status: http.StatusForbidden},
		{What: "admin's org has plan " + PlanPro + " and feature " + FeatureReports, Method: http.MethodGet, Path: PathBillingReports, Var: "ADMIN_TOKEN", Status: http.StatusOK},
		{What: "member's org is on plan free", Method: http.MethodGet, Path: PathBillingReports, Var: "MEMBER_TOKEN", Status: http.StatusForbidden},
	}
}

// Curl renders c as a curl command line against base, for bash and zsh.
func (c Call) Curl(base string) string {
	var b strings.Builder
	b.WriteString("curl -i")
	if c.Method != http.MethodGet {
		b.WriteString(" -X " + c.Method)
	}
	switch {
	case c.Var == "":
	case c.Cookie:
		// behaviour.md §10.1: a browser holding a session also sends
		// __client_uat (any time at or before the token's iat).
		fmt.Fprintf(&b, ` --cookie "__session=$%s; __client_uat=1"`, c.Var)
	default:
		fmt.Fprintf(&b, ` -H "Authorization: Bearer $%s"`, c.Var)
	}
	b.WriteString(" " + base + c.Path)
	return b.String()
}

// DevCommandsEnd is the last line PrintDevCommands writes.
const DevCommandsEnd = "==== end of dev mode commands ===="

// PrintDevCommands writes the dev-mode banner: what dev mode is, the export
// lines holding the dev tokens and the Tour as curl commands against base.
// Tokens are printed here, and only here, because they are throwaway tokens
// of the dev issuer; the server never logs a token.
func PrintDevCommands(w io.Writer, base string, d *DevIssuer) error {
	return printDevCommands(w, base, d, nil)
}

// printDevCommands is PrintDevCommands with the tour lines given by tour
// (nil: the HTTP Tour).
func printDevCommands(w io.Writer, base string, d *DevIssuer, tour func(base string) []string) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format+"\n", a...) }
	p("")
	p("==== DEV MODE: local dev issuer, NOT for production ====")
	p("No CLERK_* variable is set, so this server trusts tokens signed by an")
	p("in-process dev issuer (a throwaway key, JWKS at %s).", d.JWKSURL())
	p("Set CLERK_SECRET_KEY (or CLERK_JWT_KEY, CLERK_JWKS_URL) to use your Clerk instance.")
	p("")
	p("Dev tokens, valid until %s:", d.Expires.UTC().Format("2006-01-02 15:04:05 MST"))
	for _, id := range []Identity{d.Admin, d.Member} {
		p("  %-12s %s", id.Var, id.Who)
	}
	p("")
	p("Paste into a shell:")
	p("")
	for _, id := range []Identity{d.Admin, d.Member} {
		p("export %s='%s'", id.Var, id.Token)
	}
	p("")
	p("Then try:")
	if tour != nil {
		for _, l := range tour(base) {
			p("  %s", l)
		}
	} else {
		for _, c := range Tour() {
			p("  %s, expect %d:", c.What, c.Status)
			p("    %s", c.Curl(base))
		}
	}
	p(DevCommandsEnd)
	return bw.Flush()
}
