package conformance_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
)

// blackBoxApp is "the user's application": public, signed-in and
// permission routes built with the reference harness.
func blackBoxApp(t *testing.T, a *core.Authorizer) http.Handler {
	return reference(t, &conformance.App{Authorizer: a, Routes: []conformance.Route{
		{Path: "/"},
		{Path: "/me", Guard: ptr(core.RequireAuth())},
		{Path: "/invoices", Guard: ptr(core.RequirePermission("org:invoices:create"))},
	}})
}

func ptr(g core.Guard) *core.Guard { return &g }

var quiet = core.WithLogger(slog.New(slog.DiscardHandler))

func blackBoxConfig() conformance.BlackBoxConfig {
	return conformance.BlackBoxConfig{PublicPath: "/", SignedInPath: "/me", PermissionPath: "/invoices", Permission: "org:invoices:create"}
}

func TestBlackBoxHandler(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(append(bb.Options(), quiet)...)
	if err != nil {
		t.Fatal(err)
	}
	cfg := blackBoxConfig()
	cfg.Handler = blackBoxApp(t, a)
	bb.Run(t, cfg)
}

func TestBlackBoxBaseURLFromEnv(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	for k, v := range bb.Env() {
		t.Setenv(k, v)
	}
	a, err := core.NewFromEnv(quiet)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(blackBoxApp(t, a))
	defer srv.Close()
	cfg := blackBoxConfig()
	cfg.BaseURL = srv.URL
	conformance.RunBlackBox(t, bb, cfg)
}

func TestBlackBoxCookieAuthDisabledStatusOnly(t *testing.T) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(append(bb.Options(), core.WithCookieAuth(false), quiet)...)
	if err != nil {
		t.Fatal(err)
	}
	cfg := blackBoxConfig()
	cfg.Handler = blackBoxApp(t, a)
	cfg.CookieAuthDisabled = true
	cfg.StatusOnly = true
	bb.Run(t, cfg)
}
