package conformance_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// TestTokenCases: every exported token case is verified, under its own
// options, with exactly the reason it states, and the table holds both
// accepted and refused tokens.
func TestTokenCases(t *testing.T) {
	fx := conformance.TokenCases(t)
	if len(fx.Secrets) < 2 || fx.Secrets[0] == "" {
		t.Fatalf("the secrets are missing: %d", len(fx.Secrets))
	}
	accepted, refused := 0, 0
	for _, tc := range fx.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			a, err := core.New(append(tc.Options, core.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))...)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Authorization", "Bearer "+tc.Token)
			_, err = a.AuthenticateHTTP(r)
			if got := core.ReasonOf(err); got != tc.Reason {
				t.Fatalf("%s: reason %q, want %q", tc.Rule, got, tc.Reason)
			}
		})
		if tc.Reason == "" {
			accepted++
		} else {
			refused++
		}
	}
	if accepted < 5 || refused < 10 {
		t.Fatalf("the table is too small: %d accepted, %d refused", accepted, refused)
	}
}
