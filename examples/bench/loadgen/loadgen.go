// Package loadgen is a small, bounded HTTP load generator in the manner of
// wrk: a fixed number of keep-alive clients send the same GET request in a
// loop for a fixed duration, and the run reports how many requests
// completed. It exists so that the clerkguard peer benchmarks need nothing
// installed beyond Go.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds on a run, so a typo cannot start an unbounded load.
const (
	MaxConcurrency = 1024
	MaxDuration    = 10 * time.Minute
)

// Config describes one run.
type Config struct {
	// URL is requested with GET by every client.
	URL string
	// Header is sent with every request (for example Authorization).
	Header http.Header
	// Concurrency is the number of clients, each with its own keep-alive
	// connection: 1 to MaxConcurrency.
	Concurrency int
	// Duration bounds the run: more than 0, at most MaxDuration.
	Duration time.Duration
	// WantStatus is the status a request must get to count as a success;
	// 0 means 200.
	WantStatus int
}

// Result is the outcome of a run.
type Result struct {
	// Requests is the number of requests answered with the wanted status.
	Requests int64
	// Errors counts transport errors and unexpected statuses (requests cut
	// short by the end of the run are not counted at all).
	Errors int64
	// Elapsed is the measured time, from the first request to the end of
	// the run.
	Elapsed time.Duration
}

// PerSecond is the rate of successful requests.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// ErrConfig is wrapped by the error Run returns for an invalid Config.
var ErrConfig = errors.New("loadgen: invalid config")

func (c *Config) validate() error {
	switch {
	case c.URL == "":
		return fmt.Errorf("%w: no URL", ErrConfig)
	case c.Concurrency < 1 || c.Concurrency > MaxConcurrency:
		return fmt.Errorf("%w: concurrency %d not in [1, %d]", ErrConfig, c.Concurrency, MaxConcurrency)
	case c.Duration <= 0 || c.Duration > MaxDuration:
		return fmt.Errorf("%w: duration %v not in (0, %v]", ErrConfig, c.Duration, MaxDuration)
	}
	if c.WantStatus == 0 {
		c.WantStatus = http.StatusOK
	}
	return nil
}

// Run drives cfg.URL with cfg.Concurrency clients for cfg.Duration (less
// if ctx ends first) and returns the counts. It returns an error only for an
// invalid Config or a URL that does not make a request.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.validate(); err != nil {
		return Result{}, err
	}
	probe, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.URL, nil)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	tr := &http.Transport{
		MaxIdleConns:        cfg.Concurrency,
		MaxIdleConnsPerHost: cfg.Concurrency,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	// The deadline counts from start, so Elapsed is never shorter than
	// Duration (a timeout taken first ended a few µs before it).
	start := time.Now()
	runCtx, cancel := context.WithDeadline(ctx, start.Add(cfg.Duration))
	defer cancel()
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := probe.Clone(runCtx)
			for k, v := range cfg.Header {
				req.Header[k] = v
			}
			for runCtx.Err() == nil {
				good, err := do(client, req, cfg.WantStatus)
				switch {
				case runCtx.Err() != nil:
					// Cut short by the end of the run: not counted.
				case err != nil || !good:
					failed.Add(1)
				default:
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return Result{Requests: ok.Load(), Errors: failed.Load(), Elapsed: time.Since(start)}, nil
}

// do sends req (reused: it has no body and the response is fully read and
// closed before the next send) and reports whether the status was want.
func do(c *http.Client, req *http.Request, want int) (bool, error) {
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	return resp.StatusCode == want, err
}
