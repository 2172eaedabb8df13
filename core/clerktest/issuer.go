package clerktest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// DefaultAuthorizedParty is the azp of minted tokens unless Session says
// otherwise.
const DefaultAuthorizedParty = "http://localhost:3000"

// Issuer is an in-process Clerk instance for tests: it owns an RSA key pair,
// serves the public key as a JWKS over HTTP and mints tokens. It is safe for
// concurrent use.
type Issuer struct {
	clock     func() time.Time
	issuerURL string
	secretKey string
	srv       *httptest.Server
	// listenAddr is WithListenAddr's address ("" for a random loopback
	// port).
	listenAddr string

	mu      sync.RWMutex
	keys    []*signingKey // keys[0] signs; all are published
	down    bool
	delay   time.Duration
	handler http.Handler // extra routes mounted by Handle

	opaque        map[string]*Opaque // fake Backend API: opaque machine tokens
	backendStatus int
	backendDelay  time.Duration

	fe frontend // the fake Frontend API (frontend*.go)

	jwksRequests atomic.Int64
	backendCalls atomic.Int64
	seq          atomic.Int64
}

type signingKey struct {
	kid string
	key *rsa.PrivateKey
}

// IssuerOption configures NewIssuer.
type IssuerOption func(*Issuer) error

// WithClock makes the Issuer read the time from now (default time.Now).
// Share it with core.WithClock so tokens and checks agree.
func WithClock(now func() time.Time) IssuerOption {
	return func(i *Issuer) error {
		if now == nil {
			return errors.New("clerktest: nil clock")
		}
		i.clock = now
		return nil
	}
}

// WithIssuerURL sets the `iss` of minted tokens (default
// https://clerk.clerktest.example).
func WithIssuerURL(u string) IssuerOption {
	return func(i *Issuer) error {
		p, err := url.Parse(u)
		if err != nil || p.Host == "" {
			return fmt.Errorf("clerktest: issuer URL %q is not absolute", u)
		}
		i.issuerURL = u
		return nil
	}
}

// WithKey makes the Issuer sign with key under kid instead of a fresh
// 2048-bit key.
func WithKey(kid string, key *rsa.PrivateKey) IssuerOption {
	return func(i *Issuer) error {
		if key == nil || kid == "" {
			return errors.New("clerktest: WithKey needs a kid and a key")
		}
		i.keys = []*signingKey{{kid: kid, key: key}}
		return nil
	}
}

// WithSecretKey sets the secret key the fake Backend API expects (default
// sk_test_clerktest).
func WithSecretKey(sk string) IssuerOption {
	return func(i *Issuer) error {
		i.secretKey = sk
		return nil
	}
}

// NewIssuer starts an Issuer with a fresh RSA key and an httptest.Server
// (on a random loopback port, or WithListenAddr's) serving its JWKS at /.well-known/jwks.json and at the Backend API path
// /v1/jwks (which requires the secret key as a bearer token). Call Close when
// done; Start does it for you in tests.
func NewIssuer(opts ...IssuerOption) (*Issuer, error) {
	i := &Issuer{
		clock:     time.Now,
		issuerURL: "https://clerk.clerktest.example",
		secretKey: "sk_test_clerktest",
	}
	for _, o := range opts {
		if err := o(i); err != nil {
			return nil, err
		}
	}
	if len(i.keys) == 0 {
		k, err := NewKey()
		if err != nil {
			return nil, err
		}
		i.keys = []*signingKey{{kid: "ins_test_1", key: k}}
	}
	srv, err := i.newServer()
	if err != nil {
		return nil, err
	}
	i.srv = srv
	return i, nil
}

// Start is NewIssuer for tests: it fails t on error and closes the Issuer
// when the test ends.
func Start(t testing.TB, opts ...IssuerOption) *Issuer {
	t.Helper()
	i, err := NewIssuer(opts...)
	if err != nil {
		t.Fatalf("clerktest: %v", err)
	}
	t.Cleanup(i.Close)
	return i
}

// NewKey generates a 2048-bit RSA key.
func NewKey() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) }

// Close stops the HTTP server.
func (i *Issuer) Close() { i.srv.Close() }

// URL is the base URL of the Issuer's HTTP server; it doubles as the Backend
// API URL (core.WithAPIURL).
func (i *Issuer) URL() string { return i.srv.URL }

// APIURL is the Backend API base URL to pass to core.WithAPIURL.
func (i *Issuer) APIURL() string { return i.srv.URL }

// JWKSURL is the public JWKS URL to pass to core.WithJWKSURL.
func (i *Issuer) JWKSURL() string { return i.srv.URL + "/.well-known/jwks.json" }

// SecretKey is the secret key the fake Backend API accepts.
func (i *Issuer) SecretKey() string { return i.secretKey }

// IssuerURL is the `iss` of minted tokens.
func (i *Issuer) IssuerURL() string { return i.issuerURL }

// PublishableKey is a publishable key that encodes the Issuer's host, so that
// core.WithPublishableKey derives IssuerURL: pk_test_… (a development
// instance), pk_live_… with WithProductionInstance.
func (i *Issuer) PublishableKey() string {
	u, _ := url.Parse(i.issuerURL)
	return i.keyPrefix() + base64.StdEncoding.EncodeToString([]byte(u.Host+"$"))
}

// Now is the Issuer's current time.
func (i *Issuer) Now() time.Time { return i.clock() }

// KID is the kid of the current signing key.
func (i *Issuer) KID() string {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.keys[0].kid
}

// PrivateKey is the current signing key.
func (i *Issuer) PrivateKey() *rsa.PrivateKey {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.keys[0].key
}

// PublicKeyPEM is the current public key as PEM, for core.WithJWTKey.
func (i *Issuer) PublicKeyPEM() string {
	der, err := x509.MarshalPKIXPublicKey(&i.PrivateKey().PublicKey)
	if err != nil {
		panic(err) // cannot happen for an RSA key
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// AuthorizerOptions are the core options that make an Authorizer trust this
// Issuer as an application would trust its Clerk instance: its JWKS URL, its
// issuer, DefaultAuthorizedParty as the only authorized party (the azp of
// minted session tokens), and its clock. New then logs no warning. Options
// given after them win, e.g. core.WithAuthorizedParties for other parties.
// For apps that also serve machine tokens, see AnyTokenOptions.
func (i *Issuer) AuthorizerOptions() []core.Option {
	return []core.Option{core.WithJWKSURL(i.JWKSURL()), core.WithIssuer(i.issuerURL),
		core.WithAuthorizedParties(DefaultAuthorizedParty), core.WithClock(i.clock)}
}

// Rotate generates a new signing key with a new kid. With keepOld the old
// keys stay published (a rotation in progress); without it they disappear
// from the JWKS (a revocation).
func (i *Issuer) Rotate(keepOld bool) error {
	k, err := NewKey()
	if err != nil {
		return err
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	sk := &signingKey{kid: fmt.Sprintf("ins_test_%d", i.seq.Add(1)+1), key: k}
	if keepOld {
		i.keys = append([]*signingKey{sk}, i.keys...)
	} else {
		i.keys = []*signingKey{sk}
	}
	return nil
}

// JWKSRequests counts the JWKS requests served so far (both paths, failed
// ones included).
func (i *Issuer) JWKSRequests() int64 { return i.jwksRequests.Load() }

// SetJWKSDown makes the JWKS endpoints answer 503 (true) or serve keys again
// (false).
func (i *Issuer) SetJWKSDown(down bool) {
	i.mu.Lock()
	i.down = down
	i.mu.Unlock()
}

// SetJWKSDelay delays every JWKS response by d (real time).
func (i *Issuer) SetJWKSDelay(d time.Duration) {
	i.mu.Lock()
	i.delay = d
	i.mu.Unlock()
}

// Handle mounts an extra handler for every path the Issuer does not serve
// itself (for example a fake Backend API for opaque machine tokens). An
// *http.ServeMux also takes over the fake Frontend API's paths it routes
// (frontend*.go), so a test can replace one of them.
func (i *Issuer) Handle(h http.Handler) {
	i.mu.Lock()
	i.handler = h
	i.mu.Unlock()
}

// JWKS returns the JSON key set currently published.
func (i *Issuer) JWKS() []byte {
	i.mu.RLock()
	defer i.mu.RUnlock()
	type jwk struct {
		Kty string `json:"kty"`
		Use string `json:"use"`
		Alg string `json:"alg"`
		Kid string `json:"kid"`
		N   string `json:"n"`
		E   string `json:"e"`
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	for _, k := range i.keys {
		pub := k.key.PublicKey
		set.Keys = append(set.Keys, jwk{Kty: "RSA", Use: "sig", Alg: "RS256", Kid: k.kid,
			N: base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
			E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())})
	}
	b, _ := json.Marshal(set)
	return b
}

func (i *Issuer) serve(w http.ResponseWriter, r *http.Request) {
	if i.serveFrontend(w, r) {
		return
	}
	switch r.URL.Path {
	case "/.well-known/jwks.json", "/v1/jwks":
	case "/v1/m2m_tokens/verify":
		i.serveVerify(w, r, core.M2MToken, "token")
		return
	case "/v1/oauth_applications/access_tokens/verify":
		i.serveVerify(w, r, core.OAuthToken, "access_token")
		return
	case "/v1/api_keys/verify":
		i.serveVerify(w, r, core.APIKey, "secret")
		return
	default:
		i.mu.RLock()
		h := i.handler
		i.mu.RUnlock()
		if h != nil {
			h.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
		return
	}
	i.jwksRequests.Add(1)
	i.mu.RLock()
	down, delay := i.down, i.delay
	i.mu.RUnlock()
	if !sleep(r, delay) {
		return
	}
	if down {
		http.Error(w, "jwks unavailable", http.StatusServiceUnavailable)
		return
	}
	if r.URL.Path == "/v1/jwks" && r.Header.Get("Authorization") != "Bearer "+i.secretKey {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"errors":[{"code":"authentication_invalid"}]}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(i.JWKS())
}

// sleep waits d (real time) unless the request ends first; it reports
// whether the request is still wanted.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
