package tokenconformance_test

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/tokenconformance"
	"github.com/clerkguard/clerkguard/core"
)

// reference is a verifier built on core alone, with an optional flaw: the
// suite must pass it without a flaw and fail it with each.
func reference(a *core.Authorizer, accept []core.TokenType, flaw string) tokenconformance.Verifier {
	return func(ctx context.Context, token string) (*core.Claims, error) {
		if flaw != "verifies-refused-types" && !slices.Contains(accept, core.DetectTokenType(token)) {
			return nil, core.ErrTokenTypeMismatch
		}
		c, err := a.VerifyToken(ctx, token)
		switch flaw {
		case "unauthorized-for-everything":
			if err != nil {
				return nil, core.ErrTokenInvalid
			}
		case "accepts-expired":
			if core.ReasonOf(err) == core.ReasonTokenExpired {
				return &core.Claims{Subject: "user_conformance"}, nil
			}
		}
		if err != nil {
			return nil, err
		}
		if err := core.AcceptsToken(accept...).Evaluate(&core.Result{Claims: c}); err != nil && flaw != "verifies-refused-types" {
			return nil, err
		}
		return c, nil
	}
}

func TestReferencePasses(t *testing.T) {
	tokenconformance.Run(t, tokenconformance.Harness{Name: "reference",
		New: func(_ *testing.T, a *core.Authorizer, accept []core.TokenType) tokenconformance.Verifier {
			return reference(a, accept, "")
		}})
}

func TestSuiteCatchesBrokenVerifiers(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child test processes")
	}
	for _, c := range []struct{ flaw, cases, want string }{
		{"unauthorized-for-everything", "Availability", `must refuse this token with "jwk-remote-failed-to-load"`},
		{"accepts-expired", "Verify", `got it accepted`},
		{"verifies-refused-types", "Machine", "was sent to the Backend API"},
	} {
		t.Run(c.flaw, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenVerifierChild$/^("+c.cases+")$", "-test.count=1")
			cmd.Env = append(os.Environ(), "TOKENCONFORMANCE_BROKEN="+c.flaw)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a verifier with flaw %q:\n%.3000s", c.flaw, out)
			}
			if !strings.Contains(string(out), c.want) {
				t.Errorf("flaw %q: the suite failed without saying %q:\n%.3000s", c.flaw, c.want, out)
			}
		})
	}
}

// TestBrokenVerifierChild is the child of TestSuiteCatchesBrokenVerifiers.
func TestBrokenVerifierChild(t *testing.T) {
	flaw := os.Getenv("TOKENCONFORMANCE_BROKEN")
	if flaw == "" {
		t.Skip("helper process of TestSuiteCatchesBrokenVerifiers")
	}
	tokenconformance.Run(t, tokenconformance.Harness{Name: "broken-" + flaw,
		New: func(_ *testing.T, a *core.Authorizer, accept []core.TokenType) tokenconformance.Verifier {
			return reference(a, accept, flaw)
		}})
}

func TestCaseNames(t *testing.T) {
	names := tokenconformance.CaseNames()
	for _, want := range []string{"Verify/Valid", "Verify/ExpiredLongAgo", "Machine/OAuthOnly", "Availability/JWKSDown"} {
		if !slices.Contains(names, want) {
			t.Errorf("CaseNames() lacks %q", want)
		}
	}
}
