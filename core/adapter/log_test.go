package adapter_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// behaviour.md §7.3: a guard's 403 decision is logged through the logger of
// the Authorizer that authenticated the request, with the reason, guard,
// path and user ID, never the token; allowed requests, signed-out ones and
// Results built by hand log nothing.
func TestGuardLogsForbiddenThroughAuthorizerLogger(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t, core.WithIssuer(e.iss.IssuerURL()), core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty))
	member := e.iss.Mint(clerktest.Session{UserID: "user_member", OrgID: "org_1", OrgRole: "member"})
	admin := e.iss.Mint(clerktest.Session{UserID: "user_admin", OrgID: "org_1", OrgRole: "admin"})
	cases := []struct {
		name    string
		token   string
		byHand  bool
		reason  core.Reason
		wantLog bool
	}{
		{"ForbiddenLogged", member, false, core.ReasonMissingRole, true},
		{"AllowedSilent", admin, false, "", false},
		{"SignedOutNotAGuardLine", "", false, core.ReasonSessionTokenMissing, false},
		{"HandBuiltResultSilent", member, true, core.ReasonMissingRole, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/admin/settings", nil)
			if tc.token != "" {
				r.Header.Set("Authorization", "Bearer "+tc.token)
			}
			req := core.HTTPRequest(r)
			st := adapter.NewState(t.Context(), a, req, nil)
			if tc.byHand {
				st, _ = adapter.StateFromContext(core.ContextWithClaims(t.Context(), st.Result().Claims))
			}
			before := e.logs.String()
			err := adapter.Evaluate(st, core.RequireRole("admin"), st, req)
			if got := core.ReasonOf(err); got != tc.reason {
				t.Fatalf("RequireRole(admin) decided %q, want %q", got, tc.reason)
			}
			line := strings.TrimPrefix(e.logs.String(), before)
			if !tc.wantLog {
				if strings.Contains(line, "forbidden") {
					t.Fatalf("only a 403 decision on a State from NewState is logged; got %q", line)
				}
				return
			}
			for _, want := range []string{`msg="clerkguard: request forbidden"`, "reason=missing-role", `guard=RequireRole(admin)`,
				"path=/admin/settings", "user_id=user_member"} {
				if !strings.Contains(line, want) {
					t.Fatalf("a 403 decision must be logged with the reason, guard, path and user ID (behaviour.md §7.3); %q missing from %q", want, line)
				}
			}
			if strings.Contains(line, tc.token) {
				t.Fatal("the token must never appear in a log line (behaviour.md §7.3)")
			}
		})
	}
}
