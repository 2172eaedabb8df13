package adapter_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

// ClaimsOf and ResultOf tell "middleware did not run" (nil State: no
// Result, false) from "signed out" (a Result, no claims) from "signed in".
func TestClaimsOfResultOf(t *testing.T) {
	c := &core.Claims{Subject: "user_1"}
	signedIn, _ := adapter.StateFromContext(core.ContextWithClaims(t.Context(), c))
	for _, tc := range []struct {
		name       string
		s          *adapter.State
		wantResult bool
		wantClaims *core.Claims
	}{
		{"NoMiddleware", nil, false, nil},
		{"SignedIn", signedIn, true, c},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, ok := adapter.ResultOf(tc.s)
			if ok != tc.wantResult || (res != nil) != tc.wantResult {
				t.Errorf("ResultOf: %v, %v; want a Result: %v", res, ok, tc.wantResult)
			}
			claims, ok := adapter.ClaimsOf(tc.s)
			if claims != tc.wantClaims || ok != (tc.wantClaims != nil) {
				t.Errorf("ClaimsOf: %v, %v; want %v", claims, ok, tc.wantClaims)
			}
		})
	}
	t.Run("SignedOut", func(t *testing.T) {
		e := newRuleEnv(t)
		st := adapter.NewState(t.Context(), e.authorizer(t), core.HTTPRequest(httptest.NewRequest(http.MethodGet, "/", nil)), nil)
		if res, ok := adapter.ResultOf(st); !ok || res.Reason() != core.ReasonSessionTokenMissing {
			t.Errorf("ResultOf a request without a token: %v, %v; want its Result (session-token-missing)", res, ok)
		}
		if claims, ok := adapter.ClaimsOf(st); ok || claims != nil {
			t.Errorf("ClaimsOf a signed-out request: %v, %v; want nil, false", claims, ok)
		}
	})
}
