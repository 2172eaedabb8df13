package clerktest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
)

// WithListenAddr makes the Issuer listen on addr (host:port) instead of a
// random loopback port, so that its JWKS URL stays the same across restarts
// (clerkguard dev -listen): an app configured once keeps working. addr must
// pass CheckListenAddr. Port 0 picks a free port.
func WithListenAddr(addr string) IssuerOption {
	return func(i *Issuer) error {
		if err := CheckListenAddr(addr); err != nil {
			return fmt.Errorf("clerktest: WithListenAddr: %w", err)
		}
		i.listenAddr = addr
		return nil
	}
}

// CheckListenAddr accepts host:port whose host is a loopback IP or
// "localhost": an Issuer signs whatever it is asked to and must never be
// reachable from another machine.
func CheckListenAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%q: the host must be a loopback address (127.0.0.1, [::1] or localhost)", addr)
	}
	return nil
}

// newServer starts the Issuer's server on i.listenAddr, or on a random
// loopback port when none was given.
func (i *Issuer) newServer() (*httptest.Server, error) {
	h := http.HandlerFunc(i.serve)
	if i.listenAddr == "" {
		return httptest.NewServer(h), nil
	}
	ln, err := net.Listen("tcp", i.listenAddr)
	if err != nil {
		return nil, fmt.Errorf("clerktest: listen on %s: %w", i.listenAddr, err)
	}
	srv := httptest.NewUnstartedServer(h)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	return srv, nil
}
