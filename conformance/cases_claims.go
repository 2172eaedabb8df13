package conformance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// grantKind is a guard constructor of core taking one argument, with the
// 403 reason of its guards.
type grantKind struct {
	guard  func(string) core.Guard
	reason core.Reason
}

var (
	grantPermission = grantKind{core.RequirePermission, core.ReasonMissingPermission}
	grantRole       = grantKind{core.RequireRole, core.ReasonMissingRole}
	grantFeature    = grantKind{core.RequireFeature, core.ReasonMissingFeature}
	grantPlan       = grantKind{core.RequirePlan, core.ReasonMissingPlan}
)

// grantCase checks one token against guards of one kind: every arg in allow
// must answer 200 (signed in), every arg in deny 403 with the guard's reason.
func grantCase(name, rule string, kind grantKind, token func(*suite) string, allow, deny []string) tcase {
	return tcase{name, func(t *testing.T, s *suite) {
		var routes []Route
		args := append(append([]string{}, allow...), deny...)
		for i, a := range args {
			routes = append(routes, Route{Path: fmt.Sprintf("/grant/%d", i), Guard: guard(kind.guard(a))})
		}
		routes = append(routes, Route{Path: pathAuth, Guard: guard(core.RequireAuth())})
		e := s.newEnv(t, envConfig{routes: routes})
		tok := token(s)
		user := s.subjectOf(tok)
		e.expectSignedIn(e.do(pathAuth, bearer(tok)), rule+" (the token itself is valid)", user)
		for i, a := range args {
			res := e.do(fmt.Sprintf("/grant/%d", i), bearer(tok))
			if i < len(allow) {
				e.expectSignedIn(res, fmt.Sprintf("%s: %q must be granted", rule, a), user)
			} else {
				e.expectProblem(res, fmt.Sprintf("%s: %q must be refused", rule, a), kind.reason)
			}
		}
	}}
}

// v2 mints a v2 session token for defaultUser with the raw fea, o and pla
// claims given (absent when empty / nil).
func v2(fea string, o map[string]any, pla string) func(*suite) string {
	return func(s *suite) string {
		c := map[string]any{"v": 2}
		if fea != "" {
			c["fea"] = fea
		}
		if o != nil {
			c["o"] = o
		}
		if pla != "" {
			c["pla"] = pla
		}
		return s.withClaims(c)
	}
}

func org(per, fpm string) map[string]any {
	o := map[string]any{"id": "org_conformance", "slg": customSlug, "rol": "member"}
	if per != "" {
		o["per"] = per
	}
	if fpm != "" {
		o["fpm"] = fpm
	}
	return o
}

// claimsCases cover SPEC 4 and 5 end to end through the guards.
func claimsCases() []tcase {
	big := make([]string, 54)
	for i := range big {
		big[i] = fmt.Sprintf("p%d", i)
	}
	session := func(sess clerktest.Session) func(*suite) string {
		return func(s *suite) string {
			if sess.UserID == "" {
				sess.UserID = defaultUser
			}
			return s.mint(sess)
		}
	}
	perms := []string{"org:invoices:create", "org:invoices:read"}
	permAllow := []string{"org:invoices:create", "invoices:create", "org:org:invoices:create", "org:invoices:read"}
	permDeny := []string{"org:invoices", "org:Invoices:create", "org:invoices:delete", "invoices", "org:invoices:create "}
	return []tcase{
		grantCase("PermissionV2", "SPEC 4.2/5.2: v2 permissions, normalised, exact and case-sensitive", grantPermission,
			session(clerktest.Session{OrgID: "org_1", OrgRole: "admin", OrgPermissions: perms}), permAllow, permDeny),
		grantCase("PermissionV1", "SPEC 4.3/5.2: v1 org_permissions, normalised, exact and case-sensitive", grantPermission,
			session(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "org:admin", OrgPermissions: perms}), permAllow, permDeny),
		grantCase("PermissionNeedsActiveOrgV1", "SPEC 5.2: permissions need an active organization", grantPermission,
			func(s *suite) string {
				return s.mint(clerktest.Session{UserID: defaultUser, Version: 1, Claims: map[string]any{"org_permissions": perms}})
			}, nil, []string{"org:invoices:create"}),
		grantCase("PermissionNeedsActiveOrgV2", "SPEC 5.2: permissions need an active organization (v2 o without id)", grantPermission,
			v2("o:invoices", map[string]any{"slg": customSlug, "rol": "admin", "per": "create", "fpm": "1"}, ""),
			nil, []string{"org:invoices:create", "invoices:create"}),
		grantCase("RoleNeedsActiveOrgV2", "SPEC 5.3: roles need an active organization (v2 o without id)", grantRole,
			v2("", map[string]any{"slg": customSlug, "rol": "admin"}, ""), nil, []string{"admin", "org:admin"}),
		grantCase("WorkedExampleDashboardTeams", "SPEC 4.5 worked example fea=o:dashboard,o:teams per=manage,read fpm=3,2", grantPermission,
			v2("o:dashboard,o:teams", org("manage,read", "3,2"), ""),
			[]string{"org:dashboard:manage", "org:dashboard:read", "org:teams:read"}, []string{"org:teams:manage"}),
		grantCase("WorkedExampleRepositoriesProjects", "SPEC 4.5 worked example fpm=7,21", grantPermission,
			v2("o:repositories,o:projects", org("read,create,update,delete,revoke", "7,21"), ""),
			[]string{"org:repositories:read", "org:repositories:create", "org:repositories:update",
				"org:projects:read", "org:projects:update", "org:projects:revoke"},
			[]string{"org:repositories:delete", "org:repositories:revoke", "org:projects:create", "org:projects:delete"}),
		grantCase("FpmIndexedByFeaPosition", "SPEC 4.5: fpm has one mask per fea element in the same position (user features included)", grantPermission,
			v2("u:chat,o:teams", org("read,write", "0,1"), ""),
			[]string{"org:teams:read"}, []string{"org:teams:write", "org:chat:read"}),
		grantCase("InvalidMaskOnlyThatFeature", "SPEC 4.5: an invalid mask grants nothing for that feature only", grantPermission,
			v2("o:a,o:b,o:c,o:d,o:e", org("read", "-1,1x,1.5,,1"), ""),
			[]string{"org:e:read"}, []string{"org:a:read", "org:b:read", "org:c:read", "org:d:read"}),
		grantCase("HugeMaskExact", "SPEC 4.5: 9007199254740993 sets bits 0 and 53, decoded exactly", grantPermission,
			v2("o:big", org(strings.Join(big, ","), "9007199254740993"), ""),
			[]string{"org:big:p0", "org:big:p53"}, []string{"org:big:p1", "org:big:p52"}),
		grantCase("BitsBeyondPerIgnored", "SPEC 4.5: bits beyond per are ignored", grantPermission,
			v2("o:a", org("read", "255"), ""), []string{"org:a:read"}, []string{"org:a:write"}),
		grantCase("FeatureWithoutMask", "SPEC 4.5: features without a mask get nothing; extra masks are ignored", grantPermission,
			v2("o:a,o:b", org("read", "1"), ""), []string{"org:a:read"}, []string{"org:b:read"}),
		grantCase("UserFeatureNoPermissions", "SPEC 4.5: only org-scoped features yield permissions", grantPermission,
			v2("u:a,ou:b,uo:c", org("read", "1,1,1"), ""), []string{"org:b:read", "org:c:read"}, []string{"org:a:read"}),
		grantCase("MalformedFea", "SPEC 4.4: an element without a colon: no features and no permissions, never a crash", grantPermission,
			v2("o:a,broken", org("read", "1,1"), ""), nil, []string{"org:a:read", "org:broken:read"}),
		grantCase("OrgWithoutPer", "SPEC 4.5: o without per or fpm is an empty permission list", grantPermission,
			v2("o:a", org("", ""), ""), nil, []string{"org:a:read"}),
		grantCase("RoleV2", "SPEC 4.2/5.3: v2 rol without prefix", grantRole,
			v2("", map[string]any{"id": "org_1", "slg": "s", "rol": "admin"}, ""),
			[]string{"admin", "org:admin", "org:org:admin"}, []string{"member", "Admin", "org:member"}),
		grantCase("RoleV2AlreadyPrefixed", "SPEC 4.2: a rol already prefixed must not become org:org:", grantRole,
			v2("", map[string]any{"id": "org_1", "slg": "s", "rol": "org:admin"}, ""),
			[]string{"admin", "org:admin"}, []string{"org:org:org:member"}),
		grantCase("RoleV1Legacy", "SPEC 4.3/5.3: v1 org_role without the org: prefix", grantRole,
			session(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "admin"}), []string{"admin", "org:admin"}, []string{"member"}),
		grantCase("RoleV1Prefixed", "SPEC 4.3/5.3: v1 org_role with the org: prefix", grantRole,
			session(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "org:admin"}), []string{"admin", "org:admin"}, []string{"member"}),
		grantCase("RoleNeedsActiveOrg", "SPEC 5.3: roles need an active organization", grantRole,
			func(s *suite) string {
				return s.mint(clerktest.Session{UserID: defaultUser, Version: 1, Claims: map[string]any{"org_role": "org:admin"}})
			}, nil, []string{"admin"}),
		grantCase("FeatureScopes", "SPEC 4.4/5.4: feature scopes", grantFeature,
			v2("o:analytics, u:chat ,x:hidden", nil, ""),
			[]string{"analytics", "o:analytics", "org:analytics", "organization:analytics", "chat", "u:chat", "user:chat"},
			[]string{"u:analytics", "o:chat", "x:analytics", "hidden", "missing", "o:"}),
		grantCase("FeatureBothScopes", "SPEC 4.4: ou and uo are both org and user", grantFeature,
			v2("ou:beta,uo:gamma", nil, ""), []string{"o:beta", "u:beta", "o:gamma", "u:gamma", "beta"}, []string{"delta"}),
		grantCase("PlanScopes", "SPEC 5.4: plan scopes from pla", grantPlan,
			v2("o:pro", nil, "u:pro,o:team"),
			[]string{"pro", "u:pro", "user:pro", "team", "org:team", "organization:team"},
			[]string{"o:pro", "u:team", "x:pro", "enterprise"}),
		{"ImpersonatedSignedIn", func(t *testing.T, s *suite) {
			e := s.newEnv(t, envConfig{})
			tok := s.mint(clerktest.Session{UserID: "user_target", Actor: &core.Actor{Subject: "user_admin", Type: "impersonation"}})
			e.expectSignedIn(e.do(pathAuth, bearer(tok)), "SPEC 4.1: impersonated sessions are fully signed in", "user_target")
		}},
		{"CustomClaimsReachable", func(t *testing.T, s *suite) {
			gold := func(c *core.Claims) bool {
				var x struct {
					Tier string `json:"tier"`
				}
				return c.Decode(&x) == nil && x.Tier == "gold"
			}
			e := s.newEnv(t, envConfig{routes: []Route{{Path: pathCustom, Guard: guard(core.Require(gold))}}})
			e.expectSignedIn(e.do(pathCustom, bearer(s.withClaims(map[string]any{"tier": "gold"}))), "SPEC 3.11: custom claims reachable as raw JSON", defaultUser)
			e.expectProblem(e.do(pathCustom, bearer(s.withClaims(map[string]any{"tier": "tin"}))), "SPEC 3.11/7.2", core.ReasonForbidden)
		}},
	}
}
