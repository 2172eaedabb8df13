// Package frontendproxy serves Clerk's Frontend API through the
// application's own domain (behaviour.md §12.9–12.12): mount a Handler at
// /__clerk/ and set the instance's proxy URL (the Clerk Dashboard's "Proxy
// URL", CLERK_PROXY_URL for core.WithProxyURL) to https://<app>/__clerk.
//
// The Handler is a net/http/httputil.ReverseProxy to the Frontend API. It
// sends the headers Clerk's clerkFrontendApiProxy sends (Clerk-Proxy-Url,
// Clerk-Secret-Key, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-For),
// strips hop-by-hop headers both ways, rewrites Location headers that point
// at the Frontend API so redirects stay on the proxy, and bounds the request
// body, the response body, the time of each request and the number of
// requests in flight. The secret key goes to the configured Frontend API host
// only: the target host is fixed at construction and redirects are never
// followed.
package frontendproxy
