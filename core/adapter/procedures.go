package adapter

import (
	"context"
	"sort"
	"strings"

	"github.com/clerkguard/clerkguard/core"
)

// ProcedureRules decides which Guard protects each RPC procedure, for the
// gRPC and Connect adapters ("for adapter authors"; users configure it through
// the adapters' options). A procedure is a gRPC full method name or a Connect
// procedure: "/pkg.v1.Service/Method".
//
// Patterns are a full method ("/pkg.v1.Service/Method", matched exactly), a
// service ("/pkg.v1.Service" or "/pkg.v1.Service/", matching every method of
// it) or any other prefix ending in "/" or "." ("/pkg.v1." matches every
// service of the package). The most specific rule wins: an exact method, then
// the longest prefix. A procedure no rule matches gets the default guard,
// which is RequireAuth unless SetDefault says otherwise: the table fails
// closed, so a health or reflection service is guarded unless it is
// explicitly made public (behaviour.md §7.2).
//
// The zero ProcedureRules is ready to use. It is not safe to change while it
// is matched concurrently: adapters build it once, from their options.
type ProcedureRules struct {
	exact    map[string]procedureRule
	prefixes []procedurePrefix // longest first
	def      core.Guard
}

type procedureRule struct {
	guard  core.Guard
	public bool
}

type procedurePrefix struct {
	prefix string
	rule   procedureRule
}

// SetGuard protects the procedures matching pattern with g. A later rule for
// the same pattern replaces an earlier one.
func (r *ProcedureRules) SetGuard(pattern string, g core.Guard) {
	r.set(pattern, procedureRule{guard: g})
}

// SetPublic leaves the procedures matching pattern public: they are still
// authenticated (handlers may read claims when a valid token is sent) but
// never rejected, even when the token is invalid or keys are unavailable.
func (r *ProcedureRules) SetPublic(pattern string) {
	r.set(pattern, procedureRule{public: true})
}

// SetDefault sets the guard of procedures no rule matches (RequireAuth when
// never set).
func (r *ProcedureRules) SetDefault(g core.Guard) { r.def = g }

func (r *ProcedureRules) set(pattern string, rule procedureRule) {
	pattern = strings.TrimSpace(pattern)
	if pattern == "" {
		return
	}
	if !strings.HasPrefix(pattern, "/") {
		pattern = "/" + pattern
	}
	// "/pkg.Service" (a single slash, no method) names a whole service.
	if strings.Count(pattern, "/") == 1 && !strings.HasSuffix(pattern, "/") && !strings.HasSuffix(pattern, ".") {
		pattern += "/"
	}
	if !strings.HasSuffix(pattern, "/") && !strings.HasSuffix(pattern, ".") {
		if r.exact == nil {
			r.exact = make(map[string]procedureRule)
		}
		r.exact[pattern] = rule
		return
	}
	for i := range r.prefixes {
		if r.prefixes[i].prefix == pattern {
			r.prefixes[i].rule = rule
			return
		}
	}
	r.prefixes = append(r.prefixes, procedurePrefix{prefix: pattern, rule: rule})
	sort.SliceStable(r.prefixes, func(i, j int) bool { return len(r.prefixes[i].prefix) > len(r.prefixes[j].prefix) })
}

// Match returns the guard protecting procedure, or public == true when the
// procedure was made public with SetPublic.
func (r *ProcedureRules) Match(procedure string) (g core.Guard, public bool) {
	if rule, ok := r.exact[procedure]; ok {
		return rule.guard, rule.public
	}
	for _, p := range r.prefixes {
		if strings.HasPrefix(procedure, p.prefix) {
			return p.rule.guard, p.rule.public
		}
	}
	return r.def, false
}

// Authorize is the whole decision of an RPC interceptor for one call to
// procedure. It reuses the State already on ctx (a clerkguard HTTP middleware
// or another interceptor ran first: the token is verified once per call) or
// authenticates req with a and returns the new State as the call's context.
// Then it applies the procedure's rule: it returns the guard that decided and
// the error of Evaluate (which logs a refusal through a's logger; nil when
// the call may proceed, always nil for a public procedure), to render with
// RPCProblemFor.
func (r *ProcedureRules) Authorize(ctx context.Context, a *core.Authorizer, procedure string, req core.Request) (context.Context, core.Guard, error) {
	st, ok := StateFromContext(ctx)
	if !ok {
		st = NewState(ctx, a, req, nil)
		ctx = st
	}
	g, public := r.Match(procedure)
	if public {
		return ctx, g, nil
	}
	return ctx, g, Evaluate(ctx, g, st, req)
}
