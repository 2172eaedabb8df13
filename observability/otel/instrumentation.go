package clerkotel

import (
	"context"
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/clerkguard/clerkguard/core"
)

// ScopeName is the instrumentation scope of the meter.
const ScopeName = "github.com/clerkguard/clerkguard/observability/otel"

// Attribute keys (see the package documentation).
const (
	AttrAuthStatus     = attribute.Key("clerkguard.auth.status")
	AttrAuthReason     = attribute.Key("clerkguard.auth.reason")
	AttrTokenType      = attribute.Key("clerkguard.token.type")
	AttrTokenSource    = attribute.Key("clerkguard.token.source")
	AttrCacheHit       = attribute.Key("clerkguard.cache.hit")
	AttrUpstream       = attribute.Key("clerkguard.upstream.endpoint")
	AttrHTTPStatus     = attribute.Key("http.response.status_code")
	AttrErrorType      = attribute.Key("error.type")
	AttrRateLimit      = attribute.Key("clerkguard.ratelimit.limit")
	AttrLastVerdict    = attribute.Key("clerkguard.ratelimit.last_verdict")
	AttrGuardName      = attribute.Key("clerkguard.guard.name")
	AttrGuardDecision  = attribute.Key("clerkguard.guard.decision")
	AttrUpstreamCalls  = attribute.Key("clerkguard.upstream.calls")
	AttrUserID         = attribute.Key("user.id")
	AttrOrganizationID = attribute.Key("clerkguard.org.id")
	statusSignedIn     = "signed_in"
	statusSignedOut    = "signed_out"
	none               = "none"
	decisionAllowed    = "allowed"
	decisionDenied     = "denied"
	errorTypeTransport = "transport"
	maxSeries          = 1024
)

// Bucket boundaries in seconds: an authentication from the cache takes
// microseconds, one that verifies a signature a few hundred, one that waits
// for Clerk milliseconds to seconds.
var (
	authBuckets     = []float64{0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}
	upstreamBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
)

// Instrumentation turns an Authorizer's events into metrics and span
// annotations. Create it once with New and give its Observer to
// core.WithEvents; it is safe for concurrent use and may serve several
// Authorizers.
type Instrumentation struct {
	userIDs bool

	// The two counters of the request path are counted here, with one
	// atomic add, and observed by the SDK when it collects: a synchronous
	// SDK counter would cost several times the cached authentication.
	authRequests     metric.Int64ObservableCounter
	decisions        metric.Int64ObservableCounter
	authDuration     metric.Float64Histogram
	upstreamRequests metric.Int64Counter
	upstreamDuration metric.Float64Histogram
	refusals         metric.Int64Counter

	authAttrs     *seriesSet[authKey]
	upstreamAttrs *seriesSet[upstreamKey]
	limitAttrs    *seriesSet[core.RateLimitEvent]
	guardAttrs    *seriesSet[guardKey]
}

// New creates the instruments. It fails only when the MeterProvider
// refuses one.
func New(opts ...Option) (*Instrumentation, error) {
	var cfg config
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.meterProvider == nil {
		cfg.meterProvider = otel.GetMeterProvider()
	}
	m := cfg.meterProvider.Meter(ScopeName)
	i := &Instrumentation{userIDs: cfg.userIDs, authAttrs: newSeriesSet(authKey.attributes, authKey.slot),
		upstreamAttrs: newSeriesSet(upstreamKey.attributes, nil), limitAttrs: newSeriesSet(limitAttributes, nil),
		guardAttrs: newSeriesSet(guardKey.attributes, guardKey.slot)}
	var err error
	if i.authRequests, err = m.Int64ObservableCounter("clerkguard.auth.requests", metric.WithUnit("{request}"),
		metric.WithDescription("Authentications by outcome.")); err != nil {
		return nil, err
	}
	if i.decisions, err = m.Int64ObservableCounter("clerkguard.guard.decisions", metric.WithUnit("{decision}"),
		metric.WithDescription("Guard decisions by guard and outcome.")); err != nil {
		return nil, err
	}
	if _, err = m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		i.authAttrs.observe(o, i.authRequests)
		i.guardAttrs.observe(o, i.decisions)
		return nil
	}, i.authRequests, i.decisions); err != nil {
		return nil, err
	}
	if i.authDuration, err = m.Float64Histogram("clerkguard.auth.duration", metric.WithUnit("s"),
		metric.WithDescription("Time spent on authentications not answered from memory (cache.hit false)."),
		metric.WithExplicitBucketBoundaries(authBuckets...)); err != nil {
		return nil, err
	}
	if i.upstreamRequests, err = m.Int64Counter("clerkguard.upstream.requests", metric.WithUnit("{request}"),
		metric.WithDescription("HTTP calls to Clerk (JWKS, Backend API) by endpoint and status.")); err != nil {
		return nil, err
	}
	if i.upstreamDuration, err = m.Float64Histogram("clerkguard.upstream.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of HTTP calls to Clerk."), metric.WithExplicitBucketBoundaries(upstreamBuckets...)); err != nil {
		return nil, err
	}
	if i.refusals, err = m.Int64Counter("clerkguard.ratelimit.refusals", metric.WithUnit("{refusal}"),
		metric.WithDescription("Upstream calls refused by a rate limit.")); err != nil {
		return nil, err
	}
	return i, nil
}

// Observer is the core.Observer to give to core.WithEvents.
func (i *Instrumentation) Observer() core.Observer {
	return core.Observer{Auth: i.auth, Upstream: i.upstream, RateLimit: i.rateLimit, Guard: i.guard}
}

func orNone[S ~string](s S) string {
	if s == "" {
		return none
	}
	return string(s)
}

type authKey struct {
	reason    core.Reason
	tokenType core.TokenType
	source    string
	hit       bool
}

func (k authKey) slot() uint32 {
	return uint32(len(k.reason)*131+len(k.source)*17+len(k.tokenType)*3) + b2u(k.hit)
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

func (k authKey) attributes() []attribute.KeyValue {
	kv := make([]attribute.KeyValue, 0, 5)
	if k.reason == "" {
		kv = append(kv, AttrAuthStatus.String(statusSignedIn))
	} else {
		kv = append(kv, AttrAuthStatus.String(statusSignedOut), AttrAuthReason.String(string(k.reason)))
	}
	return append(kv, AttrTokenType.String(orNone(k.tokenType)), AttrTokenSource.String(orNone(k.source)), AttrCacheHit.Bool(k.hit))
}

func (i *Instrumentation) auth(ctx context.Context, e core.AuthEvent) {
	a := i.authAttrs.get(authKey{reason: e.Reason, tokenType: e.TokenType, source: e.Source, hit: e.CacheHit})
	a.n.Add(1)
	if !e.CacheHit {
		// An answer from memory takes microseconds whatever happens;
		// recording it would cost more than the answer (behaviour.md §13.3).
		i.authDuration.Record(ctx, e.Duration.Seconds(), a.record...)
	}
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(a.kv...)
	if e.UpstreamCalls > 0 {
		span.SetAttributes(AttrUpstreamCalls.Int(e.UpstreamCalls))
	}
	if i.userIDs && e.Claims != nil {
		span.SetAttributes(AttrUserID.String(e.Claims.Subject))
		if e.Claims.OrgID != "" {
			span.SetAttributes(AttrOrganizationID.String(e.Claims.OrgID))
		}
	}
}

type upstreamKey struct {
	kind   core.UpstreamKind
	status int
}

func (k upstreamKey) attributes() []attribute.KeyValue {
	kv := []attribute.KeyValue{AttrUpstream.String(orNone(k.kind))}
	switch {
	case k.status == 0:
		kv = append(kv, AttrErrorType.String(errorTypeTransport))
	case k.status >= 400:
		kv = append(kv, AttrHTTPStatus.Int(k.status), AttrErrorType.String(strconv.Itoa(k.status)))
	default:
		kv = append(kv, AttrHTTPStatus.Int(k.status))
	}
	return kv
}

func (i *Instrumentation) upstream(ctx context.Context, e core.UpstreamEvent) {
	a := i.upstreamAttrs.get(upstreamKey{kind: e.Kind, status: e.Status})
	i.upstreamRequests.Add(ctx, 1, a.add...)
	i.upstreamDuration.Record(ctx, e.Duration.Seconds(), a.record...)
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.AddEvent("clerkguard.upstream.request", trace.WithAttributes(a.kv...))
	}
}

func limitAttributes(e core.RateLimitEvent) []attribute.KeyValue {
	kv := []attribute.KeyValue{AttrRateLimit.String(orNone(e.Limit))}
	if e.TokenType != "" {
		kv = append(kv, AttrTokenType.String(string(e.TokenType)))
	}
	return append(kv, AttrLastVerdict.Bool(e.LastVerdict))
}

func (i *Instrumentation) rateLimit(ctx context.Context, e core.RateLimitEvent) {
	a := i.limitAttrs.get(e)
	i.refusals.Add(ctx, 1, a.add...)
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.AddEvent("clerkguard.ratelimit.refusal", trace.WithAttributes(a.kv...))
	}
}

type guardKey struct {
	guard     string
	reason    core.Reason
	tokenType core.TokenType
	allowed   bool
}

func (k guardKey) slot() uint32 {
	return uint32(len(k.guard)*131+len(k.reason)*17+len(k.tokenType)*3) + b2u(k.allowed)
}

func (k guardKey) attributes() []attribute.KeyValue {
	kv := []attribute.KeyValue{AttrGuardName.String(k.guard)}
	if k.allowed {
		kv = append(kv, AttrGuardDecision.String(decisionAllowed))
	} else {
		kv = append(kv, AttrGuardDecision.String(decisionDenied), AttrAuthReason.String(orNone(k.reason)))
	}
	return append(kv, AttrTokenType.String(orNone(k.tokenType)))
}

func (i *Instrumentation) guard(ctx context.Context, e core.GuardEvent) {
	a := i.guardAttrs.get(guardKey{guard: e.Guard, reason: e.Reason, tokenType: e.TokenType, allowed: e.Allowed})
	a.n.Add(1)
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.AddEvent("clerkguard.guard.decision", trace.WithAttributes(a.kv...))
	}
}
