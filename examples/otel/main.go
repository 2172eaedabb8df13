// Command otel is the README's Observability example: an API authenticated
// by clerkguard whose metrics Prometheus scrapes from /metrics, through the
// OpenTelemetry Prometheus exporter.
package main

import (
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
	clerkotel "github.com/clerkguard/clerkguard/observability/otel"
)

func main() {
	reg, events, err := Metrics()
	if err != nil {
		log.Fatal(err)
	}
	// CLERK_SECRET_KEY, … (see Configuration); JWKS and Backend API calls traced.
	a, err := core.NewFromEnv(events, core.WithHTTPClient(TracedClient()))
	if err != nil {
		log.Fatal(err)
	}
	// otelhttp.NewHandler starts the request span clerkotel annotates.
	log.Fatal(http.ListenAndServe(":8080", otelhttp.NewHandler(NewServer(a, reg), "api")))
}

// TracedClient is the HTTP client of the Authorizer: each call to Clerk is a
// client span, child of the request that made it.
func TracedClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: otelhttp.NewTransport(http.DefaultTransport)}
}

// Metrics returns a Prometheus registry holding clerkguard's metrics and
// the option that makes an Authorizer report them.
func Metrics() (*prometheus.Registry, core.Option, error) {
	reg := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(reg))
	if err != nil {
		return nil, nil, err
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	inst, err := clerkotel.New(clerkotel.WithMeterProvider(provider))
	if err != nil {
		return nil, nil, err
	}
	return reg, core.WithEvents(inst.Observer()), nil
}

// NewServer is the application, plus /metrics for Prometheus.
func NewServer(a *core.Authorizer, reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	me := clerkchi.RequireAuth()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := clerkchi.ClaimsFrom(r.Context())
		fmt.Fprintln(w, c.UserID())
	}))
	mux.Handle("GET /me", clerkchi.Middleware(a)(me))
	return mux
}
