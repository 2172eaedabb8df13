package usersync

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
)

// BackfillOption configures Backfill. A bad value is an error from Backfill.
type BackfillOption func(*backfillConfig) error

type backfillConfig struct {
	client   *clerk.ClientConfig
	pageSize int64
	timeout  time.Duration
	restart  bool
	logger   *slog.Logger
}

// DefaultPageSize is the number of objects Backfill asks for per Backend API
// page (Clerk's maximum is 500).
const DefaultPageSize = 100

// WithBackfillClientConfig sets the clerk-sdk-go configuration of the
// Backend API calls (see WithClientConfig: the URL is the base URL, "/v1"
// added when missing; ClientConfigFromEnv builds it from CLERK_SECRET_KEY
// and CLERK_API_URL). Calls are bounded like the Provisioner's: at most
// DefaultMaxConcurrent at once, 429s waited out within MaxRetryAfter. Nil
// keeps clerk-sdk-go's defaults.
func WithBackfillClientConfig(cfg *clerk.ClientConfig) BackfillOption {
	return func(c *backfillConfig) error {
		if cfg != nil {
			cp := *cfg
			c.client = &cp
		}
		return nil
	}
}

// WithPageSize sets how many objects each page asks for (default
// DefaultPageSize, at most 500). Zero keeps the default.
func WithPageSize(n int) BackfillOption {
	return func(c *backfillConfig) error {
		if n < 0 || n > 500 {
			return fmt.Errorf("usersync: WithPageSize %d: want 1 to 500", n)
		}
		if n > 0 {
			c.pageSize = int64(n)
		}
		return nil
	}
}

// WithPageTimeout bounds each Backend API call of the backfill (default
// DefaultBackendTimeout). Zero keeps the default; negative is an error.
func WithPageTimeout(d time.Duration) BackfillOption {
	return func(c *backfillConfig) error {
		if d < 0 {
			return errors.New("usersync: WithPageTimeout: negative duration")
		}
		if d > 0 {
			c.timeout = d
		}
		return nil
	}
}

// WithRestart forgets the progress of earlier runs, so the backfill reads
// everything again from the first page.
func WithRestart() BackfillOption {
	return func(c *backfillConfig) error { c.restart = true; return nil }
}

// WithBackfillLogger sets the logger of progress records, one per page
// (default slog.Default()). Nil keeps the default.
func WithBackfillLogger(l *slog.Logger) BackfillOption {
	return func(c *backfillConfig) error {
		if l != nil {
			c.logger = l
		}
		return nil
	}
}
