package main

import (
	"testing"

	"github.com/clerkguard/clerkguard/examples/internal/smoketest"
)

// TestSmoke builds this example, runs the curl commands it prints in dev
// mode, and checks loopback-only dev mode and the switch to a configured
// instance (issue: runnable examples).
func TestSmoke(t *testing.T) {
	smoketest.Run(t, smoketest.Options{README: "../../README.md"})
}
