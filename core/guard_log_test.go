package core_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// VerifyToken has no request: its rejections are logged without a source
// (not "source=header"), and the observer sees Source "".
func TestVerifyTokenLogsNoSource(t *testing.T) {
	e := newRuleEnv(t)
	var seen []core.Outcome
	a := e.authorizer(t, core.WithObserver(func(o core.Outcome) { seen = append(seen, o) }))
	before := e.logs.String()
	tok := e.iss.Mint(clerktest.Session{}, clerktest.TamperedSignature())
	if _, err := a.VerifyToken(context.Background(), tok); core.ReasonOf(err) != core.ReasonTokenInvalidSignature {
		t.Fatalf("a tampered token must fail with token-invalid-signature: %v", err)
	}
	line := strings.TrimPrefix(e.logs.String(), before)
	if !strings.Contains(line, "reason=token-invalid-signature") || strings.Contains(line, "source=") {
		t.Fatalf("VerifyToken's rejection must be logged with its reason and without a source (the token came from no request); got %q", line)
	}
	if len(seen) != 1 || seen[0].Source != "" {
		t.Fatalf("VerifyToken must report Outcome.Source \"\"; got %+v", seen)
	}
}
