// Package smoketest is the smoke test every runnable example runs: it builds
// the example's binary, starts it on a random loopback port, runs the curl
// commands it prints in dev mode (with bash and curl, exactly as printed) and
// checks their status codes against its own table; it also checks that dev
// mode refuses non-loopback addresses, that setting CLERK_* variables
// switches to the configured instance, and that the conformance black box
// passes against the binary configured by nothing but the variables of
// bb.Env() (the README's out-of-process recipe). BlackBox runs the black box
// against an example's router inside the test process.
package smoketest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/conformance"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

// Options tune Run.
type Options struct {
	// README, when set, is a README whose curl lines (after the
	// "go run ./examples/<name>" line) must each be printed by the example
	// in dev mode, with http://127.0.0.1:8080 standing for its address.
	README string
}

// want is the smoke test's own expectation for every call of the tour:
// caller ("" signed out, ADMIN, MEMBER), method and path.
var want = map[string]int{
	"GET /health":                 200,
	"GET /me":                     401,
	"ADMIN GET /me":               200,
	"MEMBER GET /me":              200,
	"ADMIN POST /invoices":        201,
	"MEMBER POST /invoices":       403,
	"ADMIN GET /admin":            200,
	"MEMBER GET /admin":           403,
	"ADMIN GET /billing/reports":  200,
	"MEMBER GET /billing/reports": 403,
}

// Run builds the example in the current directory (the test's package) and
// runs the smoke tests against it. It needs the go command, bash and curl.
func Run(t *testing.T, opts Options) {
	for _, tool := range []string{"go", "bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the smoke test needs %s on PATH: %v", tool, err)
		}
	}
	bin := filepath.Join(t.TempDir(), "example")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("DevModeTour", func(t *testing.T) { devModeTour(t, bin, opts) })
	t.Run("DevModeLoopbackOnly", func(t *testing.T) { devModeLoopbackOnly(t, bin) })
	t.Run("ConfiguredInstance", func(t *testing.T) { configuredInstance(t, bin) })
	t.Run("BlackBoxFromEnv", func(t *testing.T) { blackBoxFromEnv(t, bin) })
}

// process is a started example.
type process struct {
	cmd    *exec.Cmd
	lines  chan string  // stdout, a line at a time; closed at EOF
	out    bytes.Buffer // the stdout lines readUntil consumed
	stderr *syncBuffer
	done   chan error
}

// syncBuffer is the example's stderr: written by the exec copier goroutine
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitStderr waits until the example's stderr holds s, or fails t after a
// deadline: the copier goroutine may lag behind stdout.
func (p *process) waitStderr(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.stderr.String(), s) {
		if time.Now().After(deadline) {
			t.Errorf("stderr never held %q:\n%s", s, p.stderr)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// env is the test process's environment without any CLERK_* or ADDR
// variable, plus extra.
func env(extra ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CLERK_") || strings.HasPrefix(kv, "ADDR=") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, extra...)
}

func start(t *testing.T, bin string, environ []string) *process {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = environ
	// An os.Pipe of our own rather than StdoutPipe: Wait would close that
	// one as soon as the process exits, possibly before its last lines are
	// read.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, lines: make(chan string, 1024), stderr: new(syncBuffer), done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = pw, p.stderr
	err = cmd.Start()
	pw.Close()
	if err != nil {
		pr.Close()
		t.Fatal(err)
	}
	go func() {
		defer close(p.lines)
		defer pr.Close()
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			p.lines <- strings.TrimRight(sc.Text(), "\r")
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	return p
}

// readUntil consumes stdout lines until one satisfies stop, or fails t
// after a deadline or at EOF.
func (p *process) readUntil(t *testing.T, stop func(line string) bool) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("stdout ended before the expected line; stdout:\n%s\nstderr:\n%s", p.out.String(), p.stderr)
			}
			p.out.WriteString(l + "\n")
			if stop(l) {
				return
			}
		case <-deadline:
			t.Fatalf("timed out; stdout:\n%s\nstderr:\n%s", p.out.String(), p.stderr)
		}
	}
}

// rest returns the stdout lines not consumed yet, up to EOF; call it once
// the process has exited.
func (p *process) rest(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				return b.String()
			}
			b.WriteString(l + "\n")
		case <-deadline:
			t.Fatalf("stdout not closed 30s after exit; so far:\n%s", b.String())
		}
	}
}

// stop interrupts the example and checks that it shuts down cleanly.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		if err != nil {
			t.Errorf("example exited with %v after SIGINT; stderr:\n%s", err, p.stderr)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("example did not stop within 15s of SIGINT")
	}
}

var listenLine = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)$`)

func (p *process) baseURL(t *testing.T) string {
	t.Helper()
	m := listenLine.FindStringSubmatch(p.out.String()[:strings.Index(p.out.String(), "\n")])
	if m == nil {
		t.Fatalf("first line is not the listen line:\n%s", p.out.String())
	}
	return m[1]
}

func devModeTour(t *testing.T, bin string, opts Options) {
	p, base, printed := startDevTour(t, bin)
	exports, curls := splitTour(printed)
	if len(exports) != 2 {
		t.Fatalf("want 2 export lines (admin, member), got %d:\n%s", len(exports), printed)
	}
	checkCurls(t, exports, curls, base, want, func(key, body string) {
		if key == "ADMIN GET /me" {
			checkMe(t, body)
		}
	})

	if opts.README != "" {
		checkREADME(t, opts.README, printed, base)
	}
	p.stop(t)

	// Never log a token: the signature part of each printed token must not
	// appear in the server's logs (complete once the process has exited).
	for _, e := range exports {
		tok := strings.Trim(e[strings.Index(e, "=")+1:], "'")
		sig := tok[strings.LastIndex(tok, ".")+1:]
		if strings.Contains(p.stderr.String(), sig) {
			t.Errorf("the server logged a token")
		}
	}
}

// callKey turns a printed curl line into the key of want.
func callKey(curl, base string) string {
	var who string
	switch {
	case strings.Contains(curl, "$ADMIN_TOKEN"):
		who = "ADMIN "
	case strings.Contains(curl, "$MEMBER_TOKEN"):
		who = "MEMBER "
	}
	method := "GET"
	if strings.Contains(curl, "-X POST") {
		method = "POST"
	}
	path := curl[strings.LastIndex(curl, base)+len(base):]
	return who + method + " " + path
}

// runCurl runs the export lines and one curl line in bash, as a user pasting
// them would, and returns the status and body of the response.
func runCurl(t *testing.T, exports []string, curl string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	script := strings.Join(append(append([]string{}, exports...), curl), "\n")
	out, err := exec.CommandContext(ctx, "bash", "-c", script).Output()
	if err != nil {
		t.Fatalf("%s: %v", curl, err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out)), nil)
	if err != nil {
		t.Fatalf("%s: unreadable curl -i output: %v\n%s", curl, err, out)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func checkMe(t *testing.T, body string) {
	t.Helper()
	var me exampleapp.MeBody
	if err := json.Unmarshal([]byte(body), &me); err != nil {
		t.Fatalf("GET /me body: %v\n%s", err, body)
	}
	if me.UserID != "user_dev_admin" || me.Org == nil || me.Org.Role != "org:admin" || !contains(me.Org.Permissions, "org:invoices:create") {
		t.Errorf("GET /me as admin: %+v", me)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// checkREADME requires the README's curl lines after "go run ./examples/…"
// (up to the end of the first code block holding one, trailing shell
// comments aside) to be among the printed ones, with the default address
// standing for base.
func checkREADME(t *testing.T, path, printed, base string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("README: %v", err)
	}
	text := string(b)
	i := strings.Index(text, "go run ./examples/")
	if i < 0 {
		t.Fatalf("%s has no `go run ./examples/…` command", path)
	}
	printed = strings.ReplaceAll(printed, base, "http://"+exampleapp.DefaultAddr)
	var n int
	for _, l := range strings.Split(text[i:], "\n") {
		l = strings.TrimSpace(l)
		if l == "```" && n > 0 {
			break
		}
		if strings.HasPrefix(l, "curl ") {
			n++
			// A trailing shell comment ("# 200, public") is the README's
			// own; the command before it must be printed as it stands.
			if i := strings.Index(l, " #"); i >= 0 {
				l = strings.TrimSpace(l[:i])
			}
			if !strings.Contains(printed, l+"\n") {
				t.Errorf("README curl line is not printed by the example: %s", l)
			}
		}
	}
	if n == 0 {
		t.Errorf("%s: no curl lines follow the go run command", path)
	}
}

func devModeLoopbackOnly(t *testing.T, bin string) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		t.Run(addr, func(t *testing.T) {
			p := start(t, bin, env("ADDR="+addr))
			select {
			case err := <-p.done:
				p.done <- err
				if err == nil {
					t.Fatal("dev mode started on a non-loopback address")
				}
			case <-time.After(30 * time.Second):
				t.Fatal("dev mode kept running on a non-loopback address")
			}
			rest := p.rest(t)
			if strings.Contains(rest, "export ") || strings.Contains(rest, "listening") {
				t.Errorf("printed tokens or listened before refusing:\n%s", rest)
			}
			if !strings.Contains(p.stderr.String(), "loopback") {
				t.Errorf("the refusal does not say why:\n%s", p.stderr)
			}
		})
	}
}

func configuredInstance(t *testing.T, bin string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	iss := clerktest.Start(t, clerktest.WithKey("ins_smoke", key))
	other := clerktest.Start(t) // a different key: its tokens must be refused

	for _, tc := range []struct {
		name string
		env  []string
	}{
		{"CLERK_JWT_KEY", []string{"CLERK_JWT_KEY=" + iss.PublicKeyPEM()}},
		{"CLERK_JWKS_URL", []string{"CLERK_JWKS_URL=" + iss.JWKSURL()}},
		// The Backend API path (behaviour.md §2.2), with CLERK_API_URL pointing at
		// the fake Backend API instead of api.clerk.com.
		{"CLERK_SECRET_KEY", []string{"CLERK_SECRET_KEY=" + iss.SecretKey(), "CLERK_API_URL=" + iss.APIURL()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := start(t, bin, env(append([]string{"ADDR=127.0.0.1:0"}, tc.env...)...))
			p.readUntil(t, func(l string) bool { return listenLine.MatchString(l) })
			base := p.baseURL(t)
			for _, c := range []struct {
				token string
				code  int
			}{
				{iss.Mint(clerktest.Session{UserID: "user_real"}), 200},
				{"", 401},
				{other.Mint(clerktest.Session{UserID: "user_real"}), 401},
			} {
				req, _ := http.NewRequest(http.MethodGet, base+exampleapp.PathMe, nil)
				if c.token != "" {
					req.Header.Set("Authorization", "Bearer "+c.token)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != c.code {
					t.Errorf("GET /me: got %d, want %d: %s", resp.StatusCode, c.code, body)
				}
				if c.code == 200 && !strings.Contains(string(body), `"user_id":"user_real"`) {
					t.Errorf("GET /me: %s", body)
				}
			}
			p.stop(t)
			all := p.out.String() + p.rest(t) + p.stderr.String()
			if strings.Contains(all, "DEV MODE") || strings.Contains(all, "export ") {
				t.Errorf("dev mode started although %s is set:\n%s", tc.name, all)
			}
		})
	}

	t.Run("PublishableKeyAloneFailsAtBoot", func(t *testing.T) {
		p := start(t, bin, env("ADDR=127.0.0.1:0", "CLERK_PUBLISHABLE_KEY="+iss.PublishableKey()))
		select {
		case err := <-p.done:
			p.done <- err
			if err == nil {
				t.Fatal("started with a publishable key and no key source")
			}
		case <-time.After(30 * time.Second):
			t.Fatal("kept running with a publishable key and no key source")
		}
		if strings.Contains(p.rest(t)+p.stderr.String(), "DEV MODE") {
			t.Error("fell back to dev mode although CLERK_PUBLISHABLE_KEY is set")
		}
		if !strings.Contains(p.stderr.String(), "no key source") {
			t.Errorf("the failure does not say why:\n%s", p.stderr)
		}
	})
}

// String names the example's build for messages.
func (p *process) String() string { return fmt.Sprint(p.cmd.Path) }

// BlackBoxConfig describes the example API to the conformance black box:
// every route the examples serve that the black box has a group for (GET
// /health public, GET /me signed in, POST /invoices behind the permission
// and answering 201, GET /admin behind the role), as the examples mount
// them. The examples add no header of their own, so ExactHeaders holds.
func BlackBoxConfig() conformance.BlackBoxConfig {
	return conformance.BlackBoxConfig{
		PublicPath:       exampleapp.PathHealth,
		SignedInPath:     exampleapp.PathMe,
		PermissionMethod: http.MethodPost, PermissionPath: exampleapp.PathInvoices, Permission: exampleapp.PermissionCreateInvoices,
		RolePath: exampleapp.PathAdmin, Role: exampleapp.RoleAdmin,
		ExactHeaders: true,
	}
}

// BlackBox runs the conformance black box against an example's real
// router, in process and over a real listener (conformance's
// RunHandlerAndServer). newApp builds the router with an Authorizer that
// trusts the suite and returns it as an http.Handler, with the function
// that serves it on a listener (nil for net/http).
func BlackBox(t *testing.T, newApp func(a *core.Authorizer) (http.Handler, conformance.ServeFunc)) {
	bb := conformance.NewBlackBox(t)
	a, err := core.New(append(bb.Options(), core.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	cfg := BlackBoxConfig()
	h, serve := newApp(a)
	cfg.Handler = h
	bb.RunHandlerAndServer(t, cfg, serve)
}

// blackBoxFromEnv is the README's out-of-process recipe: the example's
// binary, configured by nothing but the variables of bb.Env(), checked
// through BaseURL.
func blackBoxFromEnv(t *testing.T, bin string) {
	bb := conformance.NewBlackBox(t)
	vars := []string{"ADDR=127.0.0.1:0"}
	for k, v := range bb.Env() {
		vars = append(vars, k+"="+v)
	}
	p := start(t, bin, env(vars...))
	p.readUntil(t, func(l string) bool { return listenLine.MatchString(l) })
	cfg := BlackBoxConfig()
	cfg.BaseURL = p.baseURL(t)
	bb.Run(t, cfg)
	p.stop(t)
}
