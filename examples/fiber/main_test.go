package main

import (
	"net"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2/middleware/adaptor"

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
// app: in process through fiber's net/http adaptor, and served by fasthttp
// on a real listener, as main serves it.
func TestBlackBox(t *testing.T) {
	smoketest.BlackBox(t, func(a *core.Authorizer) (http.Handler, conformance.ServeFunc) {
		f := routes(a)
		return adaptor.FiberApp(f), func(t *testing.T, ln net.Listener) {
			go func() { _ = f.Listener(ln) }()
			t.Cleanup(func() { _ = f.Shutdown() })
		}
	})
}
