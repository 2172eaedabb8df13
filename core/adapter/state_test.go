package adapter_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

type ctxKey struct{}

// A State is the request's context: core's accessors find its Result, the
// parent's values, deadline and cancellation show through.
func TestStateIsTheRequestContext(t *testing.T) {
	e := newRuleEnv(t)
	a := e.authorizer(t)
	parent, cancel := context.WithDeadline(context.WithValue(t.Context(), ctxKey{}, "v"), time.Now().Add(time.Hour))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+e.iss.Mint(clerktest.Session{UserID: "user_1"}))
	st := adapter.NewState(parent, a, core.HTTPRequest(r), nil)

	if c, ok := core.ClaimsFromContext(st); !ok || c.Subject != "user_1" {
		t.Fatalf("core.ClaimsFromContext(State) = %v, %v; want the claims of user_1", c, ok)
	}
	if res, ok := core.ResultFromContext(st); !ok || res != st.Result() {
		t.Fatal("core.ResultFromContext(State) must return the State's own Result")
	}
	derived := context.WithValue(st, struct{ k int }{1}, 1)
	if got, ok := adapter.StateFromContext(derived); !ok || got != st {
		t.Fatal("StateFromContext must find the State through a derived context")
	}
	if st.Value(ctxKey{}) != "v" {
		t.Fatal("a State must show its parent's values")
	}
	if _, ok := st.Deadline(); !ok {
		t.Fatal("a State must show its parent's deadline")
	}
	cancel()
	<-st.Done()
	if !errors.Is(st.Err(), context.Canceled) {
		t.Fatalf("a State must show its parent's cancellation, Err = %v", st.Err())
	}
}

func TestStateFromContext(t *testing.T) {
	t.Run("NoMiddleware", func(t *testing.T) {
		if st, ok := adapter.StateFromContext(t.Context()); ok || st != nil {
			t.Fatal("a context without a Result has no State: guards must answer 500")
		}
		var none context.Context // a nil context, as a careless caller passes
		if st, ok := adapter.StateFromContext(none); ok || st != nil {
			t.Fatal("a nil context has no State")
		}
		if (*adapter.State)(nil).Result() != nil || (*adapter.State)(nil).ErrorHandler() != nil {
			t.Fatal("a nil State has no Result and no handler")
		}
	})
	t.Run("HandBuiltResult", func(t *testing.T) {
		c := &core.Claims{Subject: "user_1"}
		st, ok := adapter.StateFromContext(core.ContextWithClaims(t.Context(), c))
		if !ok || st.Result().Claims != c {
			t.Fatal("a Result stored with core.ContextWithClaims must be evaluated by the guards")
		}
		if err := adapter.Evaluate(t.Context(), core.RequireAuth(), st, nil); err != nil {
			t.Fatalf("RequireAuth on hand-built signed-in claims: %v", err)
		}
	})
}

type handler func() string

// behaviour.md §7.4: a guard's own error handler wins over the middleware's,
// which wins over the adapter's default; a nil handler keeps the default.
func TestErrorHandlerPrecedence(t *testing.T) {
	own := handler(func() string { return "own" })
	mw := handler(func() string { return "middleware" })
	def := handler(func() string { return "default" })
	mwCfg := func(h handler) *adapter.State {
		cfg := adapter.NewMiddlewareConfig([]adapter.MiddlewareOption[handler, int]{
			adapter.ErrorHandlerOption[handler, int](h), adapter.SkipperOption[handler](func(int) bool { return true })})
		return cfg.NewState(t.Context(), nil, 0, nil)
	}
	guardCfg := func(h handler) adapter.GuardConfig[handler] {
		return adapter.NewGuardConfig([]adapter.GuardOption[handler]{adapter.ErrorHandlerOption[handler, int](h)})
	}
	cases := []struct {
		name  string
		guard handler
		st    *adapter.State
		want  string
	}{
		{"GuardWins", own, mwCfg(mw), "own"},
		{"MiddlewareDefault", nil, mwCfg(mw), "middleware"},
		{"NilMiddlewareHandlerKeepsDefault", nil, mwCfg(nil), "default"},
		{"NoMiddleware", nil, nil, "default"},
		{"NoMiddlewareOwn", own, nil, "own"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := guardCfg(tc.guard).Handler(tc.st, def)(); got != tc.want {
				t.Fatalf("Handler chose %q, want %q", got, tc.want)
			}
		})
	}
}
