package conformance_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// labelMount is a Mount over labels: each handler is a string saying how it
// was built, so Chain's result shows which constructors it called, with
// which options, in which order.
func labelMount() conformance.Mount[string, string, string] {
	join := func(name string, opts []string) string { return name + "(" + strings.Join(opts, ",") + ")" }
	return conformance.Mount[string, string, string]{
		Middleware:     func(_ *core.Authorizer, opts ...string) string { return join("Middleware", opts) },
		WithQueryToken: func(p string) string { return "query:" + p },
		WithHandshake:  func() string { return "handshake" },
		Guards: conformance.Guards[string, string]{
			Guard:             func(g core.Guard, opts ...string) string { return join("Guard:"+g.Name(), opts) },
			WithPassPreflight: func() string { return "preflight" },
		},
		Options: conformance.Options[string, string]{
			Hook:    func(h conformance.ErrorHook) (string, string) { return fmt.Sprint("mwhook", h), fmt.Sprint("hook", h) },
			SkipAll: func() string { return "skip" },
		},
	}
}

func TestMountChain(t *testing.T) {
	g := core.RequireAuth()
	for _, tc := range []struct {
		name      string
		handshake bool
		route     conformance.Route
		want      []string
	}{
		{"MiddlewareOnly", false, conformance.Route{Path: "/"}, []string{"Middleware()"}},
		{"GuardWithoutMiddleware", false, conformance.Route{NoMiddleware: true, Guard: &g, QueryToken: "token"},
			[]string{"Guard:" + g.Name() + "()"}},
		{"EveryOption", true, conformance.Route{Guard: &g, Skipped: true, MiddlewareHook: conformance.HookSilent,
			Hook: conformance.HookCustom, QueryToken: "token", PassPreflight: true},
			[]string{"Middleware(mwhook1,skip,query:token,handshake)", "Guard:" + g.Name() + "(hook2,preflight)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := labelMount().Chain(&conformance.App{Handshake: tc.handshake}, tc.route)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Chain: %q, want %q", got, tc.want)
			}
		})
	}
}

// A constructor the route needs and the harness did not list is a panic
// that names it, never a route mounted without the option.
func TestMountChainNamesMissingConstructor(t *testing.T) {
	for _, tc := range []struct {
		field     string
		drop      func(*conformance.Mount[string, string, string])
		handshake bool
		route     conformance.Route
	}{
		{"Mount.Middleware", func(m *conformance.Mount[string, string, string]) { m.Middleware = nil }, false, conformance.Route{}},
		{"Mount.WithQueryToken", func(m *conformance.Mount[string, string, string]) { m.WithQueryToken = nil }, false, conformance.Route{QueryToken: "t"}},
		{"Mount.WithHandshake", func(m *conformance.Mount[string, string, string]) { m.WithHandshake = nil }, true, conformance.Route{}},
	} {
		t.Run(tc.field, func(t *testing.T) {
			m := labelMount()
			tc.drop(&m)
			defer func() {
				if r := recover(); !strings.Contains(fmt.Sprint(r), tc.field+" is nil") {
					t.Errorf("recovered %v, want a panic naming %s", r, tc.field)
				}
			}()
			m.Chain(&conformance.App{Handshake: tc.handshake}, tc.route)
		})
	}
}

func TestRouteHTTPMethod(t *testing.T) {
	if got := (conformance.Route{}).HTTPMethod(); got != http.MethodGet {
		t.Errorf("unset Method: %q, want GET", got)
	}
	if got := (conformance.Route{Method: http.MethodOptions}).HTTPMethod(); got != http.MethodOptions {
		t.Errorf("Method OPTIONS: %q", got)
	}
}
