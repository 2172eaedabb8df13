package core

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// flow is one request going through the cookie rules of behaviour.md §10,
// plain (Authenticate: browser false) or with the handshake (AuthenticateBrowser).
type flow struct {
	a       *Authorizer
	ctx     context.Context
	req     Request
	browser bool
	ans     Answer // what the adapter must do (browser flows only)
	now     time.Time

	j          cookieJar
	sc         sessionCookies
	devBrowser string

	urlRead           bool // loadURL ran
	urlOK             bool
	scheme, host, uri string
}

// loadURL reads the request's URL (behaviour.md §10.3) the first time a rule
// needs it, so that a signed-in request never builds it, and reports whether
// the request has one.
func (f *flow) loadURL() bool {
	if !f.urlRead {
		f.urlRead = true
		if scheme, host, ok := f.a.requestOrigin(f.req); ok {
			f.scheme, f.host, f.urlOK = scheme, host, true
			f.uri = f.req.(urlRequest).RequestURI()
		}
	}
	return f.urlOK
}

// AuthenticateBrowser is Authenticate for the middleware of a
// server-rendered application (an adapter's WithHandshake): it authenticates
// req as Authenticate does, with Clerk's browser-session rules on top
// (behaviour.md §10): it resolves a returning handshake, refreshes an
// expired session from its __refresh cookie, and sends a page load whose
// session cannot be trusted as it is to the Frontend API for a handshake.
// Besides the claims or the error, it returns what the adapter must answer
// or add to the response (the zero Answer: nothing).
//
// It needs the publishable key (WithPublishableKey) to know the Frontend
// API; without one it is Authenticate. Requests that do not implement
// URLRequest and MethodRequest never get a handshake.
func (a *Authorizer) AuthenticateBrowser(ctx context.Context, req Request) (*Claims, Answer, error) {
	return a.authenticate(ctx, req, nil, true)
}

// AuthenticateBrowserRoute is AuthenticateBrowser with the token sources of
// the request's route (AuthenticateRoute, behaviour.md §1.6).
func (a *Authorizer) AuthenticateBrowserRoute(ctx context.Context, req Request, route []TokenSource) (*Claims, Answer, error) {
	return a.authenticate(ctx, req, route, true)
}

// query returns a query parameter of the browser flow (all of them contain
// "clerk"): a request whose query does not contain it is not parsed at all.
func (f *flow) query(name string) string {
	switch r := f.req.(type) {
	case httpRequest:
		if r.r.URL == nil || !strings.Contains(r.r.URL.RawQuery, "clerk") {
			return ""
		}
	case urlRequest:
		if _, q, _ := strings.Cut(r.RequestURI(), "?"); !strings.Contains(q, "clerk") {
			return ""
		}
	}
	if q, ok := f.req.(queryRequest); ok {
		return q.Query(name)
	}
	return ""
}

// run applies behaviour.md §10 in clerk/javascript's order
// (authenticateRequestWithTokenInCookie).
func (f *flow) run() (c *Claims, hit bool, tt TokenType, source string, err error) {
	a := f.a
	f.now = a.cfg.clock()
	a.readJar(f.req, &f.j, f.browser)
	if f.browser {
		hs, nonce := f.query(HandshakeParam), f.query(HandshakeNonceParam)
		if hs == "" {
			hs = f.j.handshake
		}
		if nonce == "" {
			nonce = f.j.nonce
		}
		if hs != "" || nonce != "" {
			if c, err, done := f.resolve(hs, nonce); done {
				return c, false, SessionToken, SourceCookie, err
			}
		}
	}
	f.sc = a.chooseCookies(&f.j, f.now)
	if f.browser {
		if done, err := f.multiDomainSync(); done { // behaviour.md §12.13
			return nil, false, SessionToken, sourceOf(f.sc.token), err
		}
	}
	if f.browser && a.devInstance {
		q := f.readDevBrowser()
		if q != "" {
			return nil, false, "", sourceOf(f.sc.token), f.maybeHandshake(ReasonDevBrowserSync, "")
		}
		if f.devBrowser == "" {
			return nil, false, "", sourceOf(f.sc.token), f.maybeHandshake(ReasonDevBrowserMissing, "")
		}
	}
	sc := &f.sc
	switch {
	case sc.clientUat == 0 && sc.token == "":
		return nil, false, "", "", &Error{Reason: ReasonSessionTokenMissing, Detail: "no Authorization bearer token and no __session cookie"}
	case sc.clientUat == 0:
		return nil, false, SessionToken, SourceCookie, f.maybeHandshake(ReasonSessionTokenWithoutClientUAT, "")
	case sc.token == "":
		return nil, false, "", SourceCookie, f.maybeHandshake(ReasonClientUATWithoutSessionToken, "")
	}
	source = SourceCookie
	if !sc.peek.ok {
		// Not even a JWT: verify reports why (token-invalid, or
		// token-type-mismatch for an opaque machine token).
		c, hit, tt, err = a.verify(f.ctx, sc.token, source)
		return c, hit, tt, source, err
	}
	if sc.peek.tt != SessionToken || sc.peek.catBad {
		return nil, sc.peek.cached != nil, sc.peek.tt, source,
			errorf(ReasonTokenTypeMismatch, "%s is not accepted from the cookie", sc.peek.tt)
	}
	if sc.peek.iat < sc.clientUat {
		return nil, sc.peek.cached != nil, SessionToken, source, f.maybeHandshake(ReasonSessionTokenIATBeforeClientUAT, "")
	}
	if sc.peek.cached != nil {
		c, err = a.useCached(sc.peek.cached, source, f.now)
		hit = true
	} else {
		c, hit, _, err = a.verify(f.ctx, sc.token, source)
	}
	if err == nil || !f.browser {
		return c, hit, SessionToken, source, err
	}
	return f.afterError(err)
}

// readDevBrowser sets f.devBrowser (behaviour.md §10.8): the query parameter,
// else the dev-browser cookie of §10.2's choice. It returns the query
// parameter.
func (f *flow) readDevBrowser() string {
	q := f.query(DevBrowserCookie)
	f.devBrowser = q
	if f.devBrowser == "" {
		if f.sc.suffixed {
			f.devBrowser = f.j.devBrowserS
		} else {
			f.devBrowser = f.j.devBrowser
		}
	}
	return q
}

// headerError is afterError for a session token from the Authorization
// header of a browser flow, as clerk/javascript's handleSessionTokenError
// treats it: the handshake and the refresh use the cookie's session token
// when there is one, else the header's.
func (f *flow) headerError(token string, err error) (*Claims, error) {
	a := f.a
	f.now = a.cfg.clock()
	a.readJar(f.req, &f.j, true)
	f.sc = a.chooseCookies(&f.j, f.now)
	if f.sc.token == "" {
		f.sc.token, f.sc.peek = token, a.peek(token, f.now)
	}
	if a.devInstance {
		f.readDevBrowser()
	}
	c, _, _, _, err := f.afterError(err)
	return c, err
}

func sourceOf(token string) string {
	if token == "" {
		return ""
	}
	return SourceCookie
}

// afterError is clerk/javascript's handleSessionTokenError for the cookie:
// an expired session is refreshed from __refresh when the request is a GET
// carrying one (behaviour.md §10.7); an expired, not yet valid or future
// token gets a handshake; any other error signs the request out.
func (f *flow) afterError(err error) (*Claims, bool, TokenType, string, error) {
	reason := ReasonOf(err)
	var hsReason string
	switch reason {
	case ReasonTokenExpired:
		refreshErr := ""
		switch {
		case !isGet(f.req):
			refreshErr = refreshNonEligibleNonGet
		case f.j.refreshSfx == "":
			refreshErr = refreshNonEligibleNoCookie
		default:
			c, rerr := f.refresh()
			if rerr == "" {
				return c, false, SessionToken, SourceCookie, nil
			}
			refreshErr = rerr
		}
		hsReason = "session-token-expired-refresh-" + refreshErr
	case ReasonTokenNotActiveYet:
		hsReason = "session-token-nbf"
	case ReasonTokenIatInTheFuture:
		hsReason = "session-token-iat-in-the-future"
	default:
		return nil, false, SessionToken, SourceCookie, err
	}
	// The Result keeps the verification error (token-expired, …); the
	// answer, when the request is eligible, is the handshake.
	_ = f.maybeHandshake(reason, hsReason)
	return nil, false, SessionToken, SourceCookie, err
}

func isGet(req Request) bool {
	mr, ok := req.(methodRequest)
	return ok && mr.Method() == http.MethodGet
}

// refresh trades the __refresh cookie for a new session (behaviour.md
// §10.7): on success the request is signed in and the answer carries the
// new cookies; otherwise it returns the refresh error reason.
func (f *flow) refresh() (*Claims, string) {
	if !f.loadURL() {
		return nil, refreshUnexpectedSDKError
	}
	p := f.a.sessionID(f.sc.peek, f.sc.token)
	if p == "" {
		return nil, refreshMissingSidClaim
	}
	ds, rerr := f.a.refreshSession(f.ctx, f.req, p, f.sc.token, f.j.refreshSfx, f.scheme+"://"+f.host, f.sc.suffixed)
	if rerr != "" {
		return nil, rerr
	}
	tok := sessionFromDirectives(ds)
	if tok == "" {
		return nil, refreshInvalidSessionToken
	}
	c, _, _, err := f.a.verify(f.ctx, tok, SourceCookie)
	if err != nil {
		return nil, refreshInvalidSessionToken
	}
	f.ans = Answer{Header: http.Header{headerSetCookie: ds}}
	return c, ""
}

// resolve is clerk/javascript's resolveHandshake (behaviour.md §10.5): the
// directives of the nonce (Backend API) or of the handshake token (verified
// with the instance's keys) are set as they are; a development instance
// redirects to the URL without the handshake parameters, production
// continues. done is false when resolution failed in production: the
// request then goes through the ordinary rules.
func (f *flow) resolve(token, nonce string) (c *Claims, err error, done bool) {
	a := f.a
	var ds []string
	if nonce != "" {
		var nerr error
		if ds, nerr = a.handshakePayload(f.ctx, nonce); nerr != nil {
			a.logger.LogAttrs(f.ctx, slog.LevelWarn, "clerkguard: handshake nonce could not be resolved",
				slog.String("reason", string(ReasonOf(nerr))), slog.String("detail", detailOf(nerr)))
			ds = nil
		}
	} else {
		var terr error
		ds, terr = a.verifyHandshakeToken(f.ctx, token, f.now)
		if terr != nil {
			a.logger.LogAttrs(f.ctx, slog.LevelWarn, "clerkguard: handshake token refused",
				slog.String("reason", string(ReasonOf(terr))), slog.String("detail", detailOf(terr)))
			if a.devInstance {
				return nil, terr, true
			}
			return nil, nil, false
		}
	}
	h := http.Header{
		headerAccessControlAllowOrig:  {"null"},
		headerAccessControlAllowCreds: {"true"},
	}
	if len(ds) > 0 {
		h[headerSetCookie] = ds
	}
	ans := Answer{Header: h}
	if a.devInstance && f.loadURL() {
		h[headerLocation] = []string{f.scheme + "://" + f.host +
			stripQuery(f.uri, HandshakeParam, handshakeHelpParam, DevBrowserCookie, HandshakeNonceParam)}
		h[headerCacheControl] = []string{"no-store"}
		ans.Status = http.StatusTemporaryRedirect
	}
	tok := sessionFromDirectives(ds)
	if tok == "" {
		f.ans = ans
		return nil, &Error{Reason: ReasonSessionTokenMissing, Detail: "the handshake carried no session token"}, true
	}
	c, _, _, err = a.verify(f.ctx, tok, SourceCookie)
	if err != nil && a.devInstance {
		switch ReasonOf(err) {
		case ReasonTokenExpired, ReasonTokenNotActiveYet, ReasonTokenIatInTheFuture:
			// clerk/javascript retries with a day of skew in development,
			// where a wrong local clock is common, and says so.
			a.logger.LogAttrs(f.ctx, slog.LevelError, "clerkguard: clock skew detected while resolving a handshake; "+
				"retrying with one day of leeway (development instances only). Check the system clock.",
				slog.String("reason", string(ReasonOf(err))))
			c, err = a.verifyWithSkew(f.ctx, tok, f.now, 24*time.Hour)
		}
	}
	if err != nil {
		a.logger.LogAttrs(f.ctx, slog.LevelWarn, "clerkguard: the session token of a handshake was refused",
			slog.String("reason", string(ReasonOf(err))))
		if a.devInstance {
			return nil, err, true
		}
		return nil, nil, false
	}
	f.ans = ans
	return c, nil, true
}

func detailOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Detail
	}
	return ""
}

// verifyWithSkew verifies token with a larger clock skew (the development
// retry of behaviour.md §10.5).
func (a *Authorizer) verifyWithSkew(ctx context.Context, token string, now time.Time, skew time.Duration) (*Claims, error) {
	c, tt, _, err := a.verifyJWT(ctx, token, SourceCookie)
	if err != nil {
		return nil, err
	}
	if tt != SessionToken {
		return nil, errorf(ReasonTokenTypeMismatch, "%s is not accepted from the cookie", tt)
	}
	if err := a.checkClaimsSkew(c, now, skew); err != nil {
		return nil, err
	}
	return c, nil
}
