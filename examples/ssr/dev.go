package main

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
	"github.com/clerkguard/clerkguard/core/frontendproxy"
)

// dev is local dev mode: a clerktest Issuer plays the whole Clerk instance
// (keys, Backend API, Frontend API and its sign-in page) on 127.0.0.1.
type dev struct {
	iss  *clerktest.Issuer
	base string // the app's own origin
}

// startDev starts the fake Clerk for an app serving at base. Each start gets
// its own instance (issuer host, hence publishable key and cookie suffix), so
// two dev apps on one machine keep apart the way two Clerk instances do;
// issuerURL, when set, fixes it.
func startDev(base string, now func() time.Time, issuerURL string) (*dev, error) {
	if issuerURL == "" {
		b := make([]byte, 6)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		issuerURL = "https://clerk-" + hex.EncodeToString(b) + ".clerktest.example"
	}
	opts := []clerktest.IssuerOption{clerktest.WithIssuerURL(issuerURL)}
	if now != nil {
		opts = append(opts, clerktest.WithClock(now))
	}
	iss, err := clerktest.NewIssuer(opts...)
	if err != nil {
		return nil, err
	}
	return &dev{iss: iss, base: base}, nil
}

// options configure the Authorizer as the environment would for a real
// instance (clerktest's BrowserOptions: publishable key, secret key, API
// URL, the fake's Frontend API as the proxy URL and its sign-in page), with
// the app's origins as the authorized parties (127.0.0.1 and localhost on
// the same port).
func (d *dev) options() []core.Option {
	parties := []string{d.base}
	if u, err := url.Parse(d.base); err == nil {
		parties = append(parties, "http://localhost:"+u.Port())
	}
	return append(d.iss.BrowserOptions(), core.WithAuthorizedParties(parties...))
}

// signOutURL is the fake's sign-out endpoint, "" outside dev mode (a real
// instance signs out through ClerkJS).
func (d *dev) signOutURL() string {
	if d == nil {
		return ""
	}
	return d.iss.SignOutURL()
}

// proxyURL is where SSR_DEV_PROXY serves the fake Frontend API: the app's
// origin and frontendproxy.DefaultPath.
func (d *dev) proxyURL() string { return d.base + frontendproxy.DefaultPath }

func (d *dev) close() { d.iss.Close() }
