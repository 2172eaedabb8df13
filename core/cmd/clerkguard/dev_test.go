package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// devSession runs `clerkguard dev args…` until it prints its last line and
// returns the exported variables; the server stops when the test ends.
func devSession(t *testing.T, args ...string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	c := &cli{stdout: pw, stderr: &errb, getenv: func(string) string { return "" }, now: time.Now}
	var wg sync.WaitGroup
	code := -1
	wg.Add(1)
	go func() {
		defer wg.Done()
		code = c.dev(ctx, args)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		go io.Copy(io.Discard, pr)
		wg.Wait()
		if code != exitOK {
			t.Errorf("clerkguard dev exited %d: %s", code, errb.String())
		}
	})
	env := map[string]string{}
	sc := bufio.NewScanner(pr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "# Serving until Ctrl-C." {
			return env
		}
		if rest, ok := strings.CutPrefix(line, "export "); ok {
			k, v, _ := strings.Cut(rest, "=")
			env[k] = strings.Trim(v, "'")
		}
	}
	cancel()
	t.Fatalf("clerkguard dev stopped before serving: %s", errb.String())
	return nil
}

// verifier is an app configured the way the export lines configure one:
// core.NewFromEnv's options from them alone.
func verifier(t *testing.T, env map[string]string) *core.Authorizer {
	t.Helper()
	a, err := core.New(append(core.OptionsFromEnv(func(k string) string { return env[k] }),
		core.WithAcceptsToken(core.SessionToken, core.M2MToken))...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// readmeDevCommand is the command README "Run it" tells a newcomer to run
// for a dev token, as arguments of clerkguard.
func readmeDevCommand(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Run it")
	section, _, _ = strings.Cut(section, "\n## ")
	const cmd = "go run ./core/cmd/clerkguard dev"
	for line := range strings.SplitSeq(section, "\n") {
		if rest, found := strings.CutPrefix(line, cmd); ok && found {
			rest, _, _ = strings.Cut(rest, "#")
			return append([]string(nil), strings.Fields(rest)...)
		}
	}
	t.Fatalf("README \"Run it\" no longer shows the dev-token command %q", cmd)
	return nil
}

// The one command README "Run it" documents gives a token that an app
// configured by the printed export lines accepts, valid for DevTokenTTL.
func TestDevReadmeCommand(t *testing.T) {
	env := devSession(t, readmeDevCommand(t)...)
	for _, k := range []string{core.EnvJWKSURL, core.EnvPublishableKey, core.EnvAuthorizedParties, "CLERK_DEV_TOKEN"} {
		if env[k] == "" {
			t.Fatalf("clerkguard dev printed no export of %s; got %v", k, env)
		}
	}
	claims, err := verifier(t, env).VerifyToken(t.Context(), env["CLERK_DEV_TOKEN"])
	if err != nil {
		t.Fatalf("the dev token is rejected by an app configured by the export lines: %v", err)
	}
	if claims.UserID() != "user_dev" {
		t.Fatalf("dev token user = %q, want user_dev", claims.UserID())
	}
	if ttl := claims.Expiry.Sub(claims.IssuedAt); ttl != clerktest.DevTokenTTL {
		t.Fatalf("dev token lives %v, want %v", ttl, clerktest.DevTokenTTL)
	}
}

// mint signs with the key file dev serves: its tokens carry the flags and
// verify against a dev server started from that file, even one started
// after them.
func TestMint(t *testing.T) {
	key := filepath.Join(t.TempDir(), "dev.pem")
	env := devSession(t, "-key", key)
	st, err := os.Stat(key)
	if err != nil {
		t.Fatalf("dev -key did not create the key file: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	a := verifier(t, env)
	for _, tc := range []struct {
		name  string
		args  []string
		check func(*core.Claims) bool
	}{
		{"Defaults", nil, func(c *core.Claims) bool {
			return c.UserID() == "user_dev" && c.Expiry.Sub(c.IssuedAt) == clerktest.DevTokenTTL
		}},
		{"OrgAdmin", []string{"-user", "user_a", "-org", "org_1", "-role", "admin", "-perm", "org:invoices:create,org:invoices:read", "-feature", "reports", "-plan", "pro"},
			func(c *core.Claims) bool {
				return c.UserID() == "user_a" && c.HasRole("admin") && c.HasPermission("org:invoices:create") &&
					c.HasPermission("org:invoices:read") && !c.HasPermission("org:invoices:delete") && c.HasFeature("reports") && c.HasPlan("pro")
			}},
		{"RepeatedPerm", []string{"-org", "org_1", "-perm", "org:a:read", "-perm", "org:b:read"},
			func(c *core.Claims) bool { return c.HasPermission("org:a:read") && c.HasPermission("org:b:read") }},
		{"TTL", []string{"-ttl", "90m"}, func(c *core.Claims) bool { return c.Expiry.Sub(c.IssuedAt) == 90*time.Minute }},
		{"MaxTTL", []string{"-ttl", "720h"}, func(c *core.Claims) bool { return c.Expiry.Sub(c.IssuedAt) == clerktest.MaxDevTokenTTL }},
		{"Machine", []string{"-machine", "mch_worker", "-scope", "invoices:read"},
			func(c *core.Claims) bool { return c.Subject == "mch_worker" && c.HasScope("invoices:read") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(append([]string{"mint", "-key", key}, tc.args...), strings.NewReader(""), &out, &errb, func(string) string { return "" })
			if code != exitOK {
				t.Fatalf("mint exited %d: %s", code, errb.String())
			}
			tok := strings.TrimSpace(out.String())
			if strings.Contains(errb.String(), tok) {
				t.Fatal("mint echoed the token on stderr")
			}
			claims, err := a.VerifyToken(t.Context(), tok)
			if err != nil {
				t.Fatalf("minted token rejected by the dev server of the same key: %v", err)
			}
			if !tc.check(claims) {
				t.Fatalf("minted token's claims do not match the flags %v: %+v", tc.args, claims)
			}
		})
	}
}

// mint and dev refuse what would mint something surprising, and bad key
// files, with the usage exit code and nothing on stdout.
func TestMintRefuses(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "dev.pem")
	if _, err := loadKey(key, true); err != nil {
		t.Fatal(err)
	}
	writeFile := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	notPEM := writeFile("not.pem", "hello\n")
	huge := writeFile("huge.pem", strings.Repeat("A", maxKeyFile+1))
	cert := writeFile("cert.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"NoKey", []string{"mint"}, "-key is required"},
		{"MissingKeyFile", []string{"mint", "-key", filepath.Join(dir, "absent.pem")}, "no such file"},
		{"NotPEM", []string{"mint", "-key", notPEM}, "no PEM block"},
		{"HugeKeyFile", []string{"mint", "-key", huge}, "larger than"},
		{"NotAKey", []string{"mint", "-key", cert}, "want an RSA private key"},
		{"ZeroTTL", []string{"mint", "-key", key, "-ttl", "0s"}, "-ttl"},
		{"NegativeTTL", []string{"mint", "-key", key, "-ttl", "-1h"}, "-ttl"},
		{"TTLOverMax", []string{"mint", "-key", key, "-ttl", "720h1s"}, "at most 720h"},
		{"RoleWithoutOrg", []string{"mint", "-key", key, "-role", "admin"}, "need -org"},
		{"ScopeWithoutMachine", []string{"mint", "-key", key, "-scope", "x"}, "-scope needs -machine"},
		{"MachineWithOrg", []string{"mint", "-key", key, "-machine", "mch_1", "-org", "org_1"}, "M2M token"},
		{"Positional", []string{"mint", "-key", key, "extra"}, "unexpected argument"},
		{"DevBadFlag", []string{"dev", "-nope"}, "flag provided but not defined"},
		{"DevBadTTL", []string{"dev", "-ttl", "721h"}, "at most 720h"},
		{"DevListenNotLoopback", []string{"dev", "-listen", "0.0.0.0:7788"}, "loopback"},
		{"DevListenNoPort", []string{"dev", "-listen", "127.0.0.1"}, "-listen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tc.args, strings.NewReader(""), &out, &errb, func(string) string { return "" })
			if code != exitUsage || out.Len() != 0 || !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, no stdout, stderr containing %q", code, out.String(), errb.String(), exitUsage, tc.want)
			}
		})
	}
	// dev -key never overwrites an existing file.
	before, _ := os.ReadFile(key)
	if _, err := createKey(key); err == nil {
		t.Fatal("createKey overwrote an existing key file")
	}
	if after, _ := os.ReadFile(key); !bytes.Equal(before, after) {
		t.Fatal("the key file changed")
	}
}

// dev -key FILE -listen ADDR started again serves the same JWKS URL with
// the same key: an app configured by the first run's export lines, and a
// token it printed, keep working across a restart.
func TestDevListenSurvivesRestart(t *testing.T) {
	key := filepath.Join(t.TempDir(), "dev.pem")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var first map[string]string
	t.Run("first", func(t *testing.T) { first = devSession(t, "-key", key, "-listen", addr) }) // stops when the subtest ends
	if !strings.Contains(first[core.EnvJWKSURL], "//"+addr+"/") {
		t.Fatalf("CLERK_JWKS_URL %q is not on -listen %s", first[core.EnvJWKSURL], addr)
	}
	second := devSession(t, "-key", key, "-listen", addr)
	if second[core.EnvJWKSURL] != first[core.EnvJWKSURL] {
		t.Fatalf("restart moved the JWKS: %q, then %q", first[core.EnvJWKSURL], second[core.EnvJWKSURL])
	}
	if _, err := verifier(t, first).VerifyToken(t.Context(), first["CLERK_DEV_TOKEN"]); err != nil {
		t.Fatalf("after a restart, the app configured by the first run rejects its token: %v", err)
	}
}

func TestShellQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://127.0.0.1:1234/.well-known/jwks.json", "http://127.0.0.1:1234/.well-known/jwks.json"},
		{"pk_test_ZGV2$", "'pk_test_ZGV2$'"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"", "''"},
	} {
		if got := shellQuote(tc.in); got != tc.want {
			t.Errorf("shellQuote(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The dev-token block of this command's README, run as written in a fresh
// directory: dev with its flags (key file, fixed loopback address), then
// each mint line, whose token an app configured by dev's export lines
// accepts.
func TestReadmeDevTokenBlock(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Dev tokens")
	_, block, ok2 := strings.Cut(section, "```sh\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README.md has no ```sh block under \"## Dev tokens\"")
	}
	var dev []string
	var mints [][]string
	for line := range strings.SplitSeq(block, "\n") {
		line, _, _ = strings.Cut(line, "#")
		args, found := strings.CutPrefix(strings.TrimSpace(line), "clerkguard ")
		if !found {
			continue
		}
		switch f := strings.Fields(args); f[0] {
		case "dev":
			dev = f[1:]
		case "mint":
			mints = append(mints, f)
		default:
			t.Fatalf("README block runs an unknown command: %q", line)
		}
	}
	if dev == nil || len(mints) == 0 {
		t.Fatalf("README block: dev %v, mint lines %d; want one dev line and mint lines", dev, len(mints))
	}
	t.Chdir(t.TempDir()) // -key dev.pem is created here
	a := verifier(t, devSession(t, dev...))
	for _, args := range mints {
		var out, errb bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errb, func(string) string { return "" }); code != exitOK {
			t.Fatalf("clerkguard %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
		}
		if _, err := a.VerifyToken(t.Context(), strings.TrimSpace(out.String())); err != nil {
			t.Fatalf("clerkguard %s: the token is rejected by the app dev configured: %v", strings.Join(args, " "), err)
		}
	}
}
