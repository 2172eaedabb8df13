package conformance

import (
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/clerkguard/clerkguard/core"
)

// Guards lists an adapter's guard functions in the adapter's own types: G is
// what a guard returns (gin.HandlerFunc, echo.MiddlewareFunc,
// func(http.Handler) http.Handler, …) and O the guards' option type. Fill it
// with the adapter's functions themselves, e.g.
//
//	var guards = conformance.Guards[gin.HandlerFunc, clerkgin.GuardOption]{
//		Guard: clerkgin.Guard, RequireAuth: clerkgin.RequireAuth,
//		RequirePermission: clerkgin.RequirePermission, …}
//
// and mount every route's guard with For. Most cases then go through the
// adapter's Guard, once, with no per-guard code in the harness; the
// Guards/Named* cases mount each named function and prove it answers exactly
// as Guard(core.X(arg)) would, so a named guard wired to the wrong core guard
// (or dropping its options) fails the suite.
type Guards[G, O any] struct {
	// Each field is the adapter's function of the same name (AcceptsToken
	// with its token types as a slice).
	Guard             func(g core.Guard, opts ...O) G
	RequireAuth       func(opts ...O) G
	RequirePermission func(p string, opts ...O) G
	RequireRole       func(r string, opts ...O) G
	RequireFeature    func(f string, opts ...O) G
	RequirePlan       func(p string, opts ...O) G
	RequireScope      func(s string, opts ...O) G
	Require           func(fn func(*core.Claims) bool, opts ...O) G
	AcceptsToken      func(types []core.TokenType, opts ...O) G
	// RequireReverification is the adapter's RequireReverification.
	RequireReverification func(r core.Reverification, opts ...O) G
	// WithPassPreflight is the adapter's WithPassPreflight option; For adds
	// it to the options of a route with PassPreflight set.
	WithPassPreflight func() O
	// WithRedirectToSignIn is the adapter's WithRedirectToSignIn option;
	// For adds it to the options of a route with RedirectToSignIn set.
	WithRedirectToSignIn func(url string) O
	// WithResourceMetadata is the adapter's WithResourceMetadata option; For
	// adds it to the options of a route with ResourceMetadata set.
	WithResourceMetadata func(url string) O
}

// For returns the adapter guard to mount in front of r's handler, built with
// opts (the error hook of r.Hook), and false when r has no guard. It panics
// when the function it needs is nil: the harness forgot to list it.
func (gs Guards[G, O]) For(r Route, opts ...O) (G, bool) {
	var zero G
	if r.Guard == nil {
		return zero, false
	}
	if r.PassPreflight {
		opts = append(opts[:len(opts):len(opts)], need(gs.WithPassPreflight, "WithPassPreflight")())
	}
	if r.RedirectToSignIn {
		opts = append(opts[:len(opts):len(opts)], need(gs.WithRedirectToSignIn, "WithRedirectToSignIn")(r.SignInURL))
	}
	if r.ResourceMetadata != "" {
		opts = append(opts[:len(opts):len(opts)], need(gs.WithResourceMetadata, "WithResourceMetadata")(r.ResourceMetadata))
	}
	n := r.named
	if n == nil {
		return need(gs.Guard, "Guard")(*r.Guard, opts...), true
	}
	n.mounted.Store(true)
	switch n.name {
	case "RequireAuth":
		return need(gs.RequireAuth, n.name)(opts...), true
	case "RequirePermission":
		return need(gs.RequirePermission, n.name)(n.arg, opts...), true
	case "RequireRole":
		return need(gs.RequireRole, n.name)(n.arg, opts...), true
	case "RequireFeature":
		return need(gs.RequireFeature, n.name)(n.arg, opts...), true
	case "RequirePlan":
		return need(gs.RequirePlan, n.name)(n.arg, opts...), true
	case "RequireScope":
		return need(gs.RequireScope, n.name)(n.arg, opts...), true
	case "Require":
		return need(gs.Require, n.name)(n.fn, opts...), true
	case "AcceptsToken":
		return need(gs.AcceptsToken, n.name)(n.types, opts...), true
	case "RequireReverification":
		return need(gs.RequireReverification, n.name)(n.rev, opts...), true
	}
	panic("conformance: unknown named guard " + n.name)
}

func need[F any](f F, name string) F {
	if v := reflect.ValueOf(f); !v.IsValid() || v.IsNil() {
		panic("conformance: " + qualified(name) + " is nil: list every function of the adapter the harness needs")
	}
	return f
}

// namedGuard describes a route whose guard must be mounted through the
// adapter's named function; mounted records that Guards.For did so.
type namedGuard struct {
	namedSpec
	mounted atomic.Bool
}

// namedSpec names a guard function and its argument.
type namedSpec struct {
	name  string
	arg   string
	rev   core.Reverification
	fn    func(*core.Claims) bool
	types []core.TokenType
}

// guard returns a pointer to g, for Route.Guard.
func guard(g core.Guard) *core.Guard { return &g }

// qualified names a harness field for need's panic: Guards.X unless name
// already says which struct it belongs to.
func qualified(name string) string {
	if strings.Contains(name, ".") {
		return name
	}
	return "Guards." + name
}
