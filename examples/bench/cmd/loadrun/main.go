// Command loadrun is the loopback load run of the clerkguard peer
// benchmarks: it serves the same trivial handler on 127.0.0.1 without
// authentication, behind clerkguard (clerkchi, with and without its
// verified-token cache), behind clerk-sdk-go and behind go-jwt-middleware,
// drives each server in turn with keep-alive clients for a fixed duration,
// all presenting the same session token, and prints requests per second,
// the ratio to the unauthenticated server and clerkguard's ratio to each
// contestant. The targets run one after another, -rounds times over
// (interleaved, so a noisy neighbour hurts every target alike), and the
// median rate of each target is reported:
//
//	go run ./cmd/loadrun -d 5s -c 32 -rounds 3
//
// Server and clients share the machine (and this process), as with wrk on
// localhost: the numbers compare the contestants with each other, not with
// a production deployment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/examples/bench"
	"github.com/clerkguard/clerkguard/examples/bench/loadgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadrun:", err)
		os.Exit(1)
	}
}

// targetNames lists the contestants in the order they run.
var targetNames = []string{"no-auth", "clerkguard-chi", "clerkguard-chi-nocache", "clerk-sdk-go", "auth0"}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadrun", flag.ContinueOnError)
	fs.SetOutput(out)
	d := fs.Duration("d", 5*time.Second, "duration of the run against each target")
	c := fs.Int("c", 32, "concurrent keep-alive clients")
	rounds := fs.Int("rounds", 3, "rounds; each runs every target once, and the median rate per target is reported")
	only := fs.String("targets", strings.Join(targetNames, ","), "comma-separated targets to run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rounds < 1 {
		return errors.New("-rounds must be at least 1")
	}
	var names []string
	for _, n := range strings.Split(*only, ",") {
		if !slices.Contains(targetNames, n) {
			return fmt.Errorf("unknown target %q (known: %s)", n, strings.Join(targetNames, ", "))
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}

	env, err := bench.NewEnv()
	if err != nil {
		return err
	}
	defer env.Close()
	handlers, err := build(env)
	if err != nil {
		return err
	}

	servers := make(map[string]string, len(names))
	header := http.Header{"Authorization": {"Bearer " + env.UserToken}}
	for _, name := range names {
		url, stop, err := serve(ctx, handlers[name], header)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer stop()
		servers[name] = url
	}

	fmt.Fprintf(out, "loadrun: %d round(s) of %v per target, %d keep-alive clients, GOMAXPROCS=%d, %s, server and clients in one process on 127.0.0.1\n",
		*rounds, *d, *c, runtime.GOMAXPROCS(0), runtime.Version())
	rates := make(map[string][]float64, len(names))
	requests, errs := map[string]int64{}, map[string]int64{}
	for range *rounds {
		for _, name := range names {
			runtime.GC()
			res, err := loadgen.Run(ctx, loadgen.Config{URL: servers[name], Header: header, Concurrency: *c, Duration: *d})
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			rates[name] = append(rates[name], res.PerSecond())
			requests[name] += res.Requests
			errs[name] += res.Errors
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\trequests\terrors\tmedian req/s\tmin\tmax\tvs no-auth\tclerkguard-chi ÷ target\t")
	ratioTo := func(num, den string) string {
		if len(rates[num]) == 0 || len(rates[den]) == 0 || median(rates[den]) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f", median(rates[num])/median(rates[den]))
	}
	var failed []string
	for _, name := range names {
		r := rates[name]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.0f\t%.0f\t%s\t%s\t\n", name, requests[name], errs[name],
			median(r), slices.Min(r), slices.Max(r), ratioTo(name, "no-auth"), ratioTo("clerkguard-chi", name))
		if errs[name] > 0 || requests[name] == 0 {
			failed = append(failed, name)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(failed) > 0 {
		return fmt.Errorf("requests failed against %s", strings.Join(failed, ", "))
	}
	return nil
}

// median of a non-empty slice.
func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func build(env *bench.Env) (map[string]http.Handler, error) {
	cg, err := env.Clerkguard("")
	if err != nil {
		return nil, err
	}
	cgFresh, err := env.Clerkguard("", core.WithTokenCache(0))
	if err != nil {
		return nil, err
	}
	a0, err := env.Auth0("")
	if err != nil {
		return nil, err
	}
	return map[string]http.Handler{
		"no-auth":                bench.NoAuth(),
		"clerkguard-chi":         cg,
		"clerkguard-chi-nocache": cgFresh,
		"clerk-sdk-go":           env.ClerkSDK(""),
		"auth0":                  a0,
	}, nil
}

// serve serves h on a fresh loopback listener and checks one warm-up
// request (which also loads the keys); stop shuts the server down.
func serve(ctx context.Context, h http.Handler, header http.Header) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	url = "http://" + ln.Addr().String() + "/me"
	if err := warmUp(ctx, url, header); err != nil {
		_ = srv.Close()
		return "", nil, err
	}
	return url, func() { _ = srv.Close() }, nil
}

func warmUp(ctx context.Context, url string, header http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header = header.Clone()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errors.New("warm-up request answered " + resp.Status)
	}
	client.CloseIdleConnections()
	return nil
}
