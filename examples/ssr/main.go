// Command ssr is a server-rendered app (html/template on chi with the
// clerkchi adapter) that keeps browser sessions the way Clerk's own SDKs do:
// the `__session` and `__client_uat` cookies, suffixed cookies, and the
// handshake, a redirect through Clerk's Frontend API that comes back with a
// fresh session token when the old one has expired.
//
//	go run ./examples/ssr
//
// then open http://127.0.0.1:8080/ in a browser and click "Sign in".
//
// With no CLERK_* variable set it starts in local dev mode: an in-process
// fake Clerk (core/clerktest: keys, Backend API and Frontend API with a
// sign-in page, on 127.0.0.1), loopback only, loudly logged. Sign in as any
// test user ID; the session token lives 60 s, after which the next page load
// goes through the handshake and stays signed in.
//
// Configured only by environment variables (those core.NewFromEnv reads):
// CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY, CLERK_API_URL (base URL without
// /v1; keys come from {CLERK_API_URL}/v1/jwks), CLERK_PROXY_URL (the Frontend
// API for the handshake, default the publishable key's host),
// CLERK_SIGN_IN_URL (where /dashboard sends signed-out visitors) and
// CLERK_AUTHORIZED_PARTIES (the app's origins); behind a reverse proxy also
// CLERK_TRUST_FORWARDED_HEADERS=true. ADDR is the listen address (default
// 127.0.0.1:8080).
//
// A CLERK_PROXY_URL with a path (/__clerk, or https://app.example/__clerk as
// set in the Clerk Dashboard) is served by this app: core/frontendproxy is
// mounted there and forwards to the instance's Frontend API (that of the
// publishable key, or CLERK_FAPI_URL) with the secret key, so the browser
// talks to Clerk through the app's own origin. A URL without a path is a
// Frontend API served elsewhere. In dev mode SSR_DEV_PROXY=true does the
// same for the fake Frontend API, at http://<ADDR>/__clerk. Dev mode's pages have a Sign out button (the fake's
// sign-out); with a real instance, users sign out through ClerkJS.
//
// Routes: GET /health (200 once serving), GET / (public page: "Signed in as
// <user id>" or "Signed out"), GET /dashboard (RequireAuth; a signed-out
// page load is redirected to the sign-in URL with redirect_url), GET
// /api/me (JSON {"user_id": …}, or 401 with X-Clerk-Auth-Reason; never a
// redirect, never a handshake), and with the proxy its path and everything
// under it (/__clerk/…, forwarded to the Frontend API, outside the Clerk
// middleware).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/frontendproxy"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

// shutdownTimeout bounds a graceful shutdown after SIGINT or SIGTERM.
const shutdownTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, env{getenv: os.Getenv, stdout: os.Stdout, logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ssr:", err)
		os.Exit(1)
	}
}

// env is what run reads: the environment, where it writes, and for tests a
// clock and a hook called once the server is ready.
type env struct {
	getenv func(string) string
	stdout io.Writer
	logger *slog.Logger
	now    func() time.Time          // nil: time.Now
	ready  func(base string, d *dev) // nil: nothing
	// devIssuer fixes dev mode's issuer URL (default a random host per
	// start), so a test's cookie suffixes are reproducible.
	devIssuer string
	// proxyTransport is what the Frontend API proxy forwards through (nil:
	// frontendproxy's default), so a test can see what reaches the Frontend
	// API.
	proxyTransport http.RoundTripper
}

// run starts the app and serves until ctx is done.
func run(ctx context.Context, e env) error {
	if e.stdout == nil {
		e.stdout = io.Discard
	}
	if e.logger == nil {
		e.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	addr := exampleapp.Addr(e.getenv)
	set := exampleapp.Configured(e.getenv)
	var ln net.Listener
	var err error
	if len(set) > 0 {
		ln, err = net.Listen("tcp", addr)
	} else {
		ln, err = exampleapp.ListenDev(addr) // dev mode trusts self-minted tokens: loopback only
	}
	if err != nil {
		return err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()

	var opts []core.Option
	if e.now != nil {
		opts = append(opts, core.WithClock(e.now))
	}
	opts = append(opts, core.WithLogger(e.logger))
	var d *dev
	var a *core.Authorizer
	var fapi *frontendproxy.Handler
	if len(set) > 0 {
		if strings.TrimSpace(e.getenv(EnvDevProxy)) != "" {
			return fmt.Errorf("%s is for dev mode only: with a Clerk instance set %s", EnvDevProxy, core.EnvProxyURL)
		}
		a, err = core.New(append(core.OptionsFromEnv(e.getenv), opts...)...) // core.NewFromEnv, from e's environment
		if err != nil {
			return fmt.Errorf("configuration from %s: %w", strings.Join(set, ", "), err)
		}
		if fapi, err = configuredProxy(e.getenv, e.proxyTransport, e.logger); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "ssr: serving %s/ (Clerk instance from %s)\n", base, strings.Join(set, ", "))
	} else {
		d, err = startDev(base, e.now, e.devIssuer)
		if err != nil {
			return err
		}
		defer d.close()
		if fapi, err = devProxy(e.getenv, d, e.proxyTransport, e.logger); err != nil {
			return err
		}
		devOpts := d.options()
		if fapi != nil {
			devOpts = append(devOpts, core.WithProxyURL(d.proxyURL()))
		}
		a, err = core.New(append(devOpts, opts...)...)
		if err != nil {
			return err
		}
		e.logger.Warn("ssr: LOCAL DEV MODE: no CLERK_* variable set, trusting an in-process fake Clerk; never use this in production",
			"frontend_api", d.iss.FrontendAPIURL())
		fmt.Fprintf(e.stdout, "ssr: dev mode: open %s/ in a browser and sign in as any test user\n", base)
	}

	if fapi != nil {
		fmt.Fprintf(e.stdout, "ssr: Frontend API proxy at %s%s/\n", base, fapi.Path())
	}
	srv := &http.Server{Handler: newRouter(a, pages{signOutURL: d.signOutURL()}, fapi),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if e.ready != nil {
		e.ready(base, d)
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
