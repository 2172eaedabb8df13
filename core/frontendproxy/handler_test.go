package frontendproxy_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core/frontendproxy"
)

const secret = "sk_test_frontendproxy"

// fakeFAPI records what reaches the Frontend API and answers with handler.
type fakeFAPI struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
	h    http.HandlerFunc
}

func startFAPI(t *testing.T, h http.HandlerFunc) *fakeFAPI {
	t.Helper()
	f := &fakeFAPI{h: h}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, r.Clone(r.Context()))
		f.body = append(f.body, b)
		f.mu.Unlock()
		if f.h != nil {
			f.h(w, r)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeFAPI) last(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.reqs) == 0 {
		t.Fatal("the Frontend API got no request")
	}
	return f.reqs[len(f.reqs)-1], f.body[len(f.body)-1]
}

func (f *fakeFAPI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

func newHandler(t *testing.T, f *fakeFAPI, opts ...frontendproxy.Option) *frontendproxy.Handler {
	t.Helper()
	h, err := frontendproxy.New(append([]frontendproxy.Option{frontendproxy.WithSecretKey(secret),
		frontendproxy.WithFrontendAPIURL(f.srv.URL)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// behaviour.md §12.10: the headers sent to the Frontend API.
func TestRule12_ProxyHeaders(t *testing.T) {
	f := startFAPI(t, nil)
	cases := []struct {
		name            string
		opts            []frontendproxy.Option
		in              map[string]string
		host            string
		wantProxyURL    string
		wantFwdHost     string
		wantFwdProto    string
		wantFwdFor      string
		wantPath, query string
	}{
		{name: "FixedProxyURL", opts: []frontendproxy.Option{frontendproxy.WithProxyURL("https://app.example/__clerk")},
			in:           map[string]string{"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
			host:         "internal:8080",
			wantProxyURL: "https://app.example/__clerk", wantFwdHost: "app.example", wantFwdProto: "https", wantFwdFor: "192.0.2.1",
			wantPath: "/v1/client", query: "_clerk_js_version=5"},
		{name: "FromRequestHost", in: map[string]string{"X-Forwarded-Host": "evil.example", "Cf-Connecting-Ip": "6.6.6.6"},
			host:         "app.example",
			wantProxyURL: "http://app.example/__clerk", wantFwdHost: "app.example", wantFwdProto: "http", wantFwdFor: "192.0.2.1",
			wantPath: "/v1/client", query: "_clerk_js_version=5"},
		{name: "TrustedForwarded", opts: []frontendproxy.Option{frontendproxy.WithTrustForwardedHeaders(true)},
			in:           map[string]string{"X-Forwarded-Host": "app.example", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9, 10.0.0.1"},
			host:         "internal:8080",
			wantProxyURL: "https://app.example/__clerk", wantFwdHost: "app.example", wantFwdProto: "https", wantFwdFor: "203.0.113.9",
			wantPath: "/v1/client", query: "_clerk_js_version=5"},
		{name: "TrustedCloudflareFirst", opts: []frontendproxy.Option{frontendproxy.WithTrustForwardedHeaders(true)},
			in:           map[string]string{"Cf-Connecting-Ip": "198.51.100.7", "X-Real-Ip": "198.51.100.8", "X-Forwarded-For": "203.0.113.9"},
			host:         "app.example",
			wantProxyURL: "http://app.example/__clerk", wantFwdHost: "app.example", wantFwdProto: "http", wantFwdFor: "198.51.100.7",
			wantPath: "/v1/client", query: "_clerk_js_version=5"},
		{name: "TrustedBadForwardedHostIgnored", opts: []frontendproxy.Option{frontendproxy.WithTrustForwardedHeaders(true)},
			in:           map[string]string{"X-Forwarded-Host": "evil.example/x", "X-Forwarded-Proto": "https", "X-Real-Ip": "not-an-ip"},
			host:         "app.example",
			wantProxyURL: "http://app.example/__clerk", wantFwdHost: "app.example", wantFwdProto: "http", wantFwdFor: "192.0.2.1",
			wantPath: "/v1/client", query: "_clerk_js_version=5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHandler(t, f, tc.opts...)
			r := httptest.NewRequest("POST", "http://"+tc.host+"/__clerk"+tc.wantPath+"?"+tc.query, strings.NewReader("a=1"))
			r.Host = tc.host
			for k, v := range tc.in {
				r.Header.Set(k, v)
			}
			r.Header.Set("Cookie", "__client_uat=1")
			r.Header.Set("Clerk-Secret-Key", "sk_test_forged")
			r.Header.Set("Clerk-Proxy-Url", "https://evil.example")
			r.Header.Set("Connection", "keep-alive, X-Drop-Me")
			r.Header.Set("X-Drop-Me", "1")
			r.Header.Set("Keep-Alive", "timeout=5")
			r.Header.Set("Proxy-Authorization", "Basic eA==")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			got, body := f.last(t)
			checks := []struct{ name, got, want string }{
				{"path", got.URL.Path, tc.wantPath},
				{"query", got.URL.RawQuery, tc.query},
				{"body", string(body), "a=1"},
				{"Host", got.Host, strings.TrimPrefix(f.srv.URL, "http://")},
				{"Clerk-Proxy-Url", got.Header.Get("Clerk-Proxy-Url"), tc.wantProxyURL},
				{"Clerk-Secret-Key", got.Header.Get("Clerk-Secret-Key"), secret},
				{"X-Forwarded-Host", got.Header.Get("X-Forwarded-Host"), tc.wantFwdHost},
				{"X-Forwarded-Proto", got.Header.Get("X-Forwarded-Proto"), tc.wantFwdProto},
				{"X-Forwarded-For", strings.Join(got.Header.Values("X-Forwarded-For"), ","), tc.wantFwdFor},
				{"Cookie", got.Header.Get("Cookie"), "__client_uat=1"},
				{"X-Drop-Me", got.Header.Get("X-Drop-Me"), ""},
				{"Keep-Alive", got.Header.Get("Keep-Alive"), ""},
				{"Proxy-Authorization", got.Header.Get("Proxy-Authorization"), ""},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("behaviour.md §12.10: %s = %q, want %q", c.name, c.got, c.want)
				}
			}
		})
	}
}

// behaviour.md §12.11: Location headers on the Frontend API go through the
// proxy; others and hop-by-hop response headers are handled.
func TestRule12_ProxyLocationRewrite(t *testing.T) {
	var loc atomic.Value
	f := startFAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", strings.ReplaceAll(loc.Load().(string), "FAPI", r.Host))
		w.Header().Set("Connection", "X-Upstream-Hop")
		w.Header().Set("X-Upstream-Hop", "1")
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	h := newHandler(t, f, frontendproxy.WithProxyURL("https://app.example/__clerk"))
	for _, tc := range []struct{ name, loc, want string }{
		{"Absolute", "http://FAPI/v1/oauth_callback?code=1#frag", "https://app.example/__clerk/v1/oauth_callback?code=1#frag"},
		{"Relative", "/v1/client/sync?x=%2F", "https://app.example/__clerk/v1/client/sync?x=%2F"},
		{"OtherHost", "https://accounts.google.com/o/oauth2?x=1", "https://accounts.google.com/o/oauth2?x=1"},
		{"OtherScheme", "https://FAPI/v1/x", "https://app.example/__clerk/v1/x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc.Store(tc.loc)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "http://app.example/__clerk/v1/x", nil))
			if got := w.Header().Get("Location"); got != tc.want {
				t.Errorf("behaviour.md §12.11: Location = %q, want %q", got, tc.want)
			}
			if w.Header().Get("X-Upstream-Hop") != "" {
				t.Error("behaviour.md §12.10: a hop-by-hop response header was passed on")
			}
			if got := w.Header().Values("Set-Cookie"); len(got) != 2 {
				t.Errorf("Set-Cookie = %q, want both", got)
			}
		})
	}
}

// recordingTransport records the host of every request carrying the secret.
type recordingTransport struct {
	mu    sync.Mutex
	hosts []string
	next  http.RoundTripper
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	if r.Header.Get("Clerk-Secret-Key") != "" {
		rt.hosts = append(rt.hosts, r.URL.Host)
	}
	rt.mu.Unlock()
	return rt.next.RoundTrip(r)
}

// behaviour.md §12.12: the secret key reaches the Frontend API host only:
// redirects are not followed and no path leads elsewhere.
func TestRule12_ProxySecretStaysHome(t *testing.T) {
	var evilHits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { evilHits.Add(1) }))
	defer evil.Close()
	f := startFAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, evil.URL+"/steal", http.StatusFound)
		}
	})
	rt := &recordingTransport{next: http.DefaultTransport}
	h := newHandler(t, f, frontendproxy.WithTransport(rt))
	fapiHost := strings.TrimPrefix(f.srv.URL, "http://")
	evilHost := strings.TrimPrefix(evil.URL, "http://")
	for _, p := range []string{"/__clerk/redirect", "/__clerk//" + evilHost + "/x", "/__clerk/..%2f..%2f" + evilHost, "/__clerk/@" + evilHost + "/x", "/__clerk"} {
		t.Run(p, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://app.example/", nil)
			r.URL.Path = p
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if p == "/__clerk/redirect" && (w.Code != http.StatusFound || w.Header().Get("Location") != evil.URL+"/steal") {
				t.Errorf("redirect answered %d %q, want it passed to the browser", w.Code, w.Header().Get("Location"))
			}
		})
	}
	if n := evilHits.Load(); n != 0 {
		t.Errorf("behaviour.md §12.12: the other host got %d requests", n)
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if len(rt.hosts) != 5 {
		t.Fatalf("secret sent %d times, want 5", len(rt.hosts))
	}
	for _, host := range rt.hosts {
		if host != fapiHost {
			t.Errorf("behaviour.md §12.12: the secret went to %q", host)
		}
	}
}

// behaviour.md §12.12: request body, response body, time and requests in
// flight are bounded; the path must be under the mount path.
func TestRule12_ProxyBounds(t *testing.T) {
	release := make(chan struct{})
	f := startFAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Header().Set("Content-Length", "11")
			_, _ = w.Write([]byte("hello world"))
		case "/stream":
			w.(http.Flusher).Flush() // no Content-Length: chunked
			for range 4 {
				_, _ = w.Write([]byte("0123456789"))
				w.(http.Flusher).Flush()
			}
		case "/slow":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/echo":
			w.Header().Set("Clerk-Secret-Key", r.Header.Get("Clerk-Secret-Key"))
		case "/exact":
			_, _ = w.Write([]byte("0123456789"))
		}
	})
	t.Cleanup(func() { close(release) })
	var logs strings.Builder
	var logMu sync.Mutex
	h := newHandler(t, f, frontendproxy.WithMaxBodyBytes(10), frontendproxy.WithMaxResponseBytes(10),
		frontendproxy.WithTimeout(200*time.Millisecond), frontendproxy.WithLogger(slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, nil))))
	t.Cleanup(func() {
		logMu.Lock()
		defer logMu.Unlock()
		if logs.Len() == 0 || strings.Contains(logs.String(), secret) {
			t.Errorf("behaviour.md §12.12: the failures logged %q: want lines, never the secret", logs.String())
		}
	})
	for _, tc := range []struct {
		name    string
		path    string
		body    io.Reader
		clen    int64
		want    int
		wantErr string
	}{
		{"BodyAtLimit", "/__clerk/x", strings.NewReader("0123456789"), 10, 200, ""},
		{"BodyOverLimitDeclared", "/__clerk/x", strings.NewReader("0123456789a"), 11, 413, "proxy_request_too_large"},
		{"BodyOverLimitChunked", "/__clerk/x", io.MultiReader(strings.NewReader("0123456789a")), -1, 413, "proxy_request_too_large"},
		{"ResponseAtLimit", "/__clerk/exact", nil, 0, 200, ""},
		{"ResponseOverLimitDeclared", "/__clerk/big", nil, 0, 502, "proxy_request_failed"},
		{"Timeout", "/__clerk/slow", nil, 0, 504, "proxy_request_failed"},
		{"PathOutside", "/other/x", nil, 0, 400, "proxy_path_mismatch"},
		{"PathPrefixOnly", "/__clerkx/y", nil, 0, 400, "proxy_path_mismatch"},
		{"EchoedSecretDropped", "/__clerk/echo", nil, 0, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "http://app.example"+tc.path, tc.body)
			r.ContentLength = tc.clen
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want || !strings.Contains(w.Body.String(), tc.wantErr) {
				t.Errorf("behaviour.md §12.12: %d %s, want %d %s", w.Code, w.Body, tc.want, tc.wantErr)
			}
			if w.Header().Get("Clerk-Secret-Key") != "" {
				t.Error("behaviour.md §12.12: the secret key reached the browser")
			}
		})
	}
	t.Run("BadHost", func(t *testing.T) {
		r := httptest.NewRequest("GET", "http://app.example/__clerk/x", nil)
		r.Host = "evil.example/@x"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest {
			t.Errorf("a request with an invalid Host: %d, want 400", w.Code)
		}
	})
	t.Run("ResponseOverLimitStreamed", func(t *testing.T) {
		srv := httptest.NewServer(h)
		defer srv.Close()
		// Cut off before or after the headers, never passed on whole.
		var b []byte
		res, err := http.Get(srv.URL + "/__clerk/stream")
		if err == nil {
			defer res.Body.Close()
			b, err = io.ReadAll(res.Body)
		}
		if err == nil || len(b) > 10 {
			t.Errorf("behaviour.md §12.12: read %d bytes, err %v; want the response cut off at 10", len(b), err)
		}
	})
	t.Run("InFlight", func(t *testing.T) {
		h1 := newHandler(t, f, frontendproxy.WithMaxInFlight(1), frontendproxy.WithTimeout(5*time.Second))
		done := make(chan struct{})
		go func() {
			defer close(done)
			h1.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "http://app.example/__clerk/slow", nil))
		}()
		deadline := time.Now().Add(5 * time.Second)
		for f.count() == 0 || !strings.HasSuffix(lastPath(f), "/slow") {
			if time.Now().After(deadline) {
				t.Fatal("the slow request never reached the Frontend API")
			}
			time.Sleep(time.Millisecond)
		}
		w := httptest.NewRecorder()
		h1.ServeHTTP(w, httptest.NewRequest("GET", "http://app.example/__clerk/x", nil))
		if w.Code != http.StatusServiceUnavailable {
			t.Errorf("second request in flight: %d, want 503", w.Code)
		}
		release <- struct{}{}
		<-done
		w = httptest.NewRecorder()
		h1.ServeHTTP(w, httptest.NewRequest("GET", "http://app.example/__clerk/x", nil))
		if w.Code != 200 {
			t.Errorf("after the first finished: %d, want 200", w.Code)
		}
	})
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func lastPath(f *fakeFAPI) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reqs[len(f.reqs)-1].URL.Path
}

func TestNewConfig(t *testing.T) {
	ok := frontendproxy.WithSecretKey(secret)
	fapi := frontendproxy.WithFrontendAPIURL("https://frontend-api.clerk.dev")
	for _, tc := range []struct {
		name string
		opts []frontendproxy.Option
		ok   bool
	}{
		{"Minimal", []frontendproxy.Option{ok, fapi}, true},
		{"PublishableKey", []frontendproxy.Option{ok, frontendproxy.WithPublishableKey("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k")}, true},
		{"NoSecret", []frontendproxy.Option{fapi}, false},
		{"NoFrontendAPI", []frontendproxy.Option{ok}, false},
		{"BadSecret", []frontendproxy.Option{frontendproxy.WithSecretKey("pk_test_x"), fapi}, false},
		{"FAPIWithPath", []frontendproxy.Option{ok, frontendproxy.WithFrontendAPIURL("https://x.example/v1")}, false},
		{"FAPIWithUser", []frontendproxy.Option{ok, frontendproxy.WithFrontendAPIURL("https://u:p@x.example")}, false},
		{"FAPINotHTTP", []frontendproxy.Option{ok, frontendproxy.WithFrontendAPIURL("ftp://x.example")}, false},
		{"ProxyURLNoPath", []frontendproxy.Option{ok, fapi, frontendproxy.WithProxyURL("https://app.example")}, false},
		{"ProxyURLPathOnly", []frontendproxy.Option{ok, fapi, frontendproxy.WithProxyURL("/__clerk")}, true},
		{"PathDoubleSlash", []frontendproxy.Option{ok, fapi, frontendproxy.WithPath("//x")}, false},
		{"BodyZero", []frontendproxy.Option{ok, fapi, frontendproxy.WithMaxBodyBytes(0)}, false},
		{"BodyOne", []frontendproxy.Option{ok, fapi, frontendproxy.WithMaxBodyBytes(1)}, true},
		{"ResponseZero", []frontendproxy.Option{ok, fapi, frontendproxy.WithMaxResponseBytes(0)}, false},
		{"TimeoutTooShort", []frontendproxy.Option{ok, fapi, frontendproxy.WithTimeout(time.Microsecond)}, false},
		{"TimeoutMin", []frontendproxy.Option{ok, fapi, frontendproxy.WithTimeout(time.Millisecond)}, true},
		{"TimeoutTooLong", []frontendproxy.Option{ok, fapi, frontendproxy.WithTimeout(11 * time.Minute)}, false},
		{"InFlightZero", []frontendproxy.Option{ok, fapi, frontendproxy.WithMaxInFlight(0)}, false},
		{"NilTransport", []frontendproxy.Option{ok, fapi, frontendproxy.WithTransport(nil)}, false},
		{"NilLogger", []frontendproxy.Option{ok, fapi, frontendproxy.WithLogger(nil)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := frontendproxy.New(tc.opts...)
			if tc.ok != (err == nil) || (err != nil && !errors.Is(err, frontendproxy.ErrConfig)) {
				t.Fatalf("New: %v, want ok=%v", err, tc.ok)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Fatal("the error echoes the secret")
			}
		})
	}
}
