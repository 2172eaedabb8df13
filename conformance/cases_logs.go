package conformance

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/internal/tokencases"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// logsCases cover behaviour.md §7.6 through every adapter: a flood of
// rejected requests is one log line per reason per interval, the rest
// counted on the next line of that reason.
func logsCases() []tcase {
	return []tcase{
		{Name: "RejectionsSampledPerReason", Run: func(t *testing.T, s *suite) {
			clock := clerktest.NewClock(s.now())
			e := s.newEnv(t, envConfig{opts: []core.Option{core.WithClock(clock.Now)}})
			forged := s.mint(clerktest.Session{UserID: "user_forged"}, clerktest.TamperedSignature())
			plain := s.user("user_plain")
			for i := 0; i < 20; i++ {
				e.expectProblem(e.do(pathAuth, bearer(forged)), "behaviour.md §3.5: a forged token", core.ReasonTokenInvalidSignature)
				e.expectProblem(e.do(pathPermission, bearer(plain)), "behaviour.md §7.2: 403 without the permission", core.ReasonMissingPermission)
			}
			signedOut := tokencases.LogLines(e.logs.String(), "request signed out", "reason="+string(core.ReasonTokenInvalidSignature))
			forbidden := tokencases.LogLines(e.logs.String(), "request forbidden", "reason="+string(core.ReasonMissingPermission))
			if len(signedOut) != 1 || len(forbidden) != 1 {
				t.Fatalf("behaviour.md §7.6: 20 rejections of each of two reasons in one interval on %s must log one line per reason; got %d and %d:\n%s",
					s.h.Name, len(signedOut), len(forbidden), e.logs.String())
			}
			clock.Advance(core.DefaultLogSampling)
			e.expectProblem(e.do(pathAuth, bearer(forged)), "behaviour.md §3.5: a forged token", core.ReasonTokenInvalidSignature)
			signedOut = tokencases.LogLines(e.logs.String(), "request signed out", "reason="+string(core.ReasonTokenInvalidSignature))
			if len(signedOut) != 2 || !strings.Contains(signedOut[1], "suppressed=19") {
				t.Fatalf("behaviour.md §7.6: the first line after the interval on %s must report the 19 left out (suppressed=19); got:\n%s",
					s.h.Name, strings.Join(signedOut, "\n"))
			}
			if r := e.do(pathPublic, bearer(forged)); r.status != http.StatusOK {
				t.Fatalf("behaviour.md §7.1: a public route answers %d to a forged token, want 200", r.status)
			}
		}},
	}
}
