package core

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// FuzzScanCookies: the one-pass Cookie header scan (behaviour.md §10.1)
// yields what net/http's Request.Cookie yields for every name it finds, never
// a value with a byte a cookie cannot carry.
func FuzzScanCookies(f *testing.F) {
	for _, s := range []string{"__session=a.b.c; __client_uat=1", `a="quoted"; b=; =c; d`, "x=1;;y=2 ; __session=\x7f",
		"__session_abc=1; __session=2; __session=3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\r\n") || strings.Count(line, ";") > 2000 {
			return // not one header line; net/http's cookie-count limit
		}
		seen := map[string]string{}
		scanCookies(line, func(name, value string) {
			if !isCookieValue(value) || !isCookieName(name) {
				t.Fatalf("scan yielded %q=%q", name, value)
			}
			if _, ok := seen[name]; !ok {
				seen[name] = value
			}
		})
		r := &http.Request{Header: http.Header{"Cookie": {line}}}
		for name, v := range seen {
			// net/http keeps the spaces around a value that clerkguard
			// trims (behaviour.md §1.4); otherwise the two agree.
			c, err := r.Cookie(name)
			if err != nil {
				t.Fatalf("cookie %q: scan %q, net/http none: %v", name, v, err)
			}
			if got := strings.TrimSpace(c.Value); got != v {
				t.Fatalf("cookie %q: scan %q, net/http %q", name, v, c.Value)
			}
		}
	})
}

// FuzzBrowserParsers: the counters and directives of behaviour.md §10.1,
// §10.5 and §10.6 never panic and stay in bounds; a directive list accepted
// never holds a control byte.
func FuzzBrowserParsers(f *testing.F) {
	for _, s := range []string{"3", "0", "-1", "999", "1234", "x", "__session=a; Path=/", "a=1\r\nX: y", "=v", "1717490192abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n := parseRedirectCount(s); n < 0 || n > 999 {
			t.Fatalf("redirect count %d", n)
		}
		if n := parseClientUat(s); n < 0 || n > 1<<53 {
			t.Fatalf("client_uat %d", n)
		}
		if validDirectives([]string{s}) {
			for i := 0; i < len(s); i++ {
				if s[i] < 0x20 || s[i] > 0x7e {
					t.Fatalf("directive %q accepted", s)
				}
			}
		}
		_ = sessionFromDirectives([]string{s})
		if out := stripQuery(s, DevBrowserCookie); len(out) > len(s) {
			t.Fatalf("stripQuery grew %q to %q", s, out)
		}
		slow := true
		for i := 0; i < len(s); i++ {
			slow = slow && cookieValueByte(s[i])
		}
		if isCookieValue(s) != slow {
			t.Fatalf("isCookieValue(%q) = %v, byte by byte %v", s, !slow, slow)
		}
		_ = validNonce(s)
		_ = truthyClaim([]byte(s), "iss")
	})
}

// FuzzHandshakeToken: verifyHandshakeToken never panics on any input and
// never accepts a token the instance did not sign.
func FuzzHandshakeToken(f *testing.F) {
	for _, s := range []string{"a.b.c", "eyJhbGciOiJSUzI1NiJ9.eyJoYW5kc2hha2UiOltdfQ.AAAA", "..", ""} {
		f.Add(s)
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	a, err := New(WithJWTKey(pemKey), WithPublishableKey("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		if ds, err := a.verifyHandshakeToken(t.Context(), tok, a.cfg.clock()); err == nil {
			t.Fatalf("forged handshake token accepted: %q", ds)
		}
	})
}
