package clerkotel

import (
	"errors"

	"go.opentelemetry.io/otel/metric"
)

// Option configures New. Options are validated by New.
type Option func(*config) error

type config struct {
	meterProvider metric.MeterProvider
	userIDs       bool
}

// WithMeterProvider sets the MeterProvider the instruments are created
// with (default: otel.GetMeterProvider(), the global one, as it is when New
// runs). A nil provider is an error.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) error {
		if mp == nil {
			return errors.New("clerkotel: WithMeterProvider: the MeterProvider is nil")
		}
		c.meterProvider = mp
		return nil
	}
}

// WithUserIDs adds the user ID (user.id: the subject of a session or an
// OAuth token, the owner of a machine token) and the active organization ID
// (clerkguard.org.id) of signed-in requests to their span. They are personal
// data, so they are off by default; they never go into metrics.
func WithUserIDs() Option {
	return func(c *config) error {
		c.userIDs = true
		return nil
	}
}
