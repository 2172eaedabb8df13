package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the example once per test process.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ssr-example-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "ssr")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// started is the example running as its own process.
type started struct {
	base   string
	stdout []string
	stderr *strings.Builder
}

// start runs the binary with exactly env (plus PATH and HOME) and waits for
// the line naming its address, then for GET /health.
func start(t *testing.T, env map[string]string) *started {
	t.Helper()
	cmd := exec.Command(binary(t))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &started{stderr: &strings.Builder{}}
	var errMu sync.Mutex
	cmd.Stderr = writerFunc(func(p []byte) (int, error) { errMu.Lock(); defer errMu.Unlock(); return s.stderr.Write(p) })
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			errMu.Lock()
			t.Logf("example stdout:\n%s\nexample stderr:\n%s", strings.Join(s.stdout, "\n"), s.stderr)
			errMu.Unlock()
		}
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	addrLine := regexp.MustCompile(`(http://127\.0\.0\.1:\d+)/`)
	deadline := time.After(60 * time.Second)
	for s.base == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the example exited before printing its address")
			}
			s.stdout = append(s.stdout, l)
			if m := addrLine.FindStringSubmatch(l); m != nil {
				s.base = m[1]
			}
		case <-deadline:
			t.Fatal("the example printed no address within 60s")
		}
	}
	go func() { // keep draining stdout
		for range lines {
		}
	}()
	res := browserGet(t, http.DefaultClient, s.base+"/health", "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /health: %d", res.StatusCode)
	}
	return s
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// freeAddr is a loopback address nothing listens on (for ADDR when the
// configuration must name the app's origin before it starts).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// browser is an HTTP client that behaves like a browser for the handshake
// rules: a cookie jar (cookies are per host, not per port, as in browsers),
// redirects followed, page loads marked Sec-Fetch-Dest: document.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

// browserGet loads u as a page (dest "document"), as an API call (dest
// "empty", Accept JSON) or plainly (dest "").
func browserGet(t *testing.T, c *http.Client, u, dest string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	switch dest {
	case "document":
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		req.Header.Set("Sec-Fetch-Dest", "document")
	case "empty":
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Sec-Fetch-Dest", "empty")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// submit fills and posts the first form of an HTML page, as a person
// clicking its button would; fields override or add inputs.
func submit(t *testing.T, c *http.Client, pageURL, html string, fields url.Values) *http.Response {
	t.Helper()
	action := regexp.MustCompile(`<form method="post" action="([^"]+)"`).FindStringSubmatch(html)
	if action == nil {
		t.Fatalf("no form on the page:\n%s", html)
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"`).FindAllStringSubmatch(html, -1) {
		form.Set(m[1], unescapeHTML(m[2]))
	}
	for k, v := range fields {
		form[k] = v
	}
	base, _ := url.Parse(pageURL)
	target, err := base.Parse(unescapeHTML(action[1]))
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, target.String(), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Sec-Fetch-Dest", "document")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func unescapeHTML(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}

func wantStatus(t *testing.T, what, page, status string) {
	t.Helper()
	if !strings.Contains(page, `<p id="status">`+status+`</p>`) {
		t.Fatalf("%s: the page does not say %q:\n%s", what, status, page)
	}
}

// TestSmokeDevMode does what the package doc and the README tell a person:
// start the example with no configuration, open it, sign in as a test user
// on the dev sign-in page, use the pages and the API, sign out.
func TestSmokeDevMode(t *testing.T) {
	s := start(t, map[string]string{"ADDR": "127.0.0.1:0"})
	if !strings.Contains(strings.Join(s.stdout, "\n"), "dev mode: open "+s.base+"/ in a browser") {
		t.Errorf("the example does not tell a person what to open: %q", s.stdout)
	}
	b := browser(t)

	res := browserGet(t, b, s.base+"/", "document")
	wantStatus(t, "first visit", body(t, res), "Signed out")

	// "Sign in" (/dashboard) goes to the dev sign-in page.
	res = browserGet(t, b, s.base+"/dashboard", "document")
	page := body(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `name="user_id"`) {
		t.Fatalf("/dashboard signed out: %d at %s, want the sign-in page:\n%s", res.StatusCode, redact(res.Request.URL.String()), page)
	}
	if q := res.Request.URL.Query(); q.Get("redirect_url") != s.base+"/dashboard" {
		t.Errorf("sign-in redirect_url %q, want %s/dashboard", q.Get("redirect_url"), s.base)
	}
	res = submit(t, b, res.Request.URL.String(), page, url.Values{"user_id": {"user_smoke"}})
	page = body(t, res)
	if res.Request.URL.String() != s.base+"/dashboard" {
		t.Errorf("after sign-in the browser is at %s, want %s/dashboard (handshake parameters removed)", redact(res.Request.URL.String()), s.base)
	}
	wantStatus(t, "after sign-in", page, "Signed in as user_smoke")

	res = browserGet(t, b, s.base+"/api/me", "empty")
	if got := body(t, res); res.StatusCode != http.StatusOK || strings.TrimSpace(got) != `{"user_id":"user_smoke"}` {
		t.Errorf("/api/me signed in: %d %s", res.StatusCode, got)
	}
	wantStatus(t, "home signed in", body(t, browserGet(t, b, s.base+"/", "document")), "Signed in as user_smoke")

	res = browserGet(t, b, s.base+"/", "document")
	res = submit(t, b, s.base+"/", body(t, res), nil) // the Sign out button
	wantStatus(t, "after sign-out", body(t, res), "Signed out")
	res = browserGet(t, b, s.base+"/api/me", "empty")
	if res.StatusCode != http.StatusUnauthorized || res.Header.Get("X-Clerk-Auth-Reason") == "" {
		t.Errorf("/api/me after sign-out: %d, reason %q; want 401 with a reason", res.StatusCode, res.Header.Get("X-Clerk-Auth-Reason"))
	}
}

func TestSmokeDevModeLoopbackOnly(t *testing.T) {
	cmd := exec.Command(binary(t))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "ADDR=0.0.0.0:0"}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "loopback only") {
		t.Fatalf("dev mode on 0.0.0.0: err %v, output %s; want a refusal", err, out)
	}
}

// TestSmokeConfigured checks the environment contract against a Clerk
// instance played by a clerktest Issuer in this process (real time).
func TestSmokeConfigured(t *testing.T) {
	iss := clerktest.Start(t)
	addr := freeAddr(t)
	base := "http://" + addr
	s := start(t, map[string]string{
		"ADDR":                     addr,
		"CLERK_PUBLISHABLE_KEY":    iss.PublishableKey(),
		"CLERK_SECRET_KEY":         iss.SecretKey(),
		"CLERK_API_URL":            iss.APIURL(),
		"CLERK_PROXY_URL":          iss.FrontendAPIURL(),
		"CLERK_SIGN_IN_URL":        iss.SignInURL(),
		"CLERK_AUTHORIZED_PARTIES": base,
	})
	if s.base != base {
		t.Fatalf("serving %s, want %s", s.base, base)
	}
	browserClient, err := iss.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	sid := browserClient.SignIn(clerktest.Session{UserID: "user_env"})
	now := time.Now()
	fresh := iss.Mint(clerktest.Session{UserID: "user_env", SessionID: sid, AuthorizedParty: base})
	expired := iss.Mint(clerktest.Session{UserID: "user_env", SessionID: sid, AuthorizedParty: base, IssuedAt: now.Add(-10 * time.Minute)})
	uat := strconv.FormatInt(now.Add(-20*time.Minute).Unix(), 10)
	plain := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	call := func(t *testing.T, path, dest string, cookies map[string]string) *http.Response {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+path, nil)
		if dest == "document" {
			req.Header.Set("Accept", "text/html")
			req.Header.Set("Sec-Fetch-Dest", "document")
		}
		for k, v := range cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		res, err := plain.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	signedIn := map[string]string{"__session": fresh, "__client_uat": uat, "__clerk_db_jwt": browserClient.DevBrowser()}

	t.Run("HomeSignedIn", func(t *testing.T) {
		wantStatus(t, "GET /", body(t, call(t, "/", "document", signedIn)), "Signed in as user_env")
	})
	t.Run("HomeSignedOut", func(t *testing.T) {
		res := call(t, "/", "", nil)
		wantStatus(t, "GET / without cookies", body(t, res), "Signed out")
	})
	t.Run("APIMe", func(t *testing.T) {
		res := call(t, "/api/me", "", signedIn)
		var got map[string]string
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != http.StatusOK || got["user_id"] != "user_env" {
			t.Fatalf("/api/me: %d %v %v", res.StatusCode, got, err)
		}
		for name, cookies := range map[string]map[string]string{
			"no cookies": nil,
			"expired":    {"__session": expired, "__client_uat": uat, "__clerk_db_jwt": browserClient.DevBrowser()},
		} {
			res := call(t, "/api/me", "document", cookies) // even a page-like request gets no redirect
			if res.StatusCode != http.StatusUnauthorized || res.Header.Get("X-Clerk-Auth-Reason") == "" || res.Header.Get("Location") != "" {
				t.Errorf("/api/me %s: %d, reason %q, Location %q; want 401 with a reason and no redirect",
					name, res.StatusCode, res.Header.Get("X-Clerk-Auth-Reason"), res.Header.Get("Location"))
			}
		}
	})
	t.Run("DashboardRedirectsToSignIn", func(t *testing.T) {
		// A development instance first needs a dev browser: without one the
		// page load goes through the handshake to get it.
		res := call(t, "/dashboard", "document", nil)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusTemporaryRedirect || !strings.Contains(loc, "__clerk_hs_reason=dev-browser-missing") {
			t.Errorf("/dashboard without a dev browser: %d Location %q; want the dev-browser-missing handshake", res.StatusCode, redact(loc))
		}
		signedOut, _ := iss.NewClient()
		res = call(t, "/dashboard", "document", map[string]string{"__clerk_db_jwt": signedOut.DevBrowser()})
		loc, _ := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != http.StatusTemporaryRedirect || loc == nil || !strings.HasPrefix(loc.String(), iss.SignInURL()) ||
			loc.Query().Get("redirect_url") != base+"/dashboard" {
			t.Fatalf("/dashboard signed out: %d Location %q; want 307 to %s?redirect_url=%s/dashboard", res.StatusCode, res.Header.Get("Location"), iss.SignInURL(), base)
		}
		if res := call(t, "/dashboard", "", nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("/dashboard signed out, not a page load: %d, want 401", res.StatusCode)
		}
	})
	t.Run("ExpiredSessionRefresh", func(t *testing.T) {
		// With the __refresh cookie an expired session is refreshed at the
		// Backend API on the spot: signed in, fresh cookies, no redirect.
		before := iss.RefreshRequests()
		res := call(t, "/", "document", map[string]string{"__session": expired, "__client_uat": uat,
			"__clerk_db_jwt": browserClient.DevBrowser(), "__refresh_" + iss.CookieSuffix(): browserClient.RefreshToken()})
		wantStatus(t, "expired session with __refresh", body(t, res), "Signed in as user_env")
		if n := iss.RefreshRequests(); n != before+1 {
			t.Errorf("refresh calls %d, want %d", n, before+1)
		}
		fresh := false
		for _, c := range res.Cookies() {
			fresh = fresh || (c.Name == "__session" && c.Value != "" && c.Value != expired)
		}
		if !fresh {
			t.Error("no fresh __session cookie set after the refresh")
		}
	})
	t.Run("ExpiredSessionHandshake", func(t *testing.T) {
		res := call(t, "/dashboard", "document", map[string]string{"__session": expired, "__client_uat": uat, "__clerk_db_jwt": browserClient.DevBrowser()})
		loc, _ := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != http.StatusTemporaryRedirect || loc == nil || !strings.HasPrefix(loc.String(), iss.FrontendAPIURL()+"/v1/client/handshake?") {
			t.Fatalf("expired page load: %d Location %q; want a 307 handshake to the Frontend API", res.StatusCode, redact(res.Header.Get("Location")))
		}
		// A browser follows it all the way and ends signed in.
		b := browser(t)
		u, _ := url.Parse(base)
		b.Jar.SetCookies(u, []*http.Cookie{{Name: "__session", Value: expired}, {Name: "__client_uat", Value: uat}, {Name: "__clerk_db_jwt", Value: browserClient.DevBrowser()}})
		res = browserGet(t, b, base+"/dashboard", "document")
		wantStatus(t, "after the handshake", body(t, res), "Signed in as user_env")
		if hs := iss.HandshakeRequests(); len(hs) == 0 || hs[len(hs)-1].Get("redirect_url") != base+"/dashboard" {
			t.Errorf("handshake requests %v", hs)
		}
	})
}

// redact shortens the query values of u (handshake tokens, nonces, nested
// redirect URLs carrying them) so that failure messages hold no token.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	q := p.Query()
	for k, vs := range q {
		for i, v := range vs {
			if len(v) > 24 {
				vs[i] = v[:12] + "…"
			}
		}
		q[k] = vs
	}
	p.RawQuery = q.Encode()
	return p.String()
}
