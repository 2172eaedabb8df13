package tokencases

import (
	"fmt"
	"strings"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// GuardKind is the kind of guard a Grant row is checked through.
type GuardKind int

// Guard kinds of the grant table.
const (
	Permission GuardKind = iota // core.RequirePermission(arg)
	Role                        // core.RequireRole(arg)
	Feature                     // core.RequireFeature(arg)
	Plan                        // core.RequirePlan(arg)
)

// Guard is the core guard of kind k for arg.
func (k GuardKind) Guard(arg string) core.Guard {
	switch k {
	case Role:
		return core.RequireRole(arg)
	case Feature:
		return core.RequireFeature(arg)
	case Plan:
		return core.RequirePlan(arg)
	default:
		return core.RequirePermission(arg)
	}
}

// Reason is the 403 reason of guards of kind k.
func (k GuardKind) Reason() core.Reason {
	return [...]core.Reason{core.ReasonMissingPermission, core.ReasonMissingRole, core.ReasonMissingFeature, core.ReasonMissingPlan}[k]
}

// Grant is one row of the claims table (behaviour.md §4 and §5): a valid
// session token checked through guards of one kind; every argument in Allow
// must pass, every argument in Deny must be refused with Kind.Reason().
type Grant struct {
	Name  string
	Rule  string
	Kind  GuardKind
	Token func(f *Fixture) string
	Allow []string
	Deny  []string
}

func grant(name, rule string, kind GuardKind, token func(*Fixture) string, allow, deny []string) Grant {
	return Grant{Name: name, Rule: rule, Kind: kind, Token: token, Allow: allow, Deny: deny}
}

// v2 mints a v2 session token for DefaultUser with the raw fea, o and pla
// claims given (absent when empty / nil).
func v2(fea string, o map[string]any, pla string) func(*Fixture) string {
	return func(f *Fixture) string {
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
		return f.WithClaims(c)
	}
}

func org(per, fpm string) map[string]any {
	o := map[string]any{"id": "org_conformance", "slg": CustomSlug, "rol": "member"}
	if per != "" {
		o["per"] = per
	}
	if fpm != "" {
		o["fpm"] = fpm
	}
	return o
}

// GrantCases is the claims table: v1 and v2 claims through the permission,
// role, feature and plan guards.
func GrantCases() []Grant {
	big := make([]string, 54)
	for i := range big {
		big[i] = fmt.Sprintf("p%d", i)
	}
	session := func(sess clerktest.Session) func(*Fixture) string {
		return func(f *Fixture) string {
			if sess.UserID == "" {
				sess.UserID = DefaultUser
			}
			return f.Mint(sess)
		}
	}
	perms := []string{"org:invoices:create", "org:invoices:read"}
	permAllow := []string{"org:invoices:create", "invoices:create", "org:org:invoices:create", "org:invoices:read"}
	permDeny := []string{"org:invoices", "org:Invoices:create", "org:invoices:delete", "invoices", "org:invoices:create "}
	return []Grant{
		grant("PermissionV2", "behaviour.md §4.2/5.2: v2 permissions, normalised, exact and case-sensitive", Permission,
			session(clerktest.Session{OrgID: "org_1", OrgRole: "admin", OrgPermissions: perms}), permAllow, permDeny),
		grant("PermissionV1", "behaviour.md §4.3/5.2: v1 org_permissions, normalised, exact and case-sensitive", Permission,
			session(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "org:admin", OrgPermissions: perms}), permAllow, permDeny),
		grant("PermissionNeedsActiveOrgV1", "behaviour.md §5.2: permissions need an active organization", Permission,
			func(f *Fixture) string {
				return f.Mint(clerktest.Session{UserID: DefaultUser, Version: 1, Claims: map[string]any{"org_permissions": perms}})
			}, nil, []string{"org:invoices:create"}),
		grant("PermissionNeedsActiveOrgV2", "behaviour.md §5.2: permissions need an active organization (v2 o without id)", Permission,
			v2("o:invoices", map[string]any{"slg": CustomSlug, "rol": "admin", "per": "create", "fpm": "1"}, ""),
			nil, []string{"org:invoices:create", "invoices:create"}),
		grant("RoleNeedsActiveOrgV2", "behaviour.md §5.3: roles need an active organization (v2 o without id)", Role,
			v2("", map[string]any{"slg": CustomSlug, "rol": "admin"}, ""), nil, []string{"admin", "org:admin"}),
		grant("WorkedExampleDashboardTeams", "behaviour.md §4.5 worked example fea=o:dashboard,o:teams per=manage,read fpm=3,2", Permission,
			v2("o:dashboard,o:teams", org("manage,read", "3,2"), ""),
			[]string{"org:dashboard:manage", "org:dashboard:read", "org:teams:read"}, []string{"org:teams:manage"}),
		grant("WorkedExampleRepositoriesProjects", "behaviour.md §4.5 worked example fpm=7,21", Permission,
			v2("o:repositories,o:projects", org("read,create,update,delete,revoke", "7,21"), ""),
			[]string{"org:repositories:read", "org:repositories:create", "org:repositories:update",
				"org:projects:read", "org:projects:update", "org:projects:revoke"},
			[]string{"org:repositories:delete", "org:repositories:revoke", "org:projects:create", "org:projects:delete"}),
		grant("FpmIndexedByFeaPosition", "behaviour.md §4.5: fpm has one mask per fea element in the same position (user features included)", Permission,
			v2("u:chat,o:teams", org("read,write", "0,1"), ""),
			[]string{"org:teams:read"}, []string{"org:teams:write", "org:chat:read"}),
		grant("InvalidMaskOnlyThatFeature", "behaviour.md §4.5: an invalid mask grants nothing for that feature only", Permission,
			v2("o:a,o:b,o:c,o:d,o:e", org("read", "-1,1x,1.5,,1"), ""),
			[]string{"org:e:read"}, []string{"org:a:read", "org:b:read", "org:c:read", "org:d:read"}),
		grant("HugeMaskExact", "behaviour.md §4.5: 9007199254740993 sets bits 0 and 53, decoded exactly", Permission,
			v2("o:big", org(strings.Join(big, ","), "9007199254740993"), ""),
			[]string{"org:big:p0", "org:big:p53"}, []string{"org:big:p1", "org:big:p52"}),
		grant("BitsBeyondPerIgnored", "behaviour.md §4.5: bits beyond per are ignored", Permission,
			v2("o:a", org("read", "255"), ""), []string{"org:a:read"}, []string{"org:a:write"}),
		grant("FeatureWithoutMask", "behaviour.md §4.5: features without a mask get nothing; extra masks are ignored", Permission,
			v2("o:a,o:b", org("read", "1"), ""), []string{"org:a:read"}, []string{"org:b:read"}),
		grant("UserFeatureNoPermissions", "behaviour.md §4.5: only org-scoped features yield permissions", Permission,
			v2("u:a,ou:b,uo:c", org("read", "1,1,1"), ""), []string{"org:b:read", "org:c:read"}, []string{"org:a:read"}),
		grant("MalformedFea", "behaviour.md §4.4: an element without a colon: no features and no permissions, never a crash", Permission,
			v2("o:a,broken", org("read", "1,1"), ""), nil, []string{"org:a:read", "org:broken:read"}),
		grant("OrgWithoutPer", "behaviour.md §4.5: o without per or fpm is an empty permission list", Permission,
			v2("o:a", org("", ""), ""), nil, []string{"org:a:read"}),
		grant("RoleV2", "behaviour.md §4.2/5.3: v2 rol without prefix", Role,
			v2("", map[string]any{"id": "org_1", "slg": "s", "rol": "admin"}, ""),
			[]string{"admin", "org:admin", "org:org:admin"}, []string{"member", "Admin", "org:member"}),
		grant("RoleV2AlreadyPrefixed", "behaviour.md §4.2: a rol already prefixed must not become org:org:", Role,
			v2("", map[string]any{"id": "org_1", "slg": "s", "rol": "org:admin"}, ""),
			[]string{"admin", "org:admin"}, []string{"org:org:org:member"}),
		grant("RoleV1Legacy", "behaviour.md §4.3/5.3: v1 org_role without the org: prefix", Role,
			session(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "admin"}), []string{"admin", "org:admin"}, []string{"member"}),
		grant("RoleV1Prefixed", "behaviour.md §4.3/5.3: v1 org_role with the org: prefix", Role,
			session(clerktest.Session{Version: 1, OrgID: "org_1", OrgRole: "org:admin"}), []string{"admin", "org:admin"}, []string{"member"}),
		grant("RoleNeedsActiveOrg", "behaviour.md §5.3: roles need an active organization", Role,
			func(f *Fixture) string {
				return f.Mint(clerktest.Session{UserID: DefaultUser, Version: 1, Claims: map[string]any{"org_role": "org:admin"}})
			}, nil, []string{"admin"}),
		grant("FeatureScopes", "behaviour.md §4.4/5.4: feature scopes", Feature,
			v2("o:analytics, u:chat ,x:hidden", nil, ""),
			[]string{"analytics", "o:analytics", "org:analytics", "organization:analytics", "chat", "u:chat", "user:chat"},
			[]string{"u:analytics", "o:chat", "x:analytics", "hidden", "missing", "o:"}),
		grant("FeatureBothScopes", "behaviour.md §4.4: ou and uo are both org and user", Feature,
			v2("ou:beta,uo:gamma", nil, ""), []string{"o:beta", "u:beta", "o:gamma", "u:gamma", "beta"}, []string{"delta"}),
		grant("PlanScopes", "behaviour.md §5.4: plan scopes from pla", Plan,
			v2("o:pro", nil, "u:pro,o:team"),
			[]string{"pro", "u:pro", "user:pro", "team", "org:team", "organization:team"},
			[]string{"o:pro", "u:team", "x:pro", "enterprise"}),
	}
}
