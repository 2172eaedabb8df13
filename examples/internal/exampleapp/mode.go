package exampleapp

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// DefaultAddr is where the examples listen when ADDR is unset: loopback, so
// that dev mode works out of the box and nothing is exposed by accident.
const DefaultAddr = "127.0.0.1:8080"

// EnvAddr names the variable holding the listen address (host:port).
const EnvAddr = "ADDR"

// ConfigVars are the variables core.NewFromEnv reads (core.EnvVars). Any of
// them set, even only CLERK_PUBLISHABLE_KEY, means "use a real Clerk
// instance": dev mode starts only when all are unset, so a half-configured
// production service fails at boot instead of quietly trusting the dev
// issuer.
var ConfigVars = core.EnvVars()

// ErrDevModeNotLoopback is returned by Start when dev mode would listen on a
// non-loopback address.
var ErrDevModeNotLoopback = errors.New("dev mode listens on loopback only")

// Config says which example is starting and where it writes.
type Config struct {
	// Name is the framework, for messages ("chi", "gin", …).
	Name string
	// Stdout receives the listen line and, in dev mode, the curl commands.
	Stdout io.Writer
	// Logger receives structured logs; the Authorizer logs rejections to it.
	Logger *slog.Logger
	// Tour, when set, replaces the dev-mode commands printed after the export
	// lines (the HTTP Tour as curl commands): the RPC examples print their
	// own, one line each.
	Tour func(base string) []string
}

// App is a started example: the Authorizer to hand to the adapter and the
// listener to serve on. Dev is set in dev mode only.
type App struct {
	Authorizer *core.Authorizer
	Listener   net.Listener
	Dev        *DevIssuer
	Logger     *slog.Logger
}

// Start reads the environment, builds the Authorizer and opens the listener.
// With any of ConfigVars set it uses core.NewFromEnv (a real Clerk instance);
// with none set it starts dev mode: a DevIssuer, loopback only, loud logs and
// the curl commands printed to cfg.Stdout. The caller serves on
// App.Listener and calls Close when done.
func Start(cfg Config) (*App, error) {
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	addr := Addr(os.Getenv)
	if set := Configured(os.Getenv); len(set) > 0 {
		return startReal(cfg, addr, set)
	}
	return startDev(cfg, addr)
}

// Addr is the listen address getenv gives in EnvAddr (trimmed), else
// DefaultAddr.
func Addr(getenv func(string) string) string {
	if addr := strings.TrimSpace(getenv(EnvAddr)); addr != "" {
		return addr
	}
	return DefaultAddr
}

// Configured lists the ConfigVars getenv sets to a non-blank value, the ones
// core.OptionsFromEnv would read (it trims values: a blank one configures
// nothing). Any of them means "a real Clerk instance".
func Configured(getenv func(string) string) []string {
	var set []string
	for _, k := range ConfigVars {
		if strings.TrimSpace(getenv(k)) != "" && !slices.Contains(set, k) {
			set = append(set, k)
		}
	}
	return set
}

// ListenDev opens addr for a dev mode, which trusts self-minted tokens: it
// refuses before binding anything unless addr is loopback
// (CheckLoopbackAddr; an empty host or 0.0.0.0 would expose it), then
// checks what was actually bound ("localhost" could resolve to anything).
func ListenDev(addr string) (net.Listener, error) {
	if err := CheckLoopbackAddr(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("%w: %s resolved to %s; %s", ErrDevModeNotLoopback, addr, ln.Addr(), devHint)
	}
	return ln, nil
}

func startReal(cfg Config, addr string, set []string) (*App, error) {
	a, err := core.NewFromEnv(core.WithLogger(cfg.Logger))
	if err != nil {
		return nil, fmt.Errorf("clerk configuration (%v): %w", set, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	app := &App{Authorizer: a, Listener: ln, Logger: cfg.Logger}
	cfg.Logger.Info("using the configured Clerk instance", "example", cfg.Name, "from", set, "listen", app.BaseURL())
	fmt.Fprintf(cfg.Stdout, "clerkguard example (%s) listening on %s\n", cfg.Name, app.BaseURL())
	return app, nil
}

func startDev(cfg Config, addr string) (*App, error) {
	ln, err := ListenDev(addr)
	if err != nil {
		return nil, err
	}
	dev, err := NewDevIssuer()
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("dev issuer: %w", err)
	}
	a, err := newDevAuthorizer(dev, core.WithLogger(cfg.Logger))
	if err != nil {
		ln.Close()
		dev.Close()
		return nil, fmt.Errorf("dev authorizer: %w", err)
	}
	app := &App{Authorizer: a, Listener: ln, Dev: dev, Logger: cfg.Logger}
	cfg.Logger.Warn("DEV MODE: no CLERK_* variable is set, so this server trusts tokens from an in-process dev issuer with a throwaway key; never run it like this in production",
		"example", cfg.Name, "listen", app.BaseURL(), "dev_jwks", dev.JWKSURL())
	fmt.Fprintf(cfg.Stdout, "clerkguard example (%s) listening on %s\n", cfg.Name, app.BaseURL())
	if err := printDevCommands(cfg.Stdout, app.BaseURL(), dev, cfg.Tour); err != nil {
		app.Close()
		return nil, err
	}
	return app, nil
}

const devHint = "set ADDR to a loopback address such as 127.0.0.1:8080, or configure a real Clerk instance with CLERK_SECRET_KEY, CLERK_JWT_KEY or CLERK_JWKS_URL"

// CheckLoopbackAddr accepts host:port whose host is a loopback IP or
// "localhost" (IsLoopbackAddr), and says why it refuses any other.
func CheckLoopbackAddr(addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("%s %q: %w", EnvAddr, addr, err)
	}
	if IsLoopbackAddr(addr) {
		return nil
	}
	return fmt.Errorf("%w: refusing to listen on %q; %s", ErrDevModeNotLoopback, addr, devHint)
}

// IsLoopbackAddr reports whether addr is host:port with a loopback IP or
// "localhost" as its host: the only addresses a dev mode may listen on
// (clerktest.CheckListenAddr, the dev issuer's own rule).
func IsLoopbackAddr(addr string) bool { return clerktest.CheckListenAddr(addr) == nil }

// BaseURL is the URL the server answers on, e.g. http://127.0.0.1:8080.
func (a *App) BaseURL() string {
	return "http://" + a.Listener.Addr().String()
}

// Close stops the dev issuer, if any. The listener belongs to the server
// serving on it.
func (a *App) Close() {
	if a.Dev != nil {
		a.Dev.Close()
	}
}

// newDevAuthorizer is the dev mode's Authorizer: it trusts d only.
func newDevAuthorizer(d *DevIssuer, opts ...core.Option) (*core.Authorizer, error) {
	return core.New(append(d.AuthorizerOptions(), opts...)...)
}
