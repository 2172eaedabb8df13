package smoketest

import (
	"crypto/rand"
	"crypto/rsa"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/examples/internal/exampleapp"
)

// RPCOptions tune RunRPC, the smoke test of the gRPC and Connect examples.
type RPCOptions struct {
	// Curls, when set, is the expected HTTP status of every curl command the
	// example prints in dev mode, keyed like the HTTP tour ("ADMIN POST
	// /shop.v1.Invoices/Me"); each is run with bash as printed.
	Curls map[string]int
	// Tour, when set, makes the dev-mode calls with a client: addr is the
	// listen address (host:port) and tokens maps ADMIN_TOKEN and MEMBER_TOKEN
	// to the printed dev tokens.
	Tour func(t *testing.T, addr string, tokens map[string]string)
	// Me calls the signed-in method with token ("" for none) and returns the
	// caller's user ID, or ok false when the call was refused. It checks the
	// switch to a configured Clerk instance.
	Me func(t *testing.T, addr, token string) (userID string, ok bool)
}

// RunRPC builds the RPC example in the current directory and smoke-tests it:
// the dev-mode tour (printed curl commands and/or client calls), loopback
// only in dev mode, and a configured instance (CLERK_JWT_KEY) that trusts
// its key and no other.
func RunRPC(t *testing.T, opts RPCOptions) {
	for _, tool := range []string{"go", "bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the smoke test needs %s on PATH: %v", tool, err)
		}
	}
	bin := filepath.Join(t.TempDir(), "example")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("DevModeTour", func(t *testing.T) { rpcDevModeTour(t, bin, opts) })
	t.Run("DevModeLoopbackOnly", func(t *testing.T) { devModeLoopbackOnly(t, bin) })
	t.Run("ConfiguredInstance", func(t *testing.T) { rpcConfiguredInstance(t, bin, opts) })
}

func rpcDevModeTour(t *testing.T, bin string, opts RPCOptions) {
	p, base, printed := startDevTour(t, bin)
	exports, curls := splitTour(printed)
	tokens := map[string]string{}
	for _, e := range exports {
		name, tok, _ := strings.Cut(strings.TrimPrefix(e, "export "), "=")
		tokens[name] = strings.Trim(tok, "'")
	}
	if len(tokens) != 2 {
		t.Fatalf("want 2 export lines (admin, member), got %d:\n%s", len(tokens), printed)
	}
	if opts.Curls != nil {
		checkCurls(t, exports, curls, base, opts.Curls, nil)
	}
	if opts.Tour != nil {
		opts.Tour(t, strings.TrimPrefix(base, "http://"), tokens)
	}
	p.stop(t)
	for _, tok := range tokens {
		if sig := tok[strings.LastIndex(tok, ".")+1:]; strings.Contains(p.stderr.String(), sig) {
			t.Errorf("the server logged a token")
		}
	}
}

func rpcConfiguredInstance(t *testing.T, bin string, opts RPCOptions) {
	if opts.Me == nil {
		t.Fatal("RPCOptions.Me is nil")
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	iss := clerktest.Start(t, clerktest.WithKey("ins_smoke", key))
	other := clerktest.Start(t)
	p := start(t, bin, env("ADDR=127.0.0.1:0", "CLERK_JWT_KEY="+iss.PublicKeyPEM()))
	p.readUntil(t, func(l string) bool { return listenLine.MatchString(l) })
	addr := strings.TrimPrefix(p.baseURL(t), "http://")
	if user, ok := opts.Me(t, addr, iss.Mint(clerktest.Session{UserID: "user_real"})); !ok || user != "user_real" {
		t.Errorf("a token of the configured instance: user %q, accepted %v; want user_real", user, ok)
	}
	if _, ok := opts.Me(t, addr, ""); ok {
		t.Errorf("a call without a token was accepted")
	}
	if _, ok := opts.Me(t, addr, other.Mint(clerktest.Session{UserID: "user_real"})); ok {
		t.Errorf("a token of another issuer was accepted")
	}
	p.stop(t)
	if all := p.out.String() + p.rest(t) + p.stderr.String(); strings.Contains(all, "DEV MODE") || strings.Contains(all, "export ") {
		t.Errorf("dev mode started although CLERK_JWT_KEY is set:\n%s", all)
	}
}

// startDevTour starts the example in dev mode on a random loopback port,
// reads its dev-mode banner and checks that dev mode is announced on stdout
// and stderr.
func startDevTour(t *testing.T, bin string) (p *process, base, printed string) {
	t.Helper()
	p = start(t, bin, env("ADDR=127.0.0.1:0"))
	p.readUntil(t, func(l string) bool { return l == exampleapp.DevCommandsEnd })
	base = p.baseURL(t)
	printed = p.out.String()
	if !strings.Contains(printed, "DEV MODE") {
		t.Errorf("dev mode is not announced:\n%s", printed)
	}
	p.waitStderr(t, "DEV MODE")
	return p, base, printed
}

// splitTour returns the export lines and the curl lines of a dev-mode banner.
func splitTour(printed string) (exports, curls []string) {
	for _, l := range strings.Split(printed, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "export "):
			exports = append(exports, l)
		case strings.HasPrefix(l, "curl "):
			curls = append(curls, l)
		}
	}
	return exports, curls
}

// checkCurls runs every printed curl line (after the export lines, in bash)
// and checks its status against want, keyed by callKey; every key of want
// must be printed. check, when set, sees the body of each call.
func checkCurls(t *testing.T, exports, curls []string, base string, want map[string]int, check func(key, body string)) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range curls {
		key := callKey(c, base)
		code, ok := want[key]
		if !ok {
			t.Errorf("printed call %q (%s) is not in the smoke test's table", c, key)
			continue
		}
		seen[key] = true
		status, body := runCurl(t, exports, c)
		if status != code {
			t.Errorf("%s: got %d, want %d\n%s", c, status, code, body)
		}
		if check != nil {
			check(key, body)
		}
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("no printed curl command for %s", k)
		}
	}
}
