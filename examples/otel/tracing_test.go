package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	clerkotel "github.com/clerkguard/clerkguard/observability/otel"
)

// The README's tracing claim, end to end: behind otelhttp.NewHandler, the
// request's span carries the authentication's attributes and the JWKS fetch
// made through TracedClient is a client span in the same trace, child of the
// request; no span attribute holds the token or the secret key.
func TestTracedCalls(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev) })

	iss := clerktest.Start(t)
	reg, events, err := Metrics()
	if err != nil {
		t.Fatal(err)
	}
	// The secret key makes the JWKS fetch carry a Bearer header, as in production.
	a, err := core.New(core.WithSecretKey(iss.SecretKey()), core.WithAPIURL(iss.APIURL()), core.WithIssuer(iss.IssuerURL()),
		core.WithAuthorizedParties(clerktest.DefaultAuthorizedParty),
		events, core.WithHTTPClient(TracedClient()))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(otelhttp.NewHandler(NewServer(a, reg), "api"))
	defer srv.Close()
	tok := iss.Mint(clerktest.Session{UserID: "user_traced"})
	if code, body := get(t, srv.URL+"/me", tok); code != http.StatusOK {
		t.Fatalf("/me: %d %q", code, body)
	}
	var server, client sdktrace.ReadOnlySpan
	serverAttrs := map[string]string{}
	for _, s := range rec.Ended() {
		for _, kv := range s.Attributes() {
			if v := kv.Value.String(); strings.Contains(v, tok) || strings.Contains(v, iss.SecretKey()) {
				t.Fatalf("behaviour.md §13.2: span %q attribute %s holds the token or the secret key", s.Name(), kv.Key)
			}
		}
		if s.SpanKind() == trace.SpanKindServer {
			server = s
			for _, kv := range s.Attributes() {
				serverAttrs[string(kv.Key)] = kv.Value.String()
			}
		}
	}
	if server == nil || serverAttrs[string(clerkotel.AttrAuthStatus)] != "signed_in" {
		t.Fatalf("the request span has no signed_in outcome: %v", serverAttrs)
	}
	for _, s := range rec.Ended() {
		if s.SpanKind() == trace.SpanKindClient && s.Parent().SpanID() == server.SpanContext().SpanID() {
			client = s
		}
	}
	if client == nil || client.SpanContext().TraceID() != server.SpanContext().TraceID() {
		t.Fatal("the JWKS fetch is no client span, child of the request's span")
	}
}
