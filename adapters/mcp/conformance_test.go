package clerkmcp_test

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/auth"

	clerkmcp "github.com/clerkguard/clerkguard/adapters/mcp"
	"github.com/clerkguard/clerkguard/conformance/tokenconformance"
	"github.com/clerkguard/clerkguard/core"
)

// newConformanceProtector is the Protector both conformance runs verify
// through: the suite's machine tokens name no audience, hence
// WithAudienceOptional.
func newConformanceProtector(t *testing.T, a *core.Authorizer, accept []core.TokenType) *clerkmcp.Protector {
	t.Helper()
	p, err := clerkmcp.New(a, "https://mcp.conformance.example/mcp", clerkmcp.WithTokenTypes(accept...), clerkmcp.WithAudienceOptional())
	if err != nil {
		t.Fatalf("clerkmcp.New: %v", err)
	}
	return p
}

// TestConformance runs the token tables of the HTTP and RPC suites through
// Protector.Verify: the same decision for every token as the adapters. The
// suite's machine tokens name no audience, as the adapters accept them
// without core.WithAudience: WithAudienceOptional (the audience rules have
// their own tests, TestMiddleware).
func TestConformance(t *testing.T) {
	tokenconformance.Run(t, tokenconformance.Harness{
		Name: "clerkmcp",
		New: func(t *testing.T, a *core.Authorizer, accept []core.TokenType) tokenconformance.Verifier {
			p := newConformanceProtector(t, a, accept)
			return p.Verify
		},
	})
}

// TestConformanceTokenVerifier runs the same tables through the SDK-facing
// TokenVerifier: refusals keep their reason through errors.As.
func TestConformanceTokenVerifier(t *testing.T) {
	tokenconformance.Run(t, tokenconformance.Harness{
		Name: "clerkmcp.TokenVerifier",
		New: func(t *testing.T, a *core.Authorizer, accept []core.TokenType) tokenconformance.Verifier {
			p := newConformanceProtector(t, a, accept)
			v := p.TokenVerifier()
			return func(ctx context.Context, token string) (*core.Claims, error) {
				info, err := v(ctx, token, nil)
				if err != nil {
					return nil, err
				}
				return claimsOf(info), nil
			}
		},
	})
}

// claimsOf is what the SDK learns of a verified token, as claims: enough for
// the suite, which checks the subject and scopes.
func claimsOf(info *auth.TokenInfo) *core.Claims {
	return &core.Claims{Subject: info.UserID, Scopes: info.Scopes}
}
