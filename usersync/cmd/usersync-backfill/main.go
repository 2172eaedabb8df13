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
	"syscall"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/usersync"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL (DATABASE_URL postgres://…)
	_ "modernc.org/sqlite"             // SQLite (DATABASE_URL a path)
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "usersync-backfill:", err)
		os.Exit(1)
	}
}

const usage = `usage: usersync-backfill [-page-size N] [-timeout D] [-restart]

Imports every user, organization and organization membership of a Clerk
instance into the usersync tables through the Backend API. An interrupted
run resumes where it stopped; a finished one does nothing until -restart.

Environment:
  ` + core.EnvSecretKey + `        the instance's secret key (sk_...), required
  ` + core.EnvAPIURL + `           Backend API base URL without /v1 (default https://api.clerk.com)
  ` + usersync.EnvDatabaseURL + `            postgres://... for PostgreSQL, else a SQLite path
                          (sqlite:PATH allowed; default usersync.db)
  ` + usersync.EnvTablePrefix + `   table prefix (default clerk_)

Flags:
`

// run is the command; flag.ErrHelp means -h was asked for (usage printed on
// stdout, exit 0).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("usersync-backfill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pageSize := fs.Int("page-size", usersync.DefaultPageSize, "objects per Backend API page (at most 500)")
	timeout := fs.Duration("timeout", usersync.DefaultBackendTimeout, "bound of each Backend API call")
	restart := fs.Bool("restart", false, "forget earlier progress and read everything again")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fs.SetOutput(stdout)
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := usersync.ClientConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	store, err := usersync.Open(ctx, getenv(usersync.EnvDatabaseURL), usersync.WithTablePrefix(getenv(usersync.EnvTablePrefix)))
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
	if err == nil && st.Pages == 0 {
		fmt.Fprintln(stdout, "already complete: nothing to import (run with -restart to read everything again)")
		return nil
	}
	fmt.Fprintf(stdout, "users %d, organizations %d, memberships %d, pages %d\n", st.Users, st.Organizations, st.Memberships, st.Pages)
	if usersync.Resumable(err) {
		return fmt.Errorf("%w (run again to resume)", err)
	}
	return err
}
