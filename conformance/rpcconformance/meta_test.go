package rpcconformance_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/rpcconformance"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// refClient is an in-process reference adapter built on core alone
// (ProcedureRules.Authorize, RPCProblemFor), with an optional flaw. It has no
// transport: the adapters' own tests run the suite over real connections;
// this one proves that the suite passes a correct adapter and fails flawed
// ones.
type refClient struct {
	app   *rpcconformance.App
	rules adapter.ProcedureRules
	flaw  string

	mu   sync.Mutex
	last *core.Claims // the "leaky" flaw shares claims across calls
}

func newRefClient(app *rpcconformance.App, flaw string) *refClient {
	c := &refClient{app: app, flaw: flaw}
	type setter func(*adapter.ProcedureRules)
	for _, set := range rpcconformance.Options(app,
		func(p string, g core.Guard) setter { return func(r *adapter.ProcedureRules) { r.SetGuard(p, g) } },
		func(p string) setter { return func(r *adapter.ProcedureRules) { r.SetPublic(p) } },
		func(g core.Guard) setter { return func(r *adapter.ProcedureRules) { r.SetDefault(g) } }) {
		set(&c.rules)
	}
	return c
}

// mdRequest is incoming metadata as a core.Request: no cookies.
type mdRequest map[string][]string

func (m mdRequest) Header(name string) string {
	if v := m[strings.ToLower(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (mdRequest) Cookie(string) (string, bool) { return "", false }

func (c *refClient) refuse(err error, g core.Guard) rpcconformance.Outcome {
	p := adapter.RPCProblemFor(err, g)
	o := rpcconformance.Outcome{Code: p.Code, Message: p.Message, Details: 1, Trailer: map[string][]string{},
		ErrorInfo: &rpcconformance.ErrorInfo{Reason: string(p.Reason), Domain: adapter.RPCErrorDomain, Metadata: p.Metadata}}
	for k, v := range p.Trailer {
		o.Trailer[k] = []string{v}
	}
	switch c.flaw {
	case "no-trailer":
		o.Trailer = nil
	case "no-errorinfo":
		o.ErrorInfo, o.Details = nil, 0
	case "unauthenticated-for-everything":
		o.Code = adapter.RPCUnauthenticated
	}
	return o
}

func (c *refClient) Call(ctx context.Context, p rpcconformance.Procedure, md map[string][]string) rpcconformance.Outcome {
	if !c.app.NoInterceptor {
		var g core.Guard
		var err error
		ctx, g, err = c.rules.Authorize(ctx, c.app.Authorizer, p.Name, mdRequest(md))
		if err != nil && c.flaw != "ignores-rules" {
			return c.refuse(err, g)
		}
	}
	if p.Check != nil {
		st, _ := adapter.StateFromContext(ctx)
		if err := adapter.Evaluate(ctx, *p.Check, st, nil); err != nil {
			return c.refuse(err, *p.Check)
		}
	}
	claims, ok := core.ClaimsFromContext(ctx)
	if c.flaw == "leaky" {
		c.mu.Lock()
		if claims == nil {
			claims, ok = c.last, c.last != nil
		}
		c.last = claims
		c.mu.Unlock()
	}
	o := rpcconformance.Outcome{Messages: [][]byte{c.app.Handle(ctx, claims, ok)}}
	if p.Streaming {
		o.Messages = append(o.Messages, c.app.Summarize(ctx, claims, ok))
	}
	return o
}

func TestReferenceAdapterPasses(t *testing.T) {
	rpcconformance.Run(t, rpcconformance.Harness{Name: "reference", New: func(_ *testing.T, app *rpcconformance.App) rpcconformance.Client {
		return newRefClient(app, "")
	}, NilAuthorizer: refNilAuthorizer("")})
}

func TestSuiteCatchesBrokenAdapters(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child test processes")
	}
	for _, c := range []struct{ flaw, groups, want string }{
		{"no-trailer", "Extract", "trailer x-clerk-auth-reason"},
		{"no-errorinfo", "Guards", "no google.rpc.ErrorInfo detail"},
		{"unauthenticated-for-everything", "Availability", "want 14"},
		{"ignores-rules", "Guards", "must never reach the handler"},
		{"leaky", "Concurrency|Guards", "behaviour.md §7.5"},
		{"nil-authorizer-accepted", "Wiring", "NewStream built with a nil *core.Authorizer must panic"},
	} {
		t.Run(c.flaw, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenAdapterChild$/^("+c.groups+")$", "-test.count=1")
			cmd.Env = append(os.Environ(), "RPCCONFORMANCE_BROKEN="+c.flaw)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed an adapter with flaw %q:\n%.3000s", c.flaw, out)
			}
			if !strings.Contains(string(out), c.want) {
				t.Errorf("flaw %q: the suite failed without saying %q:\n%.3000s", c.flaw, c.want, out)
			}
		})
	}
}

// TestBrokenAdapterChild is the child of TestSuiteCatchesBrokenAdapters.
func TestBrokenAdapterChild(t *testing.T) {
	flaw := os.Getenv("RPCCONFORMANCE_BROKEN")
	if flaw == "" {
		t.Skip("helper process of TestSuiteCatchesBrokenAdapters")
	}
	rpcconformance.Run(t, rpcconformance.Harness{Name: "broken-" + flaw, New: func(_ *testing.T, app *rpcconformance.App) rpcconformance.Client {
		return newRefClient(app, flaw)
	}, NilAuthorizer: refNilAuthorizer(flaw)})
}

// refNilAuthorizer is the reference adapter's constructors called with a nil
// Authorizer: both panic, as adapter.MustAuthorizer makes them, except
// NewStream with the nil-authorizer-accepted flaw.
func refNilAuthorizer(flaw string) map[string]func() {
	newRef := func(a *core.Authorizer) { adapter.MustAuthorizer("reference", a) }
	return map[string]func(){
		"NewUnary": func() { newRef(nil) },
		"NewStream": func() {
			if flaw != "nil-authorizer-accepted" {
				newRef(nil)
			}
		},
	}
}
