package adapter_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
)

func preflightReq(method, origin, acrm string) core.Request {
	r := httptest.NewRequest(method, "/api", nil)
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	if acrm != "" {
		r.Header.Set("Access-Control-Request-Method", acrm)
	}
	return core.HTTPRequest(r)
}

// README "CORS preflight": a preflight is OPTIONS with Origin and
// Access-Control-Request-Method; PassPreflightOption lets exactly those through,
// and only behind the middleware.
func TestCORSPreflight(t *testing.T) {
	skipAll := adapter.NewMiddlewareConfig([]adapter.MiddlewareOption[any, int]{adapter.SkipperOption[any](func(int) bool { return true })})
	signedOut := skipAll.NewState(t.Context(), nil, 0, nil)
	pass := adapter.GuardConfig[any]{PassPreflight: true}
	cases := []struct {
		name      string
		method    string
		origin    string
		acrm      string
		preflight bool
	}{
		{"Preflight", http.MethodOptions, "https://app.example.com", "POST", true},
		{"NoACRM", http.MethodOptions, "https://app.example.com", "", false},
		{"NoOrigin", http.MethodOptions, "", "POST", false},
		{"LowercaseMethodIsAnotherMethod", "options", "https://app.example.com", "POST", false},
		{"GetWithPreflightHeaders", http.MethodGet, "https://app.example.com", "POST", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := preflightReq(tc.method, tc.origin, tc.acrm)
			if got := adapter.IsPreflight(tc.method, r); got != tc.preflight {
				t.Fatalf("IsPreflight = %v, want %v", got, tc.preflight)
			}
			// Default: a preflight is guarded like any request (fail closed).
			if err := adapter.Evaluate(t.Context(), core.RequireAuth(), signedOut, r); !errors.Is(err, core.ErrSessionTokenMissing) {
				t.Fatalf("default guard: %v, want 401 session-token-missing", err)
			}
			err := pass.Evaluate(t.Context(), core.RequireAuth(), signedOut, r)
			if tc.preflight && err != nil {
				t.Fatalf("PassPreflight: a preflight must pass: %v", err)
			}
			if !tc.preflight && !errors.Is(err, core.ErrSessionTokenMissing) {
				t.Fatalf("PassPreflight: a non-preflight must still be guarded: %v", err)
			}
		})
	}
	t.Run("StillNeedsMiddleware", func(t *testing.T) {
		err := pass.Evaluate(t.Context(), core.RequireAuth(), nil, preflightReq(http.MethodOptions, "https://a", "POST"))
		if !errors.Is(err, core.ErrMiddlewareMissing) {
			t.Fatalf("behaviour.md §7.2: a guard without the middleware is a wiring error even for a preflight: %v", err)
		}
	})
	t.Run("MethodUnknown", func(t *testing.T) {
		// A Request view that cannot tell its method (no MethodRequest) is
		// never taken for a preflight, whatever its headers say.
		headersOnly := struct{ core.Request }{preflightReq(http.MethodOptions, "https://a", "POST")}
		err := pass.Evaluate(t.Context(), core.RequireAuth(), signedOut, headersOnly)
		if !errors.Is(err, core.ErrSessionTokenMissing) {
			t.Fatalf("a request without a known method must stay guarded: %v", err)
		}
		if err := pass.Evaluate(t.Context(), core.RequireAuth(), signedOut, nil); !errors.Is(err, core.ErrSessionTokenMissing) {
			t.Fatalf("without a request a preflight can never pass: %v", err)
		}
	})
	t.Run("NilRequest", func(t *testing.T) {
		if adapter.IsPreflight(http.MethodOptions, nil) {
			t.Fatal("a nil request is no preflight")
		}
	})
}
