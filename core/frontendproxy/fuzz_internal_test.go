package frontendproxy

import (
	"github.com/clerkguard/clerkguard/core/internal/shared"

	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRewriteLocation feeds untrusted Location headers (the Frontend API's
// answer) and forwarded headers (the client's) to the Handler's parsers: a
// rewritten Location always starts with the proxy URL, one not on the
// Frontend API is left alone, and the public origin is a valid host.
func FuzzRewriteLocation(f *testing.F) {
	f.Add("https://frontend-api.clerk.dev/v1/x?y=1#z", "app.example", "https", "1.2.3.4, 5.6.7.8")
	f.Add("/v1/client", "evil.example/x", "javascript", "")
	f.Add("//frontend-api.clerk.dev/a", "", "http", "::1")
	h, err := New(WithSecretKey("sk_test_fuzzfuzz"), WithFrontendAPIURL(DefaultFrontendAPIURL), WithTrustForwardedHeaders(true))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, loc, fwdHost, fwdProto, fwdFor string) {
		in := httptest.NewRequest("GET", "http://app.example/__clerk/x", nil)
		in.Header.Set("X-Forwarded-Host", fwdHost)
		in.Header.Set("X-Forwarded-Proto", fwdProto)
		in.Header.Set("X-Forwarded-For", fwdFor)
		proxyURL := h.publicProxyURL(in)
		scheme, host := h.publicOrigin(in)
		if proxyURL == "" {
			if shared.ValidHost(host) {
				t.Fatalf("valid host %q gave no proxy URL", host)
			}
			return
		}
		if (scheme != "http" && scheme != "https") || !shared.ValidHost(host) || proxyURL != scheme+"://"+host+"/__clerk" {
			t.Fatalf("public origin %q %q, proxy URL %q", scheme, host, proxyURL)
		}
		_ = h.clientIP(in)
		res := &http.Response{Header: http.Header{"Location": {loc}}, Body: io.NopCloser(strings.NewReader("")),
			Request: in.WithContext(contextWith(in, proxyURL))}
		if err := h.modifyResponse(res); err != nil {
			t.Fatal(err)
		}
		got := res.Header.Get("Location")
		if got != loc && !strings.HasPrefix(got, proxyURL+"/") {
			t.Fatalf("Location %q became %q", loc, got)
		}
	})
}

func contextWith(r *http.Request, proxyURL string) context.Context {
	return context.WithValue(r.Context(), ctxKey{}, proxyURL)
}
