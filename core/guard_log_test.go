package core_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
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
			res := a.AuthenticateResult(t.Context(), req)
			if tc.byHand {
				res = &core.Result{Claims: res.Claims, Err: res.Err}
			}
			before := e.logs.String()
			err := core.RequireRole("admin").EvaluateRequest(t.Context(), res, req)
			if got := core.ReasonOf(err); got != tc.reason {
				t.Fatalf("RequireRole(admin) decided %q, want %q", got, tc.reason)
			}
			line := strings.TrimPrefix(e.logs.String(), before)
			if !tc.wantLog {
				if strings.Contains(line, "forbidden") {
					t.Fatalf("only a 403 decision on a Result from AuthenticateResult is logged; got %q", line)
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

// VerifyToken has no request: its rejections are logged without a source
// (not "source=header"), and the observer sees Source "".
func TestVerifyTokenLogsNoSource(t *testing.T) {
	e := newRuleEnv(t)
	var seen []core.Outcome
	a := e.authorizer(t, core.WithObserver(func(o core.Outcome) { seen = append(seen, o) }))
	before := e.logs.String()
	tok := e.iss.Mint(clerktest.Session{}, clerktest.TamperedSignature())
	if _, err := a.VerifyToken(context.Background(), tok); core.ReasonOf(err) != core.ReasonTokenInvalidSignature {
		t.Fatalf("a tampered token must fail with token-invalid-signature: %v", err)
	}
	line := strings.TrimPrefix(e.logs.String(), before)
	if !strings.Contains(line, "reason=token-invalid-signature") || strings.Contains(line, "source=") {
		t.Fatalf("VerifyToken's rejection must be logged with its reason and without a source (the token came from no request); got %q", line)
	}
	if len(seen) != 1 || seen[0].Source != "" {
		t.Fatalf("VerifyToken must report Outcome.Source \"\"; got %+v", seen)
	}
}
