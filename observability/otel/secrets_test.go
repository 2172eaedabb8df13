package clerkotel_test

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	clerkotel "github.com/clerkguard/clerkguard/observability/otel"
)

// values returns every attribute value the telemetry recorded: metric data
// points, span attributes and span event attributes.
func (tel *telemetry) values(t testing.TB) []string {
	t.Helper()
	var out []string
	add := func(kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			out = append(out, string(kv.Key)+"="+kv.Value.String())
		}
	}
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					add(p.Attributes.ToSlice())
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					add(p.Attributes.ToSlice())
				}
			}
		}
	}
	for _, s := range tel.spans.Ended() {
		add(s.Attributes())
		for _, ev := range s.Events() {
			add(ev.Attributes)
		}
	}
	return out
}

// secretParts are the strings no attribute may contain: the token, each of
// its dot-separated parts long enough to identify it (a JWT's signature and
// payload), and each secret.
func secretParts(token string, secrets []string) []string {
	parts := append([]string{token}, secrets...)
	for _, p := range strings.Split(token, ".") {
		if len(p) >= 16 {
			parts = append(parts, p)
		}
	}
	return parts
}

// behaviour.md §13.2, as a property over every token of the conformance
// tables (accepted and refused, session and machine): whatever the
// outcome, no metric attribute, span attribute or span event attribute
// holds the token, a part of it, or a secret key, even with WithUserIDs.
func TestNoTokenOrSecretInAttributes(t *testing.T) {
	fx := conformance.TokenCases(t)
	guards := []core.Guard{core.RequireAuth(), core.RequirePermission("org:invoices:create"), core.RequireScope("invoices:read"),
		core.AcceptsToken()}
	for _, tc := range fx.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			tel := newTelemetry(t, clerkotel.WithUserIDs())
			a, err := core.New(append(tc.Options, quiet(), core.WithEvents(tel.inst.Observer()))...)
			if err != nil {
				t.Fatal(err)
			}
			tel.spanOf(t, func(ctx context.Context) {
				for range 2 { // verified, then cached
					res := adapter.NewState(ctx, a, bearer(tc.Token), nil)
					if got := res.Result().Reason(); got != tc.Reason {
						t.Fatalf("%s: reason %q, want %q", tc.Rule, got, tc.Reason)
					}
					for _, g := range guards {
						_ = adapter.Evaluate(ctx, g, res, nil)
					}
				}
				_, _ = a.VerifyToken(ctx, tc.Token)
			})
			vals := tel.values(t)
			if len(vals) == 0 {
				t.Fatal("nothing was recorded")
			}
			for _, v := range vals {
				for _, s := range secretParts(tc.Token, fx.Secrets) {
					if strings.Contains(v, s) {
						t.Fatalf("behaviour.md §13.2: attribute %.80q holds the token or a secret", v)
					}
				}
			}
		})
	}
}
