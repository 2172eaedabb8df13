package core_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/core/frontendproxy"
)

// README:multi begin
// newServer serves two Clerk instances (production and staging) from one
// process, and Clerk's Frontend API under /__clerk/ of this domain.
func newServer(getenv func(string) string) (*core.Authorizer, *http.ServeMux, error) {
	instance := func(prefix string) (*core.Authorizer, error) {
		return core.New(core.OptionsFromEnv(func(k string) string { return getenv(prefix + k) })...)
	}
	production, err := instance("PRODUCTION_")
	if err != nil {
		return nil, nil, err
	}
	staging, err := instance("STAGING_")
	if err != nil {
		return nil, nil, err
	}
	a, err := core.NewMulti(production, staging) // cookies and the handshake follow production
	if err != nil {
		return nil, nil, err
	}
	proxy, err := frontendproxy.New(frontendproxy.OptionsFromEnv(func(k string) string { return getenv("PRODUCTION_" + k) })...)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(proxy.Path()+"/", proxy)
	return a, mux, nil
}

// README:multi end

// The README's "Several domains and instances" block is newServer above, to
// the byte, and newServer works: each instance's tokens pass, the proxy is
// mounted.
func TestREADMEMulti(t *testing.T) {
	src, err := os.ReadFile("readme_multi_test.go")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	begin, end := "// README:multi begin\n", "\n// README:multi end"
	block := s[strings.Index(s, begin)+len(begin) : strings.Index(s, end)]
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```go\n"+block+"```\n") {
		t.Errorf("README.md does not show newServer of readme_multi_test.go verbatim in a go block:\n%s", block)
	}

	ms := newMultiIssuers(t)
	env := map[string]string{
		"PRODUCTION_" + core.EnvJWKSURL: ms.a.JWKSURL(), "PRODUCTION_" + core.EnvPublishableKey: ms.a.PublishableKey(),
		"PRODUCTION_" + core.EnvSecretKey: ms.a.SecretKey(), "PRODUCTION_" + core.EnvProxyURL: "https://app.example/__clerk",
		"STAGING_" + core.EnvJWKSURL: ms.b.JWKSURL(), "STAGING_" + core.EnvPublishableKey: ms.b.PublishableKey(),
	}
	a, mux, err := newServer(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	for _, iss := range []*clerktest.Issuer{ms.a, ms.b} {
		if _, err := a.VerifyToken(t.Context(), iss.Mint(clerktest.Session{UserID: "user_1", IssuedAt: time.Now(), TTL: time.Minute}, clerktest.WithPayload(func(c map[string]any) { delete(c, "azp") }))); err != nil {
			t.Errorf("%s: %v", iss.IssuerURL(), err)
		}
	}
	if h, pattern := mux.Handler(httptest.NewRequest("GET", "https://app.example/__clerk/v1/client", nil)); pattern != "/__clerk/" || h == nil {
		t.Errorf("the proxy is mounted at %q, want /__clerk/", pattern)
	}
}
