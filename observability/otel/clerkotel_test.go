package clerkotel_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/adapter"
	"github.com/clerkguard/clerkguard/core/clerktest"
	clerkotel "github.com/clerkguard/clerkguard/observability/otel"
)

// telemetry is one Instrumentation reading into a ManualReader, and a
// TracerProvider recording into a SpanRecorder.
type telemetry struct {
	reader *sdkmetric.ManualReader
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	inst   *clerkotel.Instrumentation
}

func newTelemetry(t testing.TB, opts ...clerkotel.Option) *telemetry {
	t.Helper()
	tel := &telemetry{reader: sdkmetric.NewManualReader(), spans: tracetest.NewSpanRecorder()}
	tel.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tel.spans))
	inst, err := clerkotel.New(append([]clerkotel.Option{clerkotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader)))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	tel.inst = inst
	return tel
}

// point is one data point: its attributes as "k=v" sorted and joined by
// ",", and its value (a sum, or a histogram's count).
type point struct {
	attrs string
	value int64
}

func encode(set attribute.Set) string {
	var kv []string
	for _, a := range set.ToSlice() {
		kv = append(kv, string(a.Key)+"="+a.Value.String())
	}
	sort.Strings(kv)
	return strings.Join(kv, ",")
}

// collect returns every data point by metric name.
func (tel *telemetry) collect(t testing.TB) map[string][]point {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string][]point{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != clerkotel.ScopeName {
			t.Fatalf("scope %q, want %q", sm.Scope.Name, clerkotel.ScopeName)
		}
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], point{encode(p.Attributes), p.Value})
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], point{encode(p.Attributes), int64(p.Count)})
				}
			default:
				t.Fatalf("%s: unexpected data %T", m.Name, m.Data)
			}
		}
	}
	for _, ps := range out {
		sort.Slice(ps, func(i, j int) bool { return ps[i].attrs < ps[j].attrs })
	}
	return out
}

func bearer(tok string) core.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	return core.HTTPRequest(r)
}

func quiet() core.Option { return core.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))) }

var (
	issOnce sync.Once
	iss     *clerktest.Issuer
)

// issuer is one fake Clerk instance (JWKS and Backend API) per test binary.
func issuer(t testing.TB) *clerktest.Issuer {
	issOnce.Do(func() {
		var err error
		if iss, err = clerktest.NewIssuer(); err != nil {
			panic(err)
		}
	})
	return iss
}

func authorizer(t testing.TB, tel *telemetry, opts ...core.Option) *core.Authorizer {
	t.Helper()
	base := append(issuer(t).AnyTokenOptions(), quiet(), core.WithEvents(tel.inst.Observer()))
	a, err := core.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// behaviour.md §13.1: each outcome kind is counted once, under exactly its
// attributes, in clerkguard.auth.requests and clerkguard.auth.duration.
func TestAuthMetrics(t *testing.T) {
	i := issuer(t)
	session := i.Mint(clerktest.Session{})
	m2m := i.IssueOpaque(clerktest.Opaque{Type: core.M2MToken, Subject: "mch_1"})
	cases := []struct {
		name  string
		send  []string
		attrs []string
	}{
		{"SignedInThenCached", []string{session, session}, []string{
			"clerkguard.auth.status=signed_in,clerkguard.cache.hit=false,clerkguard.token.source=header,clerkguard.token.type=session_token",
			"clerkguard.auth.status=signed_in,clerkguard.cache.hit=true,clerkguard.token.source=header,clerkguard.token.type=session_token"}},
		{"NoToken", []string{""}, []string{
			"clerkguard.auth.reason=session-token-missing,clerkguard.auth.status=signed_out,clerkguard.cache.hit=false,clerkguard.token.source=none,clerkguard.token.type=none"}},
		{"Invalid", []string{"a.b.c"}, []string{
			"clerkguard.auth.reason=token-invalid,clerkguard.auth.status=signed_out,clerkguard.cache.hit=false,clerkguard.token.source=header,clerkguard.token.type=session_token"}},
		{"Expired", []string{i.Mint(clerktest.Session{TTL: -time.Hour})}, []string{
			"clerkguard.auth.reason=token-expired,clerkguard.auth.status=signed_out,clerkguard.cache.hit=false,clerkguard.token.source=header,clerkguard.token.type=session_token"}},
		{"MachineOpaque", []string{m2m, m2m}, []string{
			"clerkguard.auth.status=signed_in,clerkguard.cache.hit=false,clerkguard.token.source=header,clerkguard.token.type=m2m_token",
			"clerkguard.auth.status=signed_in,clerkguard.cache.hit=true,clerkguard.token.source=header,clerkguard.token.type=m2m_token"}},
		{"MachineUnknown", []string{"ak_" + "unknownkey"}, []string{
			"clerkguard.auth.reason=token-invalid,clerkguard.auth.status=signed_out,clerkguard.cache.hit=false,clerkguard.token.source=header,clerkguard.token.type=api_key"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tel := newTelemetry(t)
			a := authorizer(t, tel)
			for _, tok := range tc.send {
				_, _ = a.Authenticate(t.Context(), bearer(tok))
			}
			got := tel.collect(t)
			// behaviour.md §13.3: answers from memory are counted, not timed;
			// each case has one that is not.
			var timed []string
			for _, a := range tc.attrs {
				if strings.Contains(a, "clerkguard.cache.hit=false") {
					timed = append(timed, a)
				}
			}
			for _, m := range []struct {
				name  string
				attrs []string
				total int
			}{{"clerkguard.auth.requests", tc.attrs, len(tc.send)}, {"clerkguard.auth.duration", timed, 1}} {
				var attrs []string
				total := int64(0)
				for _, p := range got[m.name] {
					attrs = append(attrs, p.attrs)
					total += p.value
				}
				if !slices.Equal(attrs, m.attrs) || total != int64(m.total) {
					t.Fatalf("behaviour.md §13.1: %s: %d points %q, want %d over %q", m.name, total, attrs, m.total, m.attrs)
				}
			}
		})
	}
}

// behaviour.md §13.1: upstream calls by endpoint and status, refusals by
// limit, guard decisions by guard and outcome.
func TestUpstreamRateLimitGuardMetrics(t *testing.T) {
	i := issuer(t)
	tel := newTelemetry(t)
	a := authorizer(t, tel, core.WithMachineVerification(core.MachineVerification{RateBurst: 2, RatePerSecond: 1e-9,
		ReservedBurst: 1, ReservedPerSecond: 1e-9}))
	ctx := t.Context()
	key := i.IssueOpaque(clerktest.Opaque{Type: core.APIKey, Subject: "user_1"})
	_, _ = a.Authenticate(ctx, bearer(key))                                                                                                                     // api_key_verify 200
	_, _ = a.Authenticate(ctx, bearer("mt_"+"neverissued"))                                                                                                     // m2m_token_verify 404
	_, _ = a.Authenticate(ctx, bearer("oat_"+"overbudget"))                                                                                                     // refused
	res := adapter.NewState(ctx, a, bearer(i.Mint(clerktest.Session{OrgID: "org_1", OrgRole: "org:admin", OrgPermissions: []string{"org:reports:read"}})), nil) // jwks 200
	_ = adapter.Evaluate(ctx, core.RequirePermission("org:reports:read"), res, nil)
	_ = adapter.Evaluate(ctx, core.RequirePermission("org:reports:write"), res, nil)
	_ = adapter.Evaluate(ctx, core.RequireScope("s"), res, nil)
	got := tel.collect(t)
	want := map[string][]point{
		"clerkguard.upstream.requests": {
			{"clerkguard.upstream.endpoint=api_key_verify,http.response.status_code=200", 1},
			{"clerkguard.upstream.endpoint=jwks,http.response.status_code=200", 1},
			{"clerkguard.upstream.endpoint=m2m_token_verify,error.type=404,http.response.status_code=404", 1},
		},
		"clerkguard.ratelimit.refusals": {
			{"clerkguard.ratelimit.last_verdict=false,clerkguard.ratelimit.limit=backend_api,clerkguard.token.type=oauth_token", 1},
		},
		"clerkguard.guard.decisions": {
			{"clerkguard.auth.reason=missing-permission,clerkguard.guard.decision=denied,clerkguard.guard.name=RequirePermission(org:reports:write),clerkguard.token.type=session_token", 1},
			{"clerkguard.auth.reason=token-type-mismatch,clerkguard.guard.decision=denied,clerkguard.guard.name=RequireScope(s),clerkguard.token.type=session_token", 1},
			{"clerkguard.guard.decision=allowed,clerkguard.guard.name=RequirePermission(org:reports:read),clerkguard.token.type=session_token", 1},
		},
	}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("behaviour.md §13.1: %s:\n got %v\nwant %v", name, got[name], w)
		}
	}
	if d := got["clerkguard.upstream.duration"]; len(d) != 3 {
		t.Errorf("clerkguard.upstream.duration: %v", d)
	}

	t.Run("TransportError", func(t *testing.T) {
		tel := newTelemetry(t)
		a, err := core.New(core.WithJWKSURL("http://127.0.0.1:1/jwks"), quiet(), core.WithEvents(tel.inst.Observer()))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = a.Authenticate(ctx, bearer(i.Mint(clerktest.Session{})))
		got := tel.collect(t)
		want := []point{{"clerkguard.upstream.endpoint=jwks,error.type=transport", 1}}
		if !slices.Equal(got["clerkguard.upstream.requests"], want) {
			t.Fatalf("behaviour.md §13.1: got %v, want %v", got["clerkguard.upstream.requests"], want)
		}
		// The request that waited for it is signed out with the 503 reason.
		want = []point{{"clerkguard.auth.reason=jwk-remote-failed-to-load,clerkguard.auth.status=signed_out,clerkguard.cache.hit=false,clerkguard.token.source=header,clerkguard.token.type=session_token", 1}}
		if !slices.Equal(got["clerkguard.auth.requests"], want) {
			t.Fatalf("behaviour.md §13.1: got %v, want %v", got["clerkguard.auth.requests"], want)
		}
	})
}

// spanOf runs fn inside a recording span and returns what the span ended
// with.
func (tel *telemetry) spanOf(t testing.TB, fn func(ctx context.Context)) sdktrace.ReadOnlySpan {
	t.Helper()
	ctx, span := tel.tp.Tracer("test").Start(context.Background(), "request")
	fn(ctx)
	span.End()
	ended := tel.spans.Ended()
	return ended[len(ended)-1]
}

func spanAttrs(s sdktrace.ReadOnlySpan) map[string]string {
	out := map[string]string{}
	for _, kv := range s.Attributes() {
		out[string(kv.Key)] = kv.Value.String()
	}
	return out
}

// behaviour.md §13.1, 13.2: the request's span gets the outcome's
// attributes and an event per guard decision; user and organization IDs
// only with WithUserIDs.
func TestSpans(t *testing.T) {
	i := issuer(t)
	tok := i.Mint(clerktest.Session{UserID: "user_span", OrgID: "org_span", OrgRole: "org:admin"})
	for _, tc := range []struct {
		name    string
		opts    []clerkotel.Option
		wantIDs bool
	}{{"Default", nil, false}, {"WithUserIDs", []clerkotel.Option{clerkotel.WithUserIDs()}, true}} {
		t.Run(tc.name, func(t *testing.T) {
			tel := newTelemetry(t, tc.opts...)
			a := authorizer(t, tel)
			s := tel.spanOf(t, func(ctx context.Context) {
				res := adapter.NewState(ctx, a, bearer(tok), nil)
				_ = adapter.Evaluate(ctx, core.RequireRole("org:member"), res, nil)
			})
			got := spanAttrs(s)
			want := map[string]string{"clerkguard.auth.status": "signed_in", "clerkguard.token.type": "session_token",
				"clerkguard.token.source": "header", "clerkguard.cache.hit": "false", "clerkguard.upstream.calls": "1"}
			if tc.wantIDs {
				want["user.id"], want["clerkguard.org.id"] = "user_span", "org_span"
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("behaviour.md §13.2: span attributes %v, want %v", got, want)
			}
			var names []string
			for _, ev := range s.Events() {
				names = append(names, ev.Name)
			}
			if !slices.Equal(names, []string{"clerkguard.upstream.request", "clerkguard.guard.decision"}) {
				t.Fatalf("span events %v", names)
			}
			guard := s.Events()[1]
			if enc := encode(attribute.NewSet(guard.Attributes...)); enc != "clerkguard.auth.reason=missing-role,clerkguard.guard.decision=denied,clerkguard.guard.name=RequireRole(org:member),clerkguard.token.type=session_token" {
				t.Fatalf("guard event attributes %s", enc)
			}
		})
	}
	t.Run("SignedOut", func(t *testing.T) {
		tel := newTelemetry(t, clerkotel.WithUserIDs())
		a := authorizer(t, tel)
		s := tel.spanOf(t, func(ctx context.Context) { _, _ = a.Authenticate(ctx, bearer("a.b.c")) })
		got := spanAttrs(s)
		if got["clerkguard.auth.status"] != "signed_out" || got["clerkguard.auth.reason"] != "token-invalid" || got["user.id"] != "" {
			t.Fatalf("behaviour.md §13.1: %v", got)
		}
	})
}

// New validates its options.
func TestNewOptions(t *testing.T) {
	if _, err := clerkotel.New(clerkotel.WithMeterProvider(nil)); err == nil {
		t.Fatal("WithMeterProvider(nil) must be an error")
	}
	if _, err := clerkotel.New(nil); err != nil {
		t.Fatalf("a nil option is skipped: %v", err)
	}
}
