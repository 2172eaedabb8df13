package adapter_test

import (
	"bytes"
	"log/slog"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

type env struct {
	iss  *clerktest.Issuer
	logs *bytes.Buffer
}

func newRuleEnv(t testing.TB) *env {
	t.Helper()
	clk := clerktest.NewClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	iss, err := clerktest.NewIssuer(clerktest.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iss.Close)
	return &env{iss: iss, logs: new(bytes.Buffer)}
}

// authorizer trusts the issuer through its PEM key (networkless) and logs
// into e.logs (the tests log from one goroutine).
func (e *env) authorizer(t testing.TB, opts ...core.Option) *core.Authorizer {
	t.Helper()
	base := []core.Option{core.WithJWTKey(e.iss.PublicKeyPEM()), core.WithClock(e.iss.Now),
		core.WithLogger(slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))}
	a, err := core.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	return a
}
