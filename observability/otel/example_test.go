package clerkotel_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	clerkotel "github.com/clerkguard/clerkguard/observability/otel"
)

// An Authorizer reporting to an OpenTelemetry MeterProvider (here one read
// by hand; in production a Prometheus exporter or an OTLP PeriodicReader).
func ExampleNew() {
	iss, err := clerktest.NewIssuer() // a fake Clerk instance
	if err != nil {
		panic(err)
	}
	defer iss.Close()

	reader := sdkmetric.NewManualReader()
	inst, err := clerkotel.New(clerkotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))))
	if err != nil {
		panic(err)
	}
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithEvents(inst.Observer()))...)
	if err != nil {
		panic(err)
	}

	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+iss.Mint(clerktest.Session{}))
	for range 3 {
		_, _ = a.AuthenticateHTTP(r)
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		panic(err)
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if sum, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == "clerkguard.auth.requests" {
			for _, p := range sum.DataPoints {
				hit, _ := p.Attributes.Value(clerkotel.AttrCacheHit)
				fmt.Printf("%s cache.hit=%v: %d\n", m.Name, hit.AsBool(), p.Value)
			}
		}
	}
	// Unordered output:
	// clerkguard.auth.requests cache.hit=false: 1
	// clerkguard.auth.requests cache.hit=true: 2
}
