package frontendproxy

import (
	"github.com/clerkguard/clerkguard/core/internal/shared"

	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
)

// Handler forwards the requests under its path to the Frontend API. Build it
// with New; it is safe for concurrent use.
type Handler struct {
	cfg      config
	target   *url.URL // scheme and host only
	proxy    *httputil.ReverseProxy
	inFlight chan struct{}
}

// New builds a Handler. The secret key is required, and the Frontend API
// must be known: WithFrontendAPIURL or WithPublishableKey. Every option is
// validated here; errors wrap ErrConfig.
func New(opts ...Option) (*Handler, error) {
	cfg := config{path: DefaultPath, maxBody: DefaultMaxBodyBytes, maxResponse: DefaultMaxResponseBytes,
		timeout: DefaultTimeout, maxInFlight: DefaultMaxInFlight}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.secretKey == "" {
		return nil, configError("the secret key is required: WithSecretKey (CLERK_SECRET_KEY)")
	}
	if cfg.fapiURL == "" {
		if cfg.publishableKey == "" {
			return nil, configError("the Frontend API is unknown: WithPublishableKey or WithFrontendAPIURL")
		}
		cfg.fapiURL = frontendAPIFromPublishableKey(cfg.publishableKey)
	}
	target, _ := url.Parse(cfg.fapiURL) // validated
	if cfg.logger == nil {
		cfg.logger = slog.Default()
	}
	if cfg.transport == nil {
		cfg.transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	h := &Handler{cfg: cfg, target: target, inFlight: make(chan struct{}, cfg.maxInFlight)}
	h.proxy = &httputil.ReverseProxy{
		Rewrite:        h.rewrite,
		Transport:      cfg.transport,
		ModifyResponse: h.modifyResponse,
		ErrorHandler:   h.errorHandler,
		ErrorLog:       slog.NewLogLogger(cfg.logger.Handler(), slog.LevelWarn),
	}
	return h, nil
}

// Path is the mount path (no trailing slash): mount the Handler at Path()+"/"
// and at Path().
func (h *Handler) Path() string { return h.cfg.path }

// ctxKey carries the public proxy URL of a request to modifyResponse.
type ctxKey struct{}

// ServeHTTP forwards r to the Frontend API (behaviour.md §12.9–12.12).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p != h.cfg.path && !strings.HasPrefix(p, h.cfg.path+"/") {
		writeError(w, http.StatusBadRequest, "proxy_path_mismatch", "the request path is not under the proxy path")
		return
	}
	if r.ContentLength > h.cfg.maxBody {
		writeError(w, http.StatusRequestEntityTooLarge, "proxy_request_too_large", "the request body is too large")
		return
	}
	select {
	case h.inFlight <- struct{}{}:
		defer func() { <-h.inFlight }()
	default:
		writeError(w, http.StatusServiceUnavailable, "proxy_busy", "too many requests in flight")
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, h.cfg.maxBody)
	}
	proxyURL := h.publicProxyURL(r)
	if proxyURL == "" {
		writeError(w, http.StatusBadRequest, "proxy_request_failed", "the request's host is not valid")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.timeout)
	defer cancel()
	ctx = context.WithValue(ctx, ctxKey{}, proxyURL)
	h.proxy.ServeHTTP(w, r.WithContext(ctx))
}

// rewrite builds the outbound request. ReverseProxy has already removed the
// hop-by-hop headers (those a Connection header names too) and the
// X-Forwarded-* headers of the inbound request.
func (h *Handler) rewrite(pr *httputil.ProxyRequest) {
	in, out := pr.In, pr.Out
	rest := strings.TrimPrefix(in.URL.Path, h.cfg.path)
	if rest == "" {
		rest = "/"
	}
	out.URL = &url.URL{Scheme: h.target.Scheme, Host: h.target.Host, Path: rest, RawQuery: in.URL.RawQuery}
	if raw := in.URL.RawPath; raw != "" {
		if r, ok := strings.CutPrefix(raw, h.cfg.path); ok && r != "" {
			out.URL.RawPath = r
		}
	}
	out.Host = h.target.Host
	proxyURL, _ := in.Context().Value(ctxKey{}).(string)
	out.Header.Set("Clerk-Proxy-Url", proxyURL)
	out.Header.Del("Clerk-Secret-Key")
	if out.URL.Host == h.target.Host && out.URL.Scheme == h.target.Scheme { // always: the target is fixed
		out.Header.Set("Clerk-Secret-Key", h.cfg.secretKey)
	}
	scheme, host := h.publicOrigin(in)
	out.Header.Set("X-Forwarded-Host", host)
	out.Header.Set("X-Forwarded-Proto", scheme)
	if ip := h.clientIP(in); ip != "" {
		out.Header.Set("X-Forwarded-For", ip)
	}
}

// modifyResponse bounds the response body and rewrites a Location on the
// Frontend API to the proxy.
func (h *Handler) modifyResponse(res *http.Response) error {
	if res.ContentLength > h.cfg.maxResponse {
		return errResponseTooLarge
	}
	res.Body = &limitedBody{rc: res.Body, left: h.cfg.maxResponse}
	res.Header.Del("Clerk-Secret-Key") // never echoed to the browser, whatever the upstream does
	if loc := res.Header.Get("Location"); loc != "" {
		proxyURL, _ := res.Request.Context().Value(ctxKey{}).(string)
		if u, err := h.target.Parse(loc); err == nil && u.Host == h.target.Host && proxyURL != "" {
			path := u.EscapedPath()
			if !strings.HasPrefix(path, "/") {
				path = "/" + path
			}
			rewritten := proxyURL + path
			if u.RawQuery != "" {
				rewritten += "?" + u.RawQuery
			}
			if u.Fragment != "" {
				rewritten += "#" + u.EscapedFragment()
			}
			res.Header.Set("Location", rewritten)
		}
	}
	return nil
}

var errResponseTooLarge = errors.New("frontendproxy: response too large")

// errorHandler answers a failed forward without any detail of the upstream.
func (h *Handler) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeError(w, http.StatusRequestEntityTooLarge, "proxy_request_too_large", "the request body is too large")
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout, "proxy_request_failed", "the Frontend API did not answer in time")
	default:
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelWarn, "frontendproxy: forward failed",
			slog.String("error_type", errorType(err)))
		writeError(w, http.StatusBadGateway, "proxy_request_failed", "the request to the Frontend API failed")
	}
}

func errorType(err error) string {
	if errors.Is(err, errResponseTooLarge) {
		return "response_too_large"
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return "network"
	}
	return "other"
}

// publicProxyURL is the proxy's URL as the browser sees it, or "" when the
// request's host is not a valid host.
func (h *Handler) publicProxyURL(r *http.Request) string {
	if h.cfg.proxyURL != "" {
		return h.cfg.proxyURL
	}
	scheme, host := h.publicOrigin(r)
	if !shared.ValidHost(host) {
		return ""
	}
	return scheme + "://" + host + h.cfg.path
}

// publicOrigin is the scheme and host of r as the browser sent it.
func (h *Handler) publicOrigin(r *http.Request) (scheme, host string) {
	scheme, host = "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if h.cfg.trustForwarded {
		p, fh := shared.FirstValue(r.Header.Get("X-Forwarded-Proto")), shared.FirstValue(r.Header.Get("X-Forwarded-Host"))
		if (p == "http" || p == "https") && shared.ValidHost(fh) {
			return p, fh
		}
	}
	if h.cfg.proxyURL != "" {
		u, _ := url.Parse(h.cfg.proxyURL)
		return u.Scheme, u.Host
	}
	return scheme, host
}

// clientIP is the client's address: the connection's peer, or with trusted
// forwarded headers CF-Connecting-IP, X-Real-IP or the first X-Forwarded-For
// entry, in Clerk's order.
func (h *Handler) clientIP(r *http.Request) string {
	if h.cfg.trustForwarded {
		for _, v := range []string{r.Header.Get("Cf-Connecting-Ip"), r.Header.Get("X-Real-Ip"), shared.FirstValue(r.Header.Get("X-Forwarded-For"))} {
			if v = strings.TrimSpace(v); v != "" && net.ParseIP(v) != nil {
				return v
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || net.ParseIP(host) == nil {
		return ""
	}
	return host
}

// limitedBody fails a read once more than left bytes came, so a response
// that grows past the bound is cut off rather than passed on.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errResponseTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	if int64(n) > b.left {
		b.left = -1
		return 0, errResponseTooLarge
	}
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// writeError answers as Clerk's proxy does: {"errors":[{"code","message"}]}.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(map[string]any{"errors": []map[string]string{{"code": code, "message": msg}}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

var _ http.Handler = (*Handler)(nil)
