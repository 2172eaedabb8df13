package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

// EnvBrowserArtifacts names the directory the browser test writes its
// failure screenshots to (default: the test's artifact directory, under its
// temporary directory unless go test runs with -artifacts).
const EnvBrowserArtifacts = "CLERKGUARD_BROWSER_ARTIFACTS"

// chromiumNames are the browser binaries the test looks for on PATH.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// findChromium returns the browser to drive. Without one the test is
// skipped only outside CI: with CI set, a missing browser fails it.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, n := range chromiumNames {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but no Chromium is installed (looked for %v on PATH); .ci/run installs the Debian package chromium", chromiumNames)
	}
	t.Skipf("no Chromium on PATH (looked for %v); install the Debian package chromium to run the browser test", chromiumNames)
	return ""
}

// devApp is the example running in this process, on the test's clock; dev
// is set in dev mode.
type devApp struct {
	base string
	dev  *dev
}

// startDevApp starts the example in dev mode as the Clerk instance of
// issuerURL.
func startDevApp(t *testing.T, clock *clerktest.Clock, issuerURL string) *devApp {
	t.Helper()
	return startApp(t, env{getenv: envMap(map[string]string{exampleapp.EnvAddr: "127.0.0.1:0"}), now: clock.Now, devIssuer: issuerURL})
}

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// startApp runs the example with e until the test ends.
func startApp(t *testing.T, e env) *devApp {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan *devApp, 1)
	done := make(chan error, 1)
	e.ready = func(base string, d *dev) { ready <- &devApp{base: base, dev: d} }
	go func() { done <- run(ctx, e) }()
	select {
	case app := <-ready:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("the app stopped with %v", err)
			}
		})
		return app
	case err := <-done:
		cancel()
		t.Fatalf("the app did not start: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("the app did not start within 30s")
	}
	return nil
}

// newBrowser starts headless Chromium as the brief of issue 19 says (root
// needs --no-sandbox) with a fresh profile, and saves a screenshot of the
// page when the test fails.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := findChromium(t)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 800),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil { // start the browser now, without a deadline
		cancel()
		cancelAlloc()
		t.Fatalf("starting %s: %v", path, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			saveScreenshot(t, ctx)
		}
		cancel()
		cancelAlloc()
	})
	return ctx
}

// saveScreenshot writes the current page to the artifacts directory and
// prints where.
func saveScreenshot(t *testing.T, ctx context.Context) {
	dir := os.Getenv(EnvBrowserArtifacts)
	if dir == "" {
		dir = t.ArtifactDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	loc, _ := chromedp.Run(sctx, chromedp.Location())
	file := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	t.Logf("screenshot of %s saved to %s", redact(loc), file)
}

// step runs actions with a deadline.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitPage waits until the browser shows a page at a URL starting with
// prefix whose #status says status (after redirects, handshakes and form
// posts have settled).
func waitPage(t *testing.T, ctx context.Context, what, prefix, status string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var loc, got string
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		loc, _ = chromedp.Run(sctx, chromedp.Location())
		got, _ = chromedp.Run(sctx, chromedp.Evaluate[string](`(document.querySelector("#status") || {}).textContent || ""`))
		cancel()
		if strings.HasPrefix(loc, prefix) && got == status {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: the browser is at %s showing %q, want %s… showing %q", what, redact(loc), got, prefix, status)
}

func cookies(t *testing.T, ctx context.Context, u string) map[string]*network.Cookie {
	t.Helper()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{u}})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*network.Cookie{}
	for _, c := range res.Cookies {
		m[c.Name] = c
	}
	return m
}

func handshakesWithReason(iss *clerktest.Issuer, prefix string) int {
	n := 0
	for _, q := range iss.HandshakeRequests() {
		if strings.HasPrefix(q.Get("__clerk_hs_reason"), prefix) {
			n++
		}
	}
	return n
}

// The two Clerk instances of the browser test, fixed so that a run is
// reproducible, with cookie suffixes that hold the two non-alphanumeric
// characters of URL-safe base64: 98ZnDeS_ and -9AvQNso.
const (
	instanceA = "https://clerk.instance-15.clerktest.example"
	instanceB = "https://clerk.instance-26.clerktest.example"
)

// TestBrowserSession drives headless Chromium through the example in dev
// mode against the clerktest Frontend API: sign in on the sign-in page, let
// the session token expire (the app's and the fake's shared clock jumps two
// minutes), load /dashboard and stay signed in through the handshake, sign
// into a second instance on the same host and see its cookies ignored, sign
// out (the Frontend API sets __client_uat=0) and see "Signed out".
func TestBrowserSession(t *testing.T) {
	ctx := newBrowser(t)
	clock := clerktest.NewClock(time.Now().UTC().Truncate(time.Second))
	app := startDevApp(t, clock, instanceA)
	iss := app.dev.iss
	sfx := "_" + iss.CookieSuffix()

	step(t, ctx, "open the home page", chromedp.Navigate(app.base+"/"))
	waitPage(t, ctx, "first visit", app.base+"/", "Signed out")

	step(t, ctx, "click Sign in", chromedp.Click(chromedp.ID("sign-in")))
	signInAs(t, ctx, "the sign-in page", iss.SignInURL(), "user_browser", app.base+"/dashboard")
	first := cookies(t, ctx, app.base)
	if first["__session"+sfx] == nil || first["__client_uat"+sfx] == nil || first["__client_uat"+sfx].Value == "0" {
		t.Fatalf("after sign-in the browser has no suffixed session cookies: %v", names(first))
	}

	// The session token lives 60 s; two minutes later the next page load
	// must go through the handshake and come back signed in.
	clock.Advance(2 * time.Minute)
	before, payloads := handshakesWithReason(iss, "session-token-expired"), iss.HandshakePayloadRequests()
	step(t, ctx, "load /dashboard after expiry", chromedp.Navigate(app.base+"/dashboard"))
	waitPage(t, ctx, "after expiry", app.base+"/dashboard", "Signed in as user_browser")
	if n := handshakesWithReason(iss, "session-token-expired"); n != before+1 {
		t.Errorf("handshakes for an expired token: %d, want %d (the page was served without a handshake?)", n, before+1)
	}
	if n := iss.HandshakePayloadRequests(); n != payloads+1 {
		t.Errorf("handshake_payload calls: %d, want %d (the app asks for format=nonce and redeems it)", n, payloads+1)
	}
	if after := cookies(t, ctx, app.base); after["__session"+sfx] == nil || after["__session"+sfx].Value == first["__session"+sfx].Value {
		t.Error("the handshake did not replace the session cookie")
	}

	// A second instance on the same host (another dev app, another fake
	// Clerk): signing in there overwrites the plain cookies, never ours.
	other := startDevApp(t, clock, instanceB)
	step(t, ctx, "open the second instance's dashboard", chromedp.Navigate(other.base+"/dashboard"))
	signInAs(t, ctx, "the second instance's sign-in page", other.dev.iss.SignInURL(), "user_other", other.base+"/dashboard")
	step(t, ctx, "back to the first instance", chromedp.Navigate(app.base+"/"))
	waitPage(t, ctx, "first instance with the second's cookies present", app.base+"/", "Signed in as user_browser")
	shared := cookies(t, ctx, app.base)
	if shared["__session"] == nil || shared["__session"].Value == shared["__session"+sfx].Value {
		t.Errorf("the plain __session is not the second instance's: the test did not put a foreign cookie in the way")
	}

	// Sign out: the Frontend API ends the session and its handshake sets
	// __client_uat=0 and removes __session.
	step(t, ctx, "click Sign out", chromedp.Click(chromedp.ID("sign-out")))
	waitPage(t, ctx, "after sign-out", app.base+"/", "Signed out")
	out := cookies(t, ctx, app.base)
	if c := out["__client_uat"+sfx]; c == nil || c.Value != "0" {
		t.Errorf("after sign-out __client_uat%s = %v, want 0", sfx, c)
	}
	if c := out["__session"+sfx]; c != nil && c.Value != "" {
		t.Errorf("after sign-out __session%s is still set", sfx)
	}
	step(t, ctx, "load /dashboard signed out", chromedp.Navigate(app.base+"/dashboard"))
	waitForURL(t, ctx, "the sign-in page after sign-out", iss.SignInURL())
	// The second instance is still signed in: its cookies were never ours.
	step(t, ctx, "the second instance", chromedp.Navigate(other.base+"/"))
	waitPage(t, ctx, "second instance after the first signed out", other.base+"/", "Signed in as user_other")

	// Signed out elsewhere (another tab, another device): the Frontend API's
	// session ends and ClerkJS clears __client_uat (sets it to 0). The
	// still-unexpired __session alone no longer signs the page in.
	step(t, ctx, "sign in again", chromedp.Navigate(app.base+"/dashboard"))
	signInAs(t, ctx, "the sign-in page", iss.SignInURL(), "user_again", app.base+"/dashboard")
	signOutElsewhere(t, ctx, iss, app.base, "__clerk_db_jwt"+sfx)
	step(t, ctx, "load the home page with __client_uat cleared", chromedp.Navigate(app.base+"/"))
	waitPage(t, ctx, "__client_uat cleared", app.base+"/", "Signed out")
}

// signInAs waits for the sign-in page at signInURL, signs in as user and
// waits for the app's page at back to say so.
func signInAs(t *testing.T, ctx context.Context, what, signInURL, user, back string) {
	t.Helper()
	waitForURL(t, ctx, what, signInURL)
	step(t, ctx, "sign in as "+user, chromedp.SetValue(chromedp.ID("user_id"), user), chromedp.Click(chromedp.ID("sign-in")))
	waitPage(t, ctx, "signed in as "+user, back, "Signed in as "+user)
}

func waitForURL(t *testing.T, ctx context.Context, what, prefix string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var loc string
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		loc, _ = chromedp.Run(sctx, chromedp.Location())
		cancel()
		if strings.HasPrefix(loc, prefix) {
			step(t, ctx, what+" loaded", chromedp.WaitReady(chromedp.CSS("body")))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: the browser is at %s, want %s…", what, redact(loc), prefix)
}

func names(m map[string]*network.Cookie) []string {
	var out []string
	for n, c := range m {
		out = append(out, fmt.Sprintf("%s=%.12s", n, c.Value))
	}
	return out
}

// signOutElsewhere ends the session at the Frontend API, as another tab or
// device would, and clears __client_uat (plain and suffixed, sets it to 0)
// as ClerkJS does, keeping the unexpired __session.
func signOutElsewhere(t *testing.T, ctx context.Context, iss *clerktest.Issuer, base, clientCookie string) {
	t.Helper()
	ck := cookies(t, ctx, base)[clientCookie]
	if ck == nil {
		t.Fatalf("the browser has no %s cookie", clientCookie)
	}
	client, ok := iss.Client(ck.Value)
	if !ok || client.SessionID() == "" {
		t.Fatalf("the browser's %s names no signed-in Client", clientCookie)
	}
	client.SignOut()
	for _, name := range []string{"__client_uat", "__client_uat_" + iss.CookieSuffix()} {
		if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: name, Value: "0", URL: base + "/", SameSite: network.CookieSameSiteLax}); err != nil {
			t.Fatal(err)
		}
	}
	if c := cookies(t, ctx, base)["__session_"+iss.CookieSuffix()]; c == nil || c.Value == "" {
		t.Fatal("the test meant to keep the session cookie while clearing __client_uat")
	}
}

// TestBrowserSessionProduction is the same journey against a production
// instance (pk_live_), configured only by the environment: no dev-browser
// token, the handshake handed back in a cookie and resolved without a
// redirect.
func TestBrowserSessionProduction(t *testing.T) {
	ctx := newBrowser(t)
	clock := clerktest.NewClock(time.Now().UTC().Truncate(time.Second))
	iss := clerktest.Start(t, clerktest.WithProductionInstance(), clerktest.WithClock(clock.Now),
		clerktest.WithIssuerURL("https://clerk.instance-3.clerktest.example")) // suffix BBHOQgdX
	addr := freeAddr(t)
	app := startApp(t, env{now: clock.Now, getenv: envMap(map[string]string{
		exampleapp.EnvAddr:         addr,
		"CLERK_PUBLISHABLE_KEY":    iss.PublishableKey(),
		"CLERK_SECRET_KEY":         iss.SecretKey(),
		"CLERK_API_URL":            iss.APIURL(),
		"CLERK_PROXY_URL":          iss.FrontendAPIURL(),
		"CLERK_SIGN_IN_URL":        iss.SignInURL(),
		"CLERK_AUTHORIZED_PARTIES": "http://" + addr,
	})})

	step(t, ctx, "open the home page", chromedp.Navigate(app.base+"/"))
	waitPage(t, ctx, "first visit", app.base+"/", "Signed out")
	step(t, ctx, "click Sign in", chromedp.Click(chromedp.ID("sign-in")))
	signInAs(t, ctx, "the sign-in page", iss.SignInURL(), "user_prod", app.base+"/dashboard")
	if c := cookies(t, ctx, app.base)["__clerk_handshake_nonce"]; c != nil {
		t.Error("the handshake nonce cookie survived its resolution")
	}

	clock.Advance(2 * time.Minute)
	before := handshakesWithReason(iss, "session-token-expired")
	step(t, ctx, "load /dashboard after expiry", chromedp.Navigate(app.base+"/dashboard"))
	waitPage(t, ctx, "after expiry", app.base+"/dashboard", "Signed in as user_prod")
	if n := handshakesWithReason(iss, "session-token-expired"); n != before+1 {
		t.Errorf("handshakes for an expired token: %d, want %d", n, before+1)
	}

	signOutElsewhere(t, ctx, iss, app.base, "__clerktest_client_"+iss.CookieSuffix())
	step(t, ctx, "load the home page with __client_uat cleared", chromedp.Navigate(app.base+"/"))
	waitPage(t, ctx, "__client_uat cleared", app.base+"/", "Signed out")
}

// networkLog records, from the browser's side, the URL and headers of every
// request Chromium sent and every answer it got (redirects included).
type networkLog struct {
	mu      sync.Mutex
	urls    []string
	entries []string // URLs and headers, for searching
}

func listenNetwork(t *testing.T, ctx context.Context) *networkLog {
	t.Helper()
	l := &networkLog{}
	err := chromedp.Listen(ctx, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			l.urls = append(l.urls, ev.Request.URL)
			l.entries = append(l.entries, fmt.Sprint(ev.Request.URL, ev.Request.Headers))
			if ev.RedirectResponse != nil {
				l.entries = append(l.entries, fmt.Sprint(ev.RedirectResponse.URL, ev.RedirectResponse.Headers))
			}
		case *network.EventResponseReceived:
			l.entries = append(l.entries, fmt.Sprint(ev.Response.URL, ev.Response.Headers))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// count is how many requests went to a URL starting with prefix.
func (l *networkLog) count(prefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, u := range l.urls {
		if strings.HasPrefix(u, prefix) {
			n++
		}
	}
	return n
}

func (l *networkLog) contains(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.entries {
		if strings.Contains(e, s) {
			return true
		}
	}
	return false
}

// TestBrowserSessionProxy is the dev-mode journey with the Frontend API
// proxy (SSR_DEV_PROXY=true): sign in, let the session token expire, load
// /dashboard and stay signed in, the handshake having gone through the
// app's /__clerk/v1/client/handshake (the browser went there and never to
// the fake Frontend API's own handshake; the proxy forwarded it with
// Clerk-Proxy-Url and the secret), and the secret key never reached the
// browser (no URL, header, cookie or page of the journey holds it).
func TestBrowserSessionProxy(t *testing.T) {
	ctx := newBrowser(t)
	netlog := listenNetwork(t, ctx)
	clock := clerktest.NewClock(time.Now().UTC().Truncate(time.Second))
	rec := &fapiRecorder{}
	app := startApp(t, env{getenv: envMap(map[string]string{exampleapp.EnvAddr: "127.0.0.1:0", EnvDevProxy: "true"}),
		now: clock.Now, devIssuer: instanceA, proxyTransport: rec})
	iss := app.dev.iss
	rec.secret = iss.SecretKey()
	proxyHandshake := app.base + "/__clerk/v1/client/handshake"
	directHandshake := iss.FrontendAPIURL() + "/v1/client/handshake"
	sfx := "_" + iss.CookieSuffix()

	step(t, ctx, "open the home page", chromedp.Navigate(app.base+"/"))
	waitPage(t, ctx, "first visit", app.base+"/", "Signed out")
	step(t, ctx, "click Sign in", chromedp.Click(chromedp.ID("sign-in")))
	signInAs(t, ctx, "the sign-in page", iss.SignInURL(), "user_proxy", app.base+"/dashboard")
	first := cookies(t, ctx, app.base)
	if first["__session"+sfx] == nil {
		t.Fatalf("after sign-in the browser has no %s cookie: %v", "__session"+sfx, names(first))
	}

	clock.Advance(2 * time.Minute)
	before, viaProxy, forwarded := handshakesWithReason(iss, "session-token-expired"), netlog.count(proxyHandshake), len(rec.handshakes())
	step(t, ctx, "load /dashboard after expiry", chromedp.Navigate(app.base+"/dashboard"))
	waitPage(t, ctx, "after expiry", app.base+"/dashboard", "Signed in as user_proxy")
	if n := handshakesWithReason(iss, "session-token-expired"); n != before+1 {
		t.Errorf("handshakes for an expired token at the fake Frontend API: %d, want %d", n, before+1)
	}
	if n := netlog.count(proxyHandshake); n != viaProxy+1 {
		t.Errorf("the browser loaded %s %d times after expiry, want 1", proxyHandshake, n-viaProxy)
	}
	if n := len(rec.handshakes()); n != forwarded+1 {
		t.Errorf("the proxy forwarded %d handshakes after expiry, want 1", n-forwarded)
	}
	if n := netlog.count(directHandshake); n != 0 {
		t.Errorf("the browser went to the fake Frontend API's handshake directly %d times, want 0 (every handshake through the proxy)", n)
	}
	checkForwarded(t, rec, iss, app.base+"/__clerk")
	if after := cookies(t, ctx, app.base); after["__session"+sfx] == nil || after["__session"+sfx].Value == first["__session"+sfx].Value {
		t.Error("the handshake through the proxy did not replace the session cookie")
	}

	secret := iss.SecretKey()
	if netlog.contains(secret) {
		t.Error("a URL or header the browser sent or received carries the secret key")
	}
	for _, u := range []string{app.base, iss.FrontendAPIURL()} {
		for name, c := range cookies(t, ctx, u) {
			if strings.Contains(c.Value, secret) {
				t.Errorf("the browser's cookie %s carries the secret key", name)
			}
		}
	}
	html, err := chromedp.Run(ctx, chromedp.OuterHTML("html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, secret) {
		t.Error("the page carries the secret key")
	}
}
