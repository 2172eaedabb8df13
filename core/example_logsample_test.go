package core_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// Rejection log lines are sampled per reason: of 1 000 forged tokens within
// a minute one line is written; the next line of that reason, a minute
// later, says how many were left out.
func ExampleWithLogSampling() {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	clock := clerktest.NewClock(time.Now())
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}))
	a, err := core.New(core.WithJWTKey(iss.PublicKeyPEM()), core.WithIssuer(iss.IssuerURL()),
		core.WithCookieAuth(false), core.WithLogger(logger),
		core.WithClock(clock.Now), core.WithLogSampling(time.Minute))
	if err != nil {
		panic(err)
	}
	r := httptest.NewRequest("GET", "/api/items", nil)
	r.Header.Set("Authorization", "Bearer forged")
	for i := 0; i < 1000; i++ {
		_, _ = a.Authenticate(context.Background(), core.HTTPRequest(r))
	}
	clock.Advance(time.Minute)
	_, _ = a.Authenticate(context.Background(), core.HTTPRequest(r))
	// Output:
	// level=INFO msg="clerkguard: request signed out" reason=token-invalid source=header path=/api/items detail="token does not have three parts"
	// level=INFO msg="clerkguard: request signed out" reason=token-invalid source=header path=/api/items detail="token does not have three parts" suppressed=999
}
