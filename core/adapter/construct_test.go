package adapter_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// panicOf returns what f panicked with, "" when it returned.
func panicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func TestMustMiddlewareConfig(t *testing.T) {
	e := newRuleEnv(t)
	handshake := []adapter.MiddlewareOption[testHandler, *http.Request]{adapter.HandshakeOption[testHandler, *http.Request]()}
	withKey := e.authorizer(t, core.WithPublishableKey(e.iss.PublishableKey()))
	for _, tc := range []struct {
		name string
		a    *core.Authorizer
		opts []adapter.MiddlewareOption[testHandler, *http.Request]
		want string // the panic, "" for none
	}{
		{"NilAuthorizer", nil, nil, "clerkx: Middleware needs a non-nil *core.Authorizer"},
		{"NilAuthorizerBeforeOptions", nil, handshake, "clerkx: Middleware needs a non-nil *core.Authorizer"},
		{"HandshakeWithoutPublishableKey", e.authorizer(t), handshake, "clerkx: WithHandshake needs an Authorizer with a publishable key"},
		{"HandshakeWithPublishableKey", withKey, handshake, ""},
		{"NoOptions", e.authorizer(t), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c adapter.MiddlewareConfig[testHandler, *http.Request]
			got := panicOf(func() { c = adapter.MustMiddlewareConfig("clerkx", tc.a, tc.opts) })
			if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
				t.Fatalf("panic %q, want %q", got, tc.want)
			}
			if got == "" && c.Handshake != (tc.opts != nil) {
				t.Errorf("Handshake = %v with options %v: the options were not applied", c.Handshake, tc.opts)
			}
		})
	}
}

func TestMustAuthorizer(t *testing.T) {
	if got := panicOf(func() { adapter.MustAuthorizer("clerkx: NewInterceptor", nil) }); got != "clerkx: NewInterceptor needs a non-nil *core.Authorizer" {
		t.Errorf("nil Authorizer: panic %q", got)
	}
	if got := panicOf(func() { adapter.MustAuthorizer("clerkx: NewInterceptor", newRuleEnv(t).authorizer(t)) }); got != "" {
		t.Errorf("an Authorizer: panic %q, want none", got)
	}
}

// EvaluateContext is the guard of an RPC handler's Check: the State (or a
// Result stored by hand) on ctx decides, and without one the answer is
// auth-middleware-missing, never a pass (behaviour.md §7.2).
func TestEvaluateContext(t *testing.T) {
	signedIn := core.ContextWithClaims(t.Context(), &core.Claims{Subject: "user_1"})
	for _, tc := range []struct {
		name     string
		signedIn bool
		g        core.Guard
		want     core.Reason
	}{
		{"NoMiddleware", false, core.RequireAuth(), core.ReasonMiddlewareMissing},
		{"SignedInAllowed", true, core.RequireAuth(), ""},
		{"SignedInForbidden", true, core.RequireRole("admin"), core.ReasonMissingRole},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			if tc.signedIn {
				ctx = signedIn
			}
			if got := core.ReasonOf(adapter.EvaluateContext(ctx, tc.g)); got != tc.want {
				t.Errorf("reason %q, want %q", got, tc.want)
			}
		})
	}
}
