// Command usersync keeps users, organizations and organization_memberships
// tables in sync with Clerk through webhooks.
//
// Environment:
//
//	CLERK_WEBHOOK_SIGNING_SECRET  the endpoint's signing secret (whsec_…), required
//	DATABASE_URL                  PostgreSQL URL (postgres://…); when unset (or sqlite:PATH), SQLite is used
//	SQLITE_PATH                   SQLite file (default usersync.db)
//	ADDR                          listen address (default ":"+PORT, else :8080)
//	PORT                          listen port, when ADDR is unset
//
// Point a Clerk webhook endpoint at POST /webhooks/clerk and subscribe it to
// user.*, organization.* and organizationMembership.* events. GET /healthz
// answers 200 when the database answers.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/clerkguard/clerkguard/webhooks"
	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver, PostgreSQL
	_ "modernc.org/sqlite"             // "sqlite" driver, pure Go
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
	db      *sql.DB
	store   *Store
	handler http.Handler
}

// newApp opens the database, migrates it and builds the HTTP handler.
func newApp(ctx context.Context, getenv func(string) string, log *slog.Logger, opts ...webhooks.VerifierOption) (*app, error) {
	v, err := webhooks.NewVerifier(getenv("CLERK_WEBHOOK_SIGNING_SECRET"), opts...)
	if err != nil {
		return nil, fmt.Errorf("CLERK_WEBHOOK_SIGNING_SECRET: %w", err)
	}
	db, postgres, err := openDB(getenv)
	if err != nil {
		return nil, err
	}
	store := NewStore(db, postgres)
	if err := store.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	dialect := webhooks.DialectSQLite
	if postgres {
		dialect = webhooks.DialectPostgres
	}
	dedup, err := webhooks.NewSQLDeduplicator(db, webhooks.WithDialect(dialect))
	if err == nil {
		err = dedup.EnsureSchema(ctx)
	}
	var hooks *webhooks.Mux
	if err == nil {
		hooks, err = newWebhookHandler(v, store, dedup, log)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/clerk", hooks)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := db.PingContext(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	return &app{db: db, store: store, handler: mux}, nil
}

// openDB opens PostgreSQL when DATABASE_URL is set, else SQLite
// (SQLITE_PATH). A DATABASE_URL of the form sqlite:PATH or sqlite://PATH
// also selects SQLite.
func openDB(getenv func(string) string) (*sql.DB, bool, error) {
	path := getenv("SQLITE_PATH")
	if url := getenv("DATABASE_URL"); url != "" {
		p, isSQLite := strings.CutPrefix(url, "sqlite:")
		if !isSQLite {
			db, err := sql.Open("pgx", url)
			if err != nil {
				return nil, false, fmt.Errorf("DATABASE_URL: %w", err)
			}
			return db, true, nil
		}
		path = strings.TrimPrefix(p, "//")
	}
	if path == "" {
		path = "usersync.db"
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, false, err
	}
	return db, false, nil
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
	a, err := newApp(ctx, getenv, log)
	if err != nil {
		return err
	}
	defer a.db.Close()
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
