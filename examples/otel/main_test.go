package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// The smoke test: two requests, then /metrics shows their series, in the
// Prometheus names the README lists, and never the token.
func TestMetricsEndpoint(t *testing.T) {
	iss := clerktest.Start(t)
	reg, events, err := Metrics()
	if err != nil {
		t.Fatal(err)
	}
	a, err := core.New(append(iss.AuthorizerOptions(), events, core.WithHTTPClient(TracedClient()))...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(a, reg))
	defer srv.Close()
	tok := iss.Mint(clerktest.Session{UserID: "user_metrics"})
	if code, body := get(t, srv.URL+"/me", tok); code != 200 || strings.TrimSpace(body) != "user_metrics" {
		t.Fatalf("/me: %d %q", code, body)
	}
	if code, _ := get(t, srv.URL+"/me", ""); code != 401 {
		t.Fatalf("/me without a token: %d", code)
	}
	code, metrics := get(t, srv.URL+"/metrics", "")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	if testing.Verbose() {
		t.Log(metrics)
	}
	for _, want := range seriesShown {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics has no %q:\n%s", want, metrics)
		}
	}
	if strings.Contains(metrics, tok) || strings.Contains(metrics, "user_metrics") {
		t.Fatal("behaviour.md §13.2: /metrics holds the token or the user ID")
	}
}

// seriesShown are lines of /metrics after one signed-in request, one
// without a token and one JWKS fetch.
var seriesShown = []string{
	`clerkguard_auth_requests_total{clerkguard_auth_status="signed_in",clerkguard_cache_hit="false",clerkguard_token_source="header",clerkguard_token_type="session_token"`,
	`clerkguard_auth_requests_total{clerkguard_auth_reason="session-token-missing",clerkguard_auth_status="signed_out"`,
	`clerkguard_auth_duration_seconds_bucket{`,
	`clerkguard_upstream_requests_total{clerkguard_upstream_endpoint="jwks",http_response_status_code="200"`,
	`clerkguard_upstream_duration_seconds_count{`,
	`clerkguard_guard_decisions_total{clerkguard_auth_reason="session-token-missing",clerkguard_guard_decision="denied",clerkguard_guard_name="RequireAuth",clerkguard_token_type="none"`,
	`clerkguard_guard_decisions_total{clerkguard_guard_decision="allowed",clerkguard_guard_name="RequireAuth",clerkguard_token_type="session_token"`,
}
