package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/usersync"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL (DATABASE_URL postgres://…)
	_ "modernc.org/sqlite"             // SQLite (DATABASE_URL a path)
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "usersync-backfill:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("usersync-backfill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pageSize := fs.Int("page-size", usersync.DefaultPageSize, "objects per Backend API page (at most 500)")
	timeout := fs.Duration("timeout", usersync.DefaultBackendTimeout, "bound of each Backend API call")
	restart := fs.Bool("restart", false, "forget earlier progress and read everything again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key := getenv("CLERK_SECRET_KEY")
	if key == "" {
		return errors.New("CLERK_SECRET_KEY is not set")
	}
	cfg := &clerk.ClientConfig{BackendConfig: clerk.BackendConfig{Key: clerk.String(key)}}
	if u := strings.TrimSpace(getenv("CLERK_API_URL")); u != "" { // as core reads it: without /v1
		cfg.URL = clerk.String(strings.TrimSuffix(u, "/") + "/v1")
	}
	store, err := usersync.Open(ctx, getenv("DATABASE_URL"), usersync.WithTablePrefix(getenv("USERSYNC_TABLE_PREFIX")))
	if err != nil {
		return err
	}
	defer store.Close()
	opts := []usersync.BackfillOption{
		usersync.WithBackfillClientConfig(cfg), usersync.WithPageSize(*pageSize), usersync.WithPageTimeout(*timeout),
		usersync.WithBackfillLogger(slog.New(slog.NewTextHandler(stderr, nil))),
	}
	if *restart {
		opts = append(opts, usersync.WithRestart())
	}
	st, err := usersync.Backfill(ctx, store, opts...)
	fmt.Fprintf(stdout, "users %d, organizations %d, memberships %d, pages %d\n", st.Users, st.Organizations, st.Memberships, st.Pages)
	if err != nil {
		return fmt.Errorf("%w (run again to resume)", err)
	}
	return nil
}
