package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

// devMain runs dev until the process is interrupted (Ctrl-C) or terminated.
func (c *cli) devMain(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return c.dev(ctx, args)
}

// dev starts a local dev issuer (its JWKS on 127.0.0.1), prints the export
// lines that point an app at it and one token, then serves until ctx ends.
func (c *cli) dev(ctx context.Context, args []string) int {
	base, listen := "", ""
	id, err := parseIdentityArgs("dev", args, c.stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&base, "app", "http://127.0.0.1:8080", "base URL of your app, for the printed curl command")
		fs.StringVar(&listen, "listen", "", "loopback address to serve the JWKS on, e.g. 127.0.0.1:7788, so CLERK_JWKS_URL stays the same across restarts (default: a random port)")
	})
	if err == nil && listen != "" {
		if lerr := clerktest.CheckListenAddr(listen); lerr != nil {
			err = fmt.Errorf("-listen %w", lerr)
		}
	}
	if err != nil {
		return c.usageError("dev", err)
	}
	dev, err := id.devIssuer(true, listen)
	if err != nil {
		return c.usageError("dev", err)
	}
	defer dev.Close()
	expires := c.now().Add(id.ttl).UTC().Truncate(time.Second)
	fmt.Fprintf(c.stdout, "# clerkguard dev: a local Clerk stand-in, its JWKS on %s (loopback only). NEVER configure a production service with these lines.\n", dev.JWKSURL())
	fmt.Fprintln(c.stdout, "# In the shell that starts your app (core.NewFromEnv reads them):")
	for _, kv := range dev.Env() {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(c.stdout, "export %s=%s\n", k, shellQuote(v))
	}
	fmt.Fprintf(c.stdout, "# In the shell you curl from: a token for %s, valid until %s:\n", id.describe(), expires.Format(time.RFC3339))
	fmt.Fprintf(c.stdout, "export CLERK_DEV_TOKEN=%s\n", shellQuote(id.token(dev)))
	fmt.Fprintf(c.stdout, "# curl -H \"Authorization: Bearer $CLERK_DEV_TOKEN\" %s/\n", strings.TrimSuffix(base, "/"))
	if id.keyFile != "" {
		fmt.Fprintf(c.stdout, "# More tokens, from any shell: clerkguard mint -key %s -org org_dev -role admin -perm org:invoices:create\n", shellQuote(id.keyFile))
	} else {
		fmt.Fprintln(c.stdout, "# The key lives in memory and dies with this process; start with -key dev.pem to keep it and mint more tokens with clerkguard mint -key dev.pem.")
	}
	fmt.Fprintln(c.stdout, "# Serving until Ctrl-C.")
	<-ctx.Done()
	return exitOK
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// characters that need no quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/@%+,=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
