package usersync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerkguard/clerkguard/core"
)

// ProvisionOption configures NewProvisioner. A bad value is an error from
// NewProvisioner.
type ProvisionOption func(*provisionConfig) error

type provisionConfig struct {
	client      *clerk.ClientConfig
	timeout     time.Duration
	concurrent  int
	negativeTTL time.Duration
	onError     func(ctx context.Context, c *core.Claims, err error) error
	logger      *slog.Logger
}

// WithClientConfig sets the clerk-sdk-go configuration of the Backend API
// calls: the secret key (Key), the API URL (URL, default
// "https://api.clerk.com") and the HTTP client. The URL is the base URL, as
// CLERK_API_URL and core.WithAPIURL take it; "/v1" is added when it does
// not end with it, so both spellings work. Nil keeps clerk-sdk-go's
// defaults (the key given to clerk.SetKey).
func WithClientConfig(cfg *clerk.ClientConfig) ProvisionOption {
	return func(c *provisionConfig) error {
		if cfg != nil {
			cp := *cfg
			c.client = &cp
		}
		return nil
	}
}

// WithBackendTimeout bounds each Backend API call (default
// DefaultBackendTimeout), within the request's own context. Zero keeps the
// default; negative is an error.
func WithBackendTimeout(d time.Duration) ProvisionOption {
	return func(c *provisionConfig) error {
		if d < 0 {
			return errors.New("usersync: WithBackendTimeout: negative duration")
		}
		if d > 0 {
			c.timeout = d
		}
		return nil
	}
}

// WithOnError decides what a failed provisioning does to the request. fn
// gets the request's context, its claims and the error (which matches
// ErrBackend, ErrNotFound, ErrDeleted or a database error); returning nil
// lets the request through signed in (fail open), returning an error signs
// it out with that error: a *core.Error keeps its reason, anything else is
// answered 503 (core.ReasonUnexpectedError). The default fails closed:
// core.PermanentFailure(err) (401 identity-not-found) for ErrNotFound and
// ErrDeleted, err itself (503) for the rest. Nil is an error.
func WithOnError(fn func(ctx context.Context, c *core.Claims, err error) error) ProvisionOption {
	return func(c *provisionConfig) error {
		if fn == nil {
			return errors.New("usersync: WithOnError: nil function")
		}
		c.onError = fn
		return nil
	}
}

// WithFailOpen lets requests through when provisioning fails (after
// logging it): WithOnError with a function that returns nil. The local row
// may then be missing for the handler; the next fresh token tries again.
func WithFailOpen() ProvisionOption {
	return WithOnError(func(context.Context, *core.Claims, error) error { return nil })
}

// WithLogger sets the logger of provisioning failures (default
// slog.Default()). Records carry the user and organization ids and the kind
// of failure, never tokens or Backend API bodies. Nil keeps the default.
func WithLogger(l *slog.Logger) ProvisionOption {
	return func(c *provisionConfig) error {
		if l != nil {
			c.logger = l
		}
		return nil
	}
}

// WithMaxConcurrent sets how many provisioning runs (and so Backend API
// calls and database connections) the Provisioner makes at once (default
// DefaultMaxConcurrent); further fresh tokens wait for a slot within their
// request's context. Zero keeps the default; negative or above 1000 is an
// error.
func WithMaxConcurrent(n int) ProvisionOption {
	return func(c *provisionConfig) error {
		if n < 0 || n > 1000 {
			return fmt.Errorf("usersync: WithMaxConcurrent %d: want 1 to 1000", n)
		}
		if n > 0 {
			c.concurrent = n
		}
		return nil
	}
}

// WithNegativeTTL sets how long a permanent failure is remembered (default
// DefaultNegativeTTL, at most MaxNegativeEntries objects): a user,
// organization or membership the Backend API answered 404 for, or a local
// tombstone. Its tokens are refused from memory (401 identity-not-found)
// and it is logged once per TTL. Zero keeps the default; negative or above
// one hour is an error.
func WithNegativeTTL(d time.Duration) ProvisionOption {
	return func(c *provisionConfig) error {
		if d < 0 || d > time.Hour {
			return fmt.Errorf("usersync: WithNegativeTTL %v: want 0 to 1h", d)
		}
		if d > 0 {
			c.negativeTTL = d
		}
		return nil
	}
}
