package clerkfiberv3_test

import (
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func setup(t testing.TB, opts ...core.Option) (*clerktest.Issuer, *core.Authorizer) {
	iss := clerktest.Start(t)
	return iss, iss.Authorizer(t, opts...)
}
