package core_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// A known-good machine token keeps its last verdict through a Backend API
// outage for KnownGoodTTL after its last successful verification
// (behaviour.md §6.7), then the outage is a 503.
func ExampleMachineVerification() {
	clock := clerktest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	iss := must(clerktest.NewIssuer(clerktest.WithClock(clock.Now)))
	defer iss.Close()
	a := must(core.New(append(iss.AnyTokenOptions(), core.WithMachineVerification(core.MachineVerification{
		CacheTTL:     10 * time.Second, // a revoked token: at most 10s while the Backend API answers
		KnownGoodTTL: time.Minute,      // and at most 1 minute when it cannot
	}))...))
	key := iss.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_42"})
	show := func(when string) {
		c, err := a.VerifyToken(context.Background(), key)
		if err != nil {
			fmt.Println(when, core.ReasonOf(err), core.ProblemFor(err).Status)
			return
		}
		fmt.Println(when, c.Subject)
	}
	show("verified:")
	iss.SetBackendStatus(http.StatusInternalServerError)
	clock.Advance(30 * time.Second)
	show("outage, +30s:")
	clock.Advance(30 * time.Second)
	show("outage, +60s:")
	// Output:
	// verified: user_42
	// outage, +30s: user_42
	// outage, +60s: unexpected-error 503
}
