package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// mintSession mints a session token of the suite's issuer, for user
// user_blackbox unless s names another.
func (r *blackBoxRunner) mintSession(s clerktest.Session, opts ...clerktest.MintOption) string {
	if s.UserID == "" {
		s.UserID = "user_blackbox"
	}
	return r.bb.Mint(s, opts...)
}

// signedOutCases are the first cases of every guarded group: no token and
// an expired one are signed out (401), never forbidden (403).
func (r *blackBoxRunner) signedOutCases(rt bbRoute, noun string) []bbCase {
	return []bbCase{
		{"NoToken", func(t *testing.T) {
			r.expectProblem(t, r.send(t, rt), "a request without a token must get 401 session-token-missing on a "+noun+"-guarded route (behaviour.md §7.2)", core.ReasonSessionTokenMissing)
		}},
		{"InvalidToken", func(t *testing.T) {
			r.expectProblem(t, r.send(t, rt, bearer(r.mintSession(clerktest.Session{TTL: -time.Minute}))), "an expired token must get 401 with the signed-out reason token-expired, not 403 (behaviour.md §7.2)", core.ReasonTokenExpired)
		}},
	}
}

// expectProblemErr is expectProblem for a refusal whose body depends on
// more than its reason (the reverification hint): core.ProblemFor(err).
func (r *blackBoxRunner) expectProblemErr(t *testing.T, res response, rule string, err error) {
	t.Helper()
	if r.cfg.StatusOnly {
		r.expectProblem(t, res, rule, core.ReasonOf(err))
		return
	}
	checkProblemFor(t, "the application", res, rule, err, r.cfg.ExactHeaders)
}

// splitScope splits a feature or plan name into its scope ("org", "user"
// or "" for both, behaviour.md §5.4) and its bare name.
func splitScope(name string) (scope, bare string) {
	prefix, rest, ok := strings.Cut(name, ":")
	if !ok {
		return "", name
	}
	switch prefix {
	case "o", "org", "organization":
		return "org", rest
	case "u", "user":
		return "user", rest
	}
	return "", name
}

// scopedGuarded is the table of a route behind RequireFeature or
// RequirePlan(name): noun is "feature" or "plan"; grant mints a v2 session
// of org org_blackbox with the given org and user lists (features or plans).
func (r *blackBoxRunner) scopedGuarded(rt bbRoute, reason core.Reason, noun, name string, grant func(org, user []string) string) []bbCase {
	scope, bare := splitScope(name)
	none := []string{"blackbox_unrelated"}
	cases := append(r.signedOutCases(rt, noun), bbCase{"Without" + strings.ToUpper(noun[:1]) + noun[1:], func(t *testing.T) {
		r.expectProblem(t, r.send(t, rt, bearer(grant(none, none))), "a signed-in session without the "+noun+" "+name+" must get 403 "+string(reason)+" (behaviour.md §5.4, §7.2)", reason)
	}})
	if scope != "user" {
		cases = append(cases, bbCase{"GrantedOrg", func(t *testing.T) {
			r.expectGranted(t, r.send(t, rt, bearer(grant([]string{bare}, nil))), "a session whose organization has the "+noun+" "+name+" must be let through (behaviour.md §5.4)")
		}})
	} else {
		cases = append(cases, bbCase{"OrgDoesNotCount", func(t *testing.T) {
			r.expectProblem(t, r.send(t, rt, bearer(grant([]string{bare}, nil))), "a user-scoped "+noun+" ("+name+") is not granted by the organization's: 403 "+string(reason)+" (behaviour.md §5.4)", reason)
		}})
	}
	if scope != "org" {
		cases = append(cases, bbCase{"GrantedUser", func(t *testing.T) {
			r.expectGranted(t, r.send(t, rt, bearer(grant(nil, []string{bare}))), "a session whose user has the "+noun+" "+name+" must be let through (behaviour.md §5.4)")
		}})
	} else {
		cases = append(cases, bbCase{"UserDoesNotCount", func(t *testing.T) {
			r.expectProblem(t, r.send(t, rt, bearer(grant(nil, []string{bare}))), "an organization-scoped "+noun+" ("+name+") is not granted by the user's: 403 "+string(reason)+" (behaviour.md §5.4)", reason)
		}})
	}
	return cases
}

// reverificationCases is the table of a route behind
// RequireReverification(rv): fva ages at and just under rv.AfterMinutes on
// both factors, so every level decides alike (behaviour.md §5.6).
func (r *blackBoxRunner) reverificationCases(rt bbRoute, rv core.Reverification) []bbCase {
	// What the guard answers a stale session: 403 with Clerk's hint.
	refusal := core.RequireReverification(rv).Evaluate(&core.Result{Claims: &core.Claims{Subject: "user_blackbox"}})
	aged := func(minutes int) string {
		return r.mintSession(clerktest.Session{FVA: &[2]int{minutes, minutes}})
	}
	return append(r.signedOutCases(rt, "reverification"),
		bbCase{"NoFVA", func(t *testing.T) {
			r.expectProblemErr(t, r.send(t, rt, bearer(r.mintSession(clerktest.Session{}))), "a session token without fva must get 403 reverification-error with the reverification hint (behaviour.md §5.6, §7.3)", refusal)
		}},
		bbCase{"Stale", func(t *testing.T) {
			r.expectProblemErr(t, r.send(t, rt, bearer(aged(rv.AfterMinutes))), "a session verified exactly "+rv.String()+"'s minutes ago is stale: 403 reverification-error with the hint (behaviour.md §5.6, §7.3)", refusal)
		}},
		bbCase{"Fresh", func(t *testing.T) {
			r.expectGranted(t, r.send(t, rt, bearer(aged(rv.AfterMinutes-1))), "a session verified a minute less than "+rv.String()+"'s minutes ago must be let through (behaviour.md §5.6)")
		}},
	)
}

// scopeCases is the table of a route behind RequireScope(scope): only a
// machine token carrying the scope passes.
func (r *blackBoxRunner) scopeCases(rt bbRoute, scope string) []bbCase {
	m2m := func(ttl time.Duration, scopes ...string) string {
		return r.bb.Issuer.MintM2M(clerktest.Machine{Subject: "mch_blackbox", Scopes: scopes, TTL: ttl})
	}
	return []bbCase{
		{"NoToken", func(t *testing.T) {
			r.expectProblem(t, r.send(t, rt), "a request without a token must get 401 session-token-missing on a scope-guarded route (behaviour.md §7.2)", core.ReasonSessionTokenMissing)
		}},
		{"SessionToken", func(t *testing.T) {
			r.expectProblem(t, r.send(t, rt, bearer(r.mintSession(clerktest.Session{}))), "a session token carries no scopes: a scope-guarded route answers 401 token-type-mismatch (behaviour.md §6.1)", core.ReasonTokenTypeMismatch)
		}},
		{"ExpiredMachine", func(t *testing.T) {
			r.expectProblem(t, r.send(t, rt, bearer(m2m(-time.Minute, scope))), "an M2M token that expired a minute ago must get 401 token-expired (behaviour.md §3.9, §6.4)", core.ReasonTokenExpired)
		}},
		{"WithoutScope", func(t *testing.T) {
			r.expectProblem(t, r.send(t, rt, bearer(m2m(time.Hour, "blackbox:unrelated"))), "an M2M token without the scope "+scope+" must get 403 missing-scope (behaviour.md §7.2)", core.ReasonMissingScope)
		}},
		{"GrantedM2M", func(t *testing.T) {
			r.expectGranted(t, r.send(t, rt, bearer(m2m(time.Hour, "blackbox:other", scope))), "an M2M token carrying the scope "+scope+" must be let through (the application must accept M2M tokens: core.WithAcceptsToken) (behaviour.md §6.4)")
		}},
	}
}

// moreGroups are the Feature, Plan, Reverification and Scope groups.
func (r *blackBoxRunner) moreGroups() []bbGroup {
	cfg := r.cfg
	feature := route(cfg.FeatureMethod, cfg.FeaturePath)
	plan := route(cfg.PlanMethod, cfg.PlanPath)
	rev := route(cfg.ReverificationMethod, cfg.ReverificationPath)
	scope := route(cfg.ScopeMethod, cfg.ScopePath)
	session := func(s clerktest.Session) string {
		s.OrgID, s.OrgRole = "org_blackbox", "member"
		return r.mintSession(s)
	}
	revValue := ""
	if cfg.Reverification != (core.Reverification{}) {
		revValue = cfg.Reverification.String()
	}
	groups := []bbGroup{
		{name: "Feature", route: feature, methodSet: cfg.FeatureMethod != "", need: "Feature", value: cfg.Feature},
		{name: "Plan", route: plan, methodSet: cfg.PlanMethod != "", need: "Plan", value: cfg.Plan},
		{name: "Reverification", route: rev, methodSet: cfg.ReverificationMethod != "", need: "Reverification", value: revValue},
		{name: "Scope", route: scope, methodSet: cfg.ScopeMethod != "", need: "Scope", value: cfg.Scope},
	}
	if feature.path != "" {
		groups[0].cases = r.scopedGuarded(feature, core.ReasonMissingFeature, "feature", cfg.Feature, func(org, user []string) string {
			return session(clerktest.Session{OrgFeatures: org, UserFeatures: user})
		})
	}
	if plan.path != "" {
		groups[1].cases = r.scopedGuarded(plan, core.ReasonMissingPlan, "plan", cfg.Plan, func(org, user []string) string {
			return session(clerktest.Session{OrgPlans: org, UserPlans: user})
		})
	}
	if rev.path != "" {
		groups[2].cases = r.reverificationCases(rev, cfg.Reverification)
	}
	if scope.path != "" {
		groups[3].cases = r.scopeCases(scope, cfg.Scope)
	}
	return groups
}

// misconfiguredReverification explains a Reverification that can never
// pass, which the group could not check (behaviour.md §5.6), or "".
func misconfiguredReverification(cfg BlackBoxConfig) string {
	if cfg.ReverificationPath != "" && cfg.Reverification != (core.Reverification{}) && !cfg.Reverification.Valid() {
		return "Reverification " + cfg.Reverification.String() + " is not a valid requirement (a known level and AfterMinutes > 0): its guard refuses every request"
	}
	return ""
}
