package clerktest_test

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

// freeLoopbackAddr returns a loopback address no one listens on (it was
// free a moment ago).
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestWithListenAddr(t *testing.T) {
	addr := freeLoopbackAddr(t)
	dev, err := clerktest.StartDev(clerktest.WithListenAddr(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	u, err := url.Parse(dev.JWKSURL())
	if err != nil || u.Host != addr {
		t.Fatalf("JWKS URL %q, want it on %s", dev.JWKSURL(), addr)
	}
	res, err := http.Get(dev.JWKSURL())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("JWKS on %s: status %d", addr, res.StatusCode)
	}
	if _, err := clerktest.StartDev(clerktest.WithListenAddr(addr)); err == nil || !strings.Contains(err.Error(), addr) {
		t.Fatalf("a second Dev on the same address: %v, want an error naming it", err)
	}
}

func TestWithListenAddrRefused(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:8080", "example.com:80", "127.0.0.1", "nonsense"} {
		t.Run(addr, func(t *testing.T) {
			if dev, err := clerktest.StartDev(clerktest.WithListenAddr(addr)); err == nil {
				dev.Close()
				t.Fatalf("WithListenAddr(%q) accepted: an issuer must listen on loopback only", addr)
			}
		})
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0"} {
		t.Run(addr, func(t *testing.T) {
			dev, err := clerktest.StartDev(clerktest.WithListenAddr(addr))
			if err != nil && (addr != "[::1]:0" || !strings.Contains(err.Error(), "clerktest: listen on")) {
				// A machine without IPv6 loopback cannot listen on [::1];
				// the option must still accept it.
				t.Fatalf("WithListenAddr(%q): %v", addr, err)
			}
			if dev != nil {
				dev.Close()
			}
		})
	}
}
