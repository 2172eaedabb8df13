package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/frontendproxy"
)

// EnvDevProxy names the dev-mode switch: "true" serves the fake Frontend API
// through the app at frontendproxy.DefaultPath, as CLERK_PROXY_URL does for
// a real instance (default "false": the handshake goes to the fake
// directly).
const EnvDevProxy = "SSR_DEV_PROXY"

// servedProxyPath is the path of proxyURL (CLERK_PROXY_URL) when this app
// serves it: a path (/__clerk) or a URL with a path
// (https://app.example/__clerk). A URL without a path names a Frontend API
// served elsewhere.
func servedProxyPath(proxyURL string) (string, bool) {
	u := strings.TrimSpace(proxyURL)
	if u == "" {
		return "", false
	}
	path := u
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		p, err := url.Parse(u)
		if err != nil {
			return "", false
		}
		path = p.Path
	}
	path = strings.TrimRight(path, "/")
	return path, path != ""
}

// configuredProxy is the Frontend API proxy of a configured app: nil unless
// CLERK_PROXY_URL names a path of this app, else a frontendproxy.Handler
// built from the environment (CLERK_SECRET_KEY, CLERK_PUBLISHABLE_KEY or
// CLERK_FAPI_URL, CLERK_PROXY_URL) and CLERK_TRUST_FORWARDED_HEADERS.
func configuredProxy(getenv func(string) string, rt http.RoundTripper, logger *slog.Logger) (*frontendproxy.Handler, error) {
	if _, ok := servedProxyPath(getenv(core.EnvProxyURL)); !ok {
		return nil, nil
	}
	opts := frontendproxy.OptionsFromEnv(getenv)
	if v := strings.TrimSpace(getenv(core.EnvTrustForwardedHeaders)); v != "" {
		trust, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", core.EnvTrustForwardedHeaders, err)
		}
		opts = append(opts, frontendproxy.WithTrustForwardedHeaders(trust))
	}
	return newProxy(opts, rt, logger)
}

// devProxy is dev mode's Frontend API proxy when SSR_DEV_PROXY is true: it
// forwards base+/__clerk to the fake Frontend API with the fake's secret key.
func devProxy(getenv func(string) string, d *dev, rt http.RoundTripper, logger *slog.Logger) (*frontendproxy.Handler, error) {
	v := strings.TrimSpace(getenv(EnvDevProxy))
	if v == "" {
		return nil, nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return nil, fmt.Errorf("%s must be true or false: %w", EnvDevProxy, err)
	}
	if !on {
		return nil, nil
	}
	return newProxy([]frontendproxy.Option{
		frontendproxy.WithSecretKey(d.iss.SecretKey()),
		frontendproxy.WithFrontendAPIURL(d.iss.FrontendAPIURL()),
		frontendproxy.WithProxyURL(d.proxyURL()),
	}, rt, logger)
}

func newProxy(opts []frontendproxy.Option, rt http.RoundTripper, logger *slog.Logger) (*frontendproxy.Handler, error) {
	opts = append(opts, frontendproxy.WithLogger(logger))
	if rt != nil {
		opts = append(opts, frontendproxy.WithTransport(rt))
	}
	h, err := frontendproxy.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("the Frontend API proxy: %w", err)
	}
	return h, nil
}
