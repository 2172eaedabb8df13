// Command usersync keeps users, organizations and organization_memberships
// tables in sync with Clerk, on the usersync library: webhooks, just-in-time
// provisioning of signed-in users, and a GET /me that reads the local row.
//
// Environment:
//
//	CLERK_WEBHOOK_SIGNING_SECRET  the endpoint's signing secret (whsec_…), required
//	CLERK_SECRET_KEY              the instance's secret key: verifies session tokens
//	                              (with the other CLERK_* variables core reads) and
//	                              fetches users missing locally from the Backend API
//	DATABASE_URL                  PostgreSQL URL (postgres://…); when unset (or sqlite:PATH), SQLite is used
//	SQLITE_PATH                   SQLite file (default usersync.db)
//	ADDR                          listen address (default ":"+PORT, else :8080)
//	PORT                          listen port, when ADDR is unset
//	USERSYNC_DEV                  1: dev mode, no Clerk account needed: an in-process
//	                              stand-in for Clerk (clerktest's Issuer and fake Backend
//	                              API, sample users user_1 and user_2) replaces the CLERK_*
//	                              variables; GET /dev/token?user=user_1 mints a session token
//
// Point a Clerk webhook endpoint at POST /webhooks/clerk and subscribe it to
// user.*, organization.* and organizationMembership.* events. GET /me
// answers the signed-in user's local row (provisioned on their first
// request when the webhook has not arrived yet). GET /healthz answers 200
// when the database answers. Import existing users once with
// usersync-backfill (github.com/clerkguard/clerkguard/usersync/cmd/usersync-backfill).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/usersync"
	"github.com/clerkguard/clerkguard/webhooks"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, for a postgres:// DATABASE_URL
	_ "modernc.org/sqlite"             // SQLite, for a path
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, log); err != nil {
		log.Error("usersync stopped", "error", err)
		os.Exit(1)
	}
}

// app is the service without its listener, for tests.
type app struct {
	store   *usersync.Store
	handler http.Handler
}

// options lets tests point the program at a fake Clerk.
type options struct {
	verifier []webhooks.VerifierOption
	core     []core.Option
	extra    func(chi.Router) // more routes (dev mode)
}

// newApp opens and migrates the database and builds the HTTP handler.
func newApp(ctx context.Context, getenv func(string) string, log *slog.Logger, o options) (*app, error) {
	v, err := webhooks.NewVerifier(getenv("CLERK_WEBHOOK_SIGNING_SECRET"), o.verifier...)
	if err != nil {
		return nil, fmt.Errorf("CLERK_WEBHOOK_SIGNING_SECRET: %w", err)
	}
	store, err := usersync.Open(ctx, databaseURL(getenv))
	if err != nil {
		return nil, err
	}
	hooks, err := store.WebhookHandler(v, webhooks.WithLogger(log))
	if err == nil {
		var a *core.Authorizer
		if a, err = authorizer(store, getenv, log, o.core); err == nil {
			return &app{store: store, handler: routes(store, hooks, a, o.extra)}, nil
		}
	}
	store.Close()
	return nil, err
}

// authorizer verifies session tokens (core's CLERK_* variables) and
// provisions their users just in time: the one usersync line is
// prov.Option().
func authorizer(store *usersync.Store, getenv func(string) string, log *slog.Logger, extra []core.Option) (*core.Authorizer, error) {
	cfg, err := usersync.ClientConfigFromEnv(getenv) // CLERK_SECRET_KEY, CLERK_API_URL: as core reads them
	if err != nil {
		return nil, err
	}
	prov, err := usersync.NewProvisioner(store, usersync.WithClientConfig(cfg), usersync.WithLogger(log))
	if err != nil {
		return nil, err
	}
	opts := append(core.OptionsFromEnv(getenv), core.WithLogger(log), prov.Option())
	return core.New(append(opts, extra...)...)
}

func routes(store *usersync.Store, hooks http.Handler, a *core.Authorizer, extra func(chi.Router)) http.Handler {
	r := chi.NewRouter()
	if extra != nil {
		extra(r)
	}
	r.Method(http.MethodPost, "/webhooks/clerk", hooks)
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := store.DB().PingContext(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	r.With(clerkchi.Middleware(a), clerkchi.RequireAuth()).Get("/me", func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		u, err := store.User(r.Context(), c.UserID())
		if err != nil {
			http.Error(w, "user not available", http.StatusServiceUnavailable)
			return
		}
		memberships, err := store.Memberships(r.Context(), u.ID)
		if err != nil {
			http.Error(w, "memberships not available", http.StatusServiceUnavailable)
			return
		}
		orgs := []string{}
		for _, m := range memberships {
			orgs = append(orgs, m.OrganizationID)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": u.ID, "email": u.PrimaryEmail, "first_name": u.FirstName, "last_name": u.LastName,
			"public_metadata": u.PublicMetadata, "organizations": orgs,
		})
	})
	return r
}

// databaseURL is DATABASE_URL, else SQLITE_PATH, else usersync.db.
func databaseURL(getenv func(string) string) string {
	if u := getenv("DATABASE_URL"); u != "" {
		return u
	}
	if p := getenv("SQLITE_PATH"); p != "" {
		return p
	}
	return "usersync.db"
}

// listenAddr is ADDR, else ":"+PORT, else ":8080".
func listenAddr(getenv func(string) string) string {
	if addr := getenv("ADDR"); addr != "" {
		return addr
	}
	if port := getenv("PORT"); port != "" {
		return ":" + port
	}
	return ":8080"
}

func run(ctx context.Context, getenv func(string) string, log *slog.Logger) error {
	var o options
	if getenv("USERSYNC_DEV") == "1" {
		d, err := startDev()
		if err != nil {
			return err
		}
		defer d.Close()
		getenv, o.core, o.extra = d.getenv(getenv), d.iss.AuthorizerOptions(), d.routes
		log.Warn("usersync: dev mode: a stand-in for Clerk with sample users user_1 and user_2; GET /dev/token?user=user_1 mints a session token")
	}
	a, err := newApp(ctx, getenv, log, o)
	if err != nil {
		return err
	}
	defer a.store.Close()
	addr := listenAddr(getenv)
	srv := &http.Server{Addr: addr, Handler: a.handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("usersync listening", "addr", addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
