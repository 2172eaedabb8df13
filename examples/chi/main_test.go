package main

import (
	"net/http"
	"testing"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/examples/internal/smoketest"
)

// TestSmoke builds this example, runs the curl commands it prints in dev
// mode, and checks loopback-only dev mode and the switch to a configured
// instance (issue: runnable examples).
func TestSmoke(t *testing.T) {
	smoketest.Run(t, smoketest.Options{README: "../../README.md"})
}

// TestBlackBox runs the conformance black box against this example's real
// router, in process and over a real listener.
func TestBlackBox(t *testing.T) {
	smoketest.BlackBox(t, func(a *core.Authorizer) (http.Handler, conformance.ServeFunc) { return routes(a), nil })
}
