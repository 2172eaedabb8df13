package clerktest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// The fake Frontend API of an Issuer (frontend*.go).
//
// A server-rendered app keeps its users signed in by sending their browser
// through Clerk's Frontend API (the "handshake"): GET
// {frontend API}/v1/client/handshake answers with a redirect back to the app
// that carries fresh cookies, either inside a signed handshake token
// (`__clerk_handshake`) or behind a nonce the app redeems at the Backend API
// (`__clerk_handshake_nonce`, GET /v1/clients/handshake_payload). The Issuer
// serves that endpoint, the two Backend API endpoints an SSR app calls
// (handshake_payload and POST /v1/sessions/{sid}/refresh) and a sign-in page
// a person can use in a browser, all on its own httptest server: the
// Frontend API URL is Issuer.URL (pass it as the proxy URL, since the
// publishable key's host is not a real server).
//
// The fake emulates a development instance (pk_test_): a browser (a Client)
// is identified by its dev-browser token (`__clerk_db_jwt`), taken from the
// handshake's query, else from the suffixed or plain `__clerk_db_jwt` cookie
// the request carries; an unknown or missing token starts a new, signed-out
// Client. Cookie directives set both the plain and the suffixed names
// (`__session` and `__session_<suffix>`, …), as ClerkJS does, whatever the
// request's suffixed_cookies says, so two instances on one host keep their
// own sessions. It is a test kit: state lives in memory, bounded (MaxClients
// Clients, as many open nonces, the last 64 handshake requests).

// HandshakeFormat selects how the fake Frontend API hands cookies back.
type HandshakeFormat int

const (
	// HandshakeAsRequested answers with a nonce when the request says
	// format=nonce (as Clerk's SDKs do), else with a handshake token; the
	// sign-in and sign-out pages, asked for no format, answer with a token.
	HandshakeAsRequested HandshakeFormat = iota
	// HandshakeToken always answers with a `__clerk_handshake` token.
	HandshakeToken
	// HandshakeNonce always answers with a `__clerk_handshake_nonce`.
	HandshakeNonce
)

// MaxClients bounds the Clients one Issuer keeps (beyond it the Frontend API
// answers 503 instead of starting another) and its unredeemed nonces (the
// oldest expired ones, then any, make room).
const MaxClients = 10000

const (
	maxHandshakeLog = 64
	nonceTTL        = 5 * time.Minute
	cookieMaxAge    = 10 * 365 * 24 * 60 * 60 // __client_uat and __clerk_db_jwt, as Clerk: ten years
)

// frontend is the state of the fake Frontend API; Issuer.fe, guarded by mu.
type frontend struct {
	mu         sync.Mutex
	format     HandshakeFormat
	refresh    bool
	production bool
	clients    map[string]*Client // by dev-browser token
	sessions   map[string]*Client // by session ID
	nonces     map[string]nonce
	handshakes []url.Values
	seq        int64

	payloadCalls int64
	refreshCalls int64
}

type nonce struct {
	directives []string
	expires    time.Time
}

// WithHandshakeFormat sets how the fake Frontend API answers a handshake
// (default HandshakeAsRequested). Issuer.SetHandshakeFormat changes it
// later.
func WithHandshakeFormat(f HandshakeFormat) IssuerOption {
	return func(i *Issuer) error {
		if f < HandshakeAsRequested || f > HandshakeNonce {
			return fmt.Errorf("clerktest: unknown handshake format %d", f)
		}
		i.fe.format = f
		return nil
	}
}

// WithRefreshCookie makes the fake Frontend API's cookie directives carry a
// `__refresh_<suffix>` cookie with the session's refresh token, so that an
// app can refresh an expired session token at the Backend API
// (POST /v1/sessions/{sid}/refresh) instead of a handshake.
func WithRefreshCookie() IssuerOption {
	return func(i *Issuer) error {
		i.fe.refresh = true
		return nil
	}
}

// WithProductionInstance makes the Issuer a production instance: its
// publishable key starts with pk_live_ (and its default secret key with
// sk_live_), and the fake Frontend API behaves as Clerk's does in
// production: it knows a browser by a cookie on its own host (named
// `__clerktest_client_<suffix>`; there is no dev-browser token) and hands a
// handshake back in a cookie (`__clerk_handshake_nonce`, or
// `__clerk_handshake` when the format is HandshakeToken) instead of the
// redirect URL; the directives then remove that cookie. The cookie reaches
// the app because browsers share cookies between the ports of one host:
// serve the app on the Issuer's host, 127.0.0.1.
func WithProductionInstance() IssuerOption {
	return func(i *Issuer) error {
		i.fe.production = true
		if i.secretKey == "sk_test_clerktest" {
			i.secretKey = "sk_live_clerktest"
		}
		return nil
	}
}

// keyPrefix is the prefix of the Issuer's publishable key.
func (i *Issuer) keyPrefix() string {
	if i.fe.production {
		return "pk_live_"
	}
	return "pk_test_"
}

// clientCookie is the name of the cookie a production fake Frontend API
// knows its browsers by.
func (i *Issuer) clientCookie() string { return "__clerktest_client_" + i.CookieSuffix() }

// SetHandshakeFormat changes how the fake Frontend API answers a handshake;
// an unknown format changes nothing.
func (i *Issuer) SetHandshakeFormat(f HandshakeFormat) {
	if f < HandshakeAsRequested || f > HandshakeNonce {
		return
	}
	i.fe.mu.Lock()
	i.fe.format = f
	i.fe.mu.Unlock()
}

// FrontendAPIURL is the URL of the fake Frontend API: the Issuer's URL. An
// app under test uses it as its proxy URL (core.WithProxyURL,
// CLERK_PROXY_URL), the handshake goes to FrontendAPIURL() +
// "/v1/client/handshake".
func (i *Issuer) FrontendAPIURL() string { return i.srv.URL }

// BrowserOptions are the core options of a server-rendered app whose Clerk
// instance is this Issuer, as its environment would set them: the
// publishable key (the issuer, the instance type and the cookie suffix come
// from it), the secret key and Backend API URL (keys from /v1/jwks, nonces,
// refresh), the fake Frontend API as the proxy URL (the handshake goes
// there), its sign-in page, and the Issuer's clock. Add
// core.WithAuthorizedParties with the app's origin, the azp the fake puts in
// the tokens it hands that app.
func (i *Issuer) BrowserOptions() []core.Option {
	return []core.Option{core.WithPublishableKey(i.PublishableKey()), core.WithSecretKey(i.secretKey),
		core.WithAPIURL(i.APIURL()), core.WithProxyURL(i.FrontendAPIURL()), core.WithSignInURL(i.SignInURL()),
		core.WithClock(i.clock)}
}

// SignInURL is the fake Frontend API's sign-in page (for an app's sign-in
// redirect, core.WithSignInURL / CLERK_SIGN_IN_URL). A person picks a user
// ID there; the page then sends the browser back to its redirect_url with a
// handshake carrying the new session's cookies.
func (i *Issuer) SignInURL() string { return i.srv.URL + pathSignIn }

// SignOutURL is the fake Frontend API's sign-out endpoint: a form POST to it
// with redirect_url ends the browser's session and sends it back with a
// handshake that sets `__client_uat=0` and removes `__session`.
func (i *Issuer) SignOutURL() string { return i.srv.URL + pathSignOut }

// CookieSuffix is the suffix of the Issuer's cookie names: core.CookieSuffix
// of its publishable key.
func (i *Issuer) CookieSuffix() string { return core.CookieSuffix(i.PublishableKey()) }

// HandshakeRequests returns the query parameters of the last requests (at
// most 64, oldest first) the fake Frontend API's /v1/client/handshake
// received, so a test can check what its app sent (redirect_url,
// __clerk_hs_reason, format, suffixed_cookies, __clerk_db_jwt, …).
func (i *Issuer) HandshakeRequests() []url.Values {
	i.fe.mu.Lock()
	defer i.fe.mu.Unlock()
	out := make([]url.Values, len(i.fe.handshakes))
	for k, q := range i.fe.handshakes {
		out[k] = cloneValues(q)
	}
	return out
}

// HandshakePayloadRequests counts the calls to the fake Backend API's
// GET /v1/clients/handshake_payload, failed ones included.
func (i *Issuer) HandshakePayloadRequests() int64 {
	i.fe.mu.Lock()
	defer i.fe.mu.Unlock()
	return i.fe.payloadCalls
}

// RefreshRequests counts the calls to the fake Backend API's
// POST /v1/sessions/{sid}/refresh, failed ones included.
func (i *Issuer) RefreshRequests() int64 {
	i.fe.mu.Lock()
	defer i.fe.mu.Unlock()
	return i.fe.refreshCalls
}

// Client is one browser known to the fake Frontend API (Clerk's "client"),
// identified by its dev-browser token. It holds at most one session. Its
// methods are safe for concurrent use.
type Client struct {
	iss        *Issuer
	devBrowser string

	// guarded by iss.fe.mu
	sess *fakeSession
	uat  int64 // client updated at (unix seconds), 0 when signed out
}

type fakeSession struct {
	id      string
	tmpl    Session
	refresh string
}

// ErrTooManyClients is returned by NewClient when the Issuer already holds
// MaxClients.
var ErrTooManyClients = errors.New("clerktest: too many clients")

// NewClient starts a new, signed-out Client with a fresh dev-browser token.
func (i *Issuer) NewClient() (*Client, error) {
	i.fe.mu.Lock()
	defer i.fe.mu.Unlock()
	return i.newClientLocked()
}

func (i *Issuer) newClientLocked() (*Client, error) {
	if len(i.fe.clients) >= MaxClients {
		return nil, ErrTooManyClients
	}
	if i.fe.clients == nil {
		i.fe.clients = map[string]*Client{}
		i.fe.sessions = map[string]*Client{}
	}
	c := &Client{iss: i, devBrowser: "dvb_" + randomHex(16)}
	i.fe.clients[c.devBrowser] = c
	return c, nil
}

// Client returns the Client of a dev-browser token (in a production
// instance, of the value of the Frontend API's client cookie).
func (i *Issuer) Client(devBrowser string) (*Client, bool) {
	i.fe.mu.Lock()
	defer i.fe.mu.Unlock()
	c, ok := i.fe.clients[devBrowser]
	return c, ok
}

// DevBrowser is the Client's dev-browser token (the `__clerk_db_jwt` cookie
// and query parameter); in a production instance, the value of the Frontend
// API's own client cookie.
func (c *Client) DevBrowser() string { return c.devBrowser }

// SignIn signs the Client in, replacing any session it had, and returns the
// session ID. Tokens the Frontend API mints for it follow s (user, org,
// claims, TTL…), each issued at the Issuer's now; s.SessionID defaults to a
// fresh sess_… and s.AuthorizedParty to the origin of the app the handshake
// returns to. The client's `__client_uat` becomes now.
func (c *Client) SignIn(s Session) string {
	c.iss.fe.mu.Lock()
	defer c.iss.fe.mu.Unlock()
	return c.signInLocked(s)
}

func (c *Client) signInLocked(s Session) string {
	fe := &c.iss.fe
	if c.sess != nil {
		delete(fe.sessions, c.sess.id)
	}
	fe.seq++
	id := s.SessionID
	if id == "" {
		id = "sess_" + strconv.FormatInt(fe.seq, 10) + "_" + randomHex(4)
	}
	s.SessionID = id
	s.IssuedAt = time.Time{}
	c.sess = &fakeSession{id: id, tmpl: s, refresh: "rt_" + randomHex(16)}
	fe.sessions[id] = c
	c.uat = c.iss.clock().Unix()
	return id
}

// SignOut ends the Client's session: its `__client_uat` becomes 0 and its
// refresh token stops working.
func (c *Client) SignOut() {
	c.iss.fe.mu.Lock()
	defer c.iss.fe.mu.Unlock()
	c.signOutLocked()
}

func (c *Client) signOutLocked() {
	fe := &c.iss.fe
	if c.sess != nil {
		delete(fe.sessions, c.sess.id)
	}
	c.sess = nil
	c.uat = 0
}

// SessionID is the ID of the Client's session, "" when signed out.
func (c *Client) SessionID() string {
	c.iss.fe.mu.Lock()
	defer c.iss.fe.mu.Unlock()
	if c.sess == nil {
		return ""
	}
	return c.sess.id
}

// RefreshToken is the refresh token of the Client's session (the value of
// its `__refresh_<suffix>` cookie with WithRefreshCookie), "" when signed
// out.
func (c *Client) RefreshToken() string {
	c.iss.fe.mu.Lock()
	defer c.iss.fe.mu.Unlock()
	if c.sess == nil {
		return ""
	}
	return c.sess.refresh
}

// Directives returns the Set-Cookie directives the fake Frontend API hands
// an app at origin (scheme://host[:port]) for the Client now: a fresh
// session token in `__session`, the client's `__client_uat`, its
// `__clerk_db_jwt` (and `__refresh_<suffix>` with WithRefreshCookie), each
// under its plain and its suffixed name; when signed out, `__session` is
// removed and `__client_uat` is 0. A production instance sends no
// `__clerk_db_jwt` and removes the `__clerk_handshake` and
// `__clerk_handshake_nonce` cookies instead.
func (c *Client) Directives(origin string) []string {
	c.iss.fe.mu.Lock()
	defer c.iss.fe.mu.Unlock()
	return c.directivesLocked(origin)
}

func (c *Client) directivesLocked(origin string) []string {
	sfx := "_" + c.iss.CookieSuffix()
	var out []string
	add := func(name, value, attrs string) {
		out = append(out, name+"="+value+"; Path=/"+attrs+"; SameSite=Lax",
			name+sfx+"="+value+"; Path=/"+attrs+"; SameSite=Lax")
	}
	longLived := "; Max-Age=" + strconv.Itoa(cookieMaxAge)
	if c.iss.fe.production {
		// The handshake came in a cookie: the directives remove it, as Clerk's do.
		out = append(out, core.HandshakeParam+"=; Path=/; Max-Age=0; SameSite=Lax",
			core.HandshakeNonceParam+"=; Path=/; Max-Age=0; SameSite=Lax")
	} else {
		add(core.DevBrowserCookie, c.devBrowser, longLived)
	}
	if c.sess == nil {
		add(core.ClientUatCookie, "0", longLived)
		add(core.SessionCookie, "", "; Max-Age=0")
		return out
	}
	s := c.sess.tmpl
	if s.AuthorizedParty == "" {
		s.AuthorizedParty = origin
	}
	add(core.ClientUatCookie, strconv.FormatInt(c.uat, 10), longLived)
	add(core.SessionCookie, c.iss.Mint(s), "")
	if c.iss.fe.refresh {
		out = append(out, core.RefreshCookie+sfx+"="+c.sess.refresh+"; Path=/; HttpOnly; SameSite=Lax")
	}
	return out
}

// clientForLocked finds the Client of the request: the dev-browser token in
// the query (or form), else in the suffixed or plain cookie; in production
// the Frontend API's own client cookie. An unknown or missing token starts a
// new Client.
func (i *Issuer) clientForLocked(r *http.Request, fromQuery string) (*Client, error) {
	if i.fe.production {
		if ck, err := r.Cookie(i.clientCookie()); err == nil {
			if c, ok := i.fe.clients[ck.Value]; ok {
				return c, nil
			}
		}
		return i.newClientLocked()
	}
	candidates := []string{fromQuery}
	if ck, err := r.Cookie(core.DevBrowserCookie + "_" + i.CookieSuffix()); err == nil {
		candidates = append(candidates, ck.Value)
	}
	if ck, err := r.Cookie(core.DevBrowserCookie); err == nil {
		candidates = append(candidates, ck.Value)
	}
	for _, db := range candidates {
		if c, ok := i.fe.clients[db]; ok && db != "" {
			return c, nil
		}
	}
	return i.newClientLocked()
}

// MintHandshake signs a handshake token carrying directives (Set-Cookie
// strings) with the Issuer's key, shaped as Clerk's: header
// {"alg":"RS256","typ":"JWT","kid":…}, payload {"handshake":[…]} plus iat and
// exp (five minutes). opts break or alter it for negative tests
// (WithAlg, SignedBy, WithHeader("cat", …), WithPayload, …).
func (i *Issuer) MintHandshake(directives []string, opts ...MintOption) string {
	now := i.clock()
	d := append([]string{}, directives...)
	return i.MintClaims(map[string]any{"handshake": d, "iat": now.Unix(), "exp": now.Add(nonceTTL).Unix()}, opts...)
}

// IssueHandshakeNonce registers directives with the fake Backend API and
// returns the nonce that redeems them once, within five minutes of the
// Issuer's clock, at GET /v1/clients/handshake_payload?nonce=….
func (i *Issuer) IssueHandshakeNonce(directives []string) string {
	i.fe.mu.Lock()
	defer i.fe.mu.Unlock()
	return i.issueNonceLocked(directives)
}

func (i *Issuer) issueNonceLocked(directives []string) string {
	if i.fe.nonces == nil {
		i.fe.nonces = map[string]nonce{}
	}
	now := i.clock()
	if len(i.fe.nonces) >= MaxClients {
		for k, n := range i.fe.nonces { // drop the expired ones first
			if !now.Before(n.expires) {
				delete(i.fe.nonces, k)
			}
		}
		for k := range i.fe.nonces { // still full: drop any
			if len(i.fe.nonces) < MaxClients {
				break
			}
			delete(i.fe.nonces, k)
		}
	}
	n := "hsn_" + randomHex(16)
	i.fe.nonces[n] = nonce{directives: append([]string{}, directives...), expires: now.Add(nonceTTL)}
	return n
}

// redirectTarget parses a redirect_url the fake Frontend API may send a
// browser to: an absolute http(s) URL on a loopback host (127.0.0.0/8, ::1,
// localhost), so the fake is no open redirect.
func redirectTarget(raw string) (*url.URL, error) {
	if raw == "" || len(raw) > 4096 {
		return nil, errors.New("redirect_url is missing or too long")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, errors.New("redirect_url is not an absolute http(s) URL")
	}
	h := u.Hostname()
	if ip := net.ParseIP(h); (ip == nil || !ip.IsLoopback()) && h != "localhost" && !strings.HasSuffix(h, ".localhost") {
		return nil, errors.New("redirect_url is not on a loopback host")
	}
	return u, nil
}

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string{}, v...)
	}
	return out
}
