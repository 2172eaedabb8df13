package core_test

import (
	"encoding/base64"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// multiIssuers are three Clerk instances with the same kid (ins_test_1) and
// different keys: A and B are configured, C is a stranger.
type multiIssuers struct {
	a, b, c *clerktest.Issuer
	clock   *clerktest.Clock
}

var (
	multiOnce sync.Once
	multiSet  multiIssuers
)

func newMultiIssuers(t testing.TB) multiIssuers {
	t.Helper()
	multiOnce.Do(func() {
		multiSet.clock = clerktest.NewClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
		for _, p := range []struct {
			dst **clerktest.Issuer
			url string
		}{{&multiSet.a, "https://clerk.a.example"}, {&multiSet.b, "https://clerk.b.example"}, {&multiSet.c, "https://clerk.c.example"}} {
			iss, err := clerktest.NewIssuer(clerktest.WithClock(multiSet.clock.Now), clerktest.WithIssuerURL(p.url))
			if err != nil {
				panic(err)
			}
			*p.dst = iss
		}
	})
	return multiSet
}

// instance builds an Authorizer trusting iss only, quiet.
func instance(t testing.TB, iss *clerktest.Issuer, opts ...core.Option) *core.Authorizer {
	t.Helper()
	all := append(iss.AuthorizerOptions(), core.WithLogger(quietLogger()))
	a, err := core.New(append(all, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// pkFor is a publishable key of the given type (pk_test or pk_live) encoding
// host.
func pkFor(kind, host string) string {
	return kind + "_" + base64.StdEncoding.EncodeToString([]byte(host+"$"))
}

// authBearer authenticates token as an Authorization header through a.
func authBearer(a *core.Authorizer, token string) (*core.Claims, error) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	return a.AuthenticateHTTP(r)
}
