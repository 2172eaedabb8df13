package rpcconformance

import (
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// logsCases cover behaviour.md §7.6 through the interceptors: a flood of
// rejected calls is one log line per reason per interval, the rest counted
// on the next line of that reason.
func logsCases() []tcase {
	return []tcase{
		{Name: "RejectionsSampledPerReason", Run: func(t *testing.T, s *suite) {
			clock := clerktest.NewClock(s.fx.Now())
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithClock(clock.Now)}})
			forged := s.fx.Mint(clerktest.Session{UserID: "user_forged"}, clerktest.TamperedSignature())
			for i := 0; i < 20; i++ {
				e.expectRejected(e.call(svcProbe+"Auth", bearer(forged)), "behaviour.md §3.5: a forged token", core.ReasonTokenInvalidSignature, core.RequireAuth())
			}
			reason := "reason=" + string(core.ReasonTokenInvalidSignature)
			if got := tokencases.LogLines(e.logs.String(), "request signed out", reason); len(got) != 1 {
				t.Fatalf("behaviour.md §7.6: 20 rejected calls of one reason in one interval on %s must log one line; got %d:\n%s", s.h.Name, len(got), e.logs.String())
			}
			clock.Advance(core.DefaultLogSampling)
			e.expectRejected(e.call(svcProbe+"Auth", bearer(forged)), "behaviour.md §3.5: a forged token", core.ReasonTokenInvalidSignature, core.RequireAuth())
			got := tokencases.LogLines(e.logs.String(), "request signed out", reason)
			if len(got) != 2 || !strings.Contains(got[1], "suppressed=19") {
				t.Fatalf("behaviour.md §7.6: the first line after the interval on %s must report the 19 left out (suppressed=19); got:\n%s", s.h.Name, strings.Join(got, "\n"))
			}
		}},
	}
}
