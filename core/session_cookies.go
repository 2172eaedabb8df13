package core

import (
	"crypto/sha1" //nolint:gosec // Clerk's cookie suffix is defined as SHA-1 (packages/shared keys.ts getCookieSuffix); not a security use
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// Cookie and query parameter names of Clerk's browser-session protocol
// (behaviour.md §10), as clerk/javascript's backend constants name them.
const (
	// ClientUatCookie is the cookie that says when the browser's client last
	// changed (0 or absent: signed out; behaviour.md §10.1).
	ClientUatCookie = "__client_uat"
	// RefreshCookie is the cookie carrying the session's refresh token
	// (always suffixed; behaviour.md §10.7).
	RefreshCookie = "__refresh"
	// DevBrowserCookie is the dev-browser token of development instances
	// (cookie and query parameter; behaviour.md §10.8).
	DevBrowserCookie = "__clerk_db_jwt"
	// HandshakeParam is the handshake token (query parameter or cookie;
	// behaviour.md §10.5).
	HandshakeParam = "__clerk_handshake"
	// HandshakeNonceParam is the handshake nonce (query parameter or cookie;
	// behaviour.md §10.5).
	HandshakeNonceParam = "__clerk_handshake_nonce"
	// RedirectCountCookie counts the handshake redirects of one browser
	// (behaviour.md §10.6).
	RedirectCountCookie = "__clerk_redirect_count"

	handshakeHelpParam     = "__clerk_help"
	legacyDevBrowserParam  = "__dev_session"
	handshakeReasonParam   = "__clerk_hs_reason"
	handshakeFormatParam   = "format"
	suffixedCookiesParam   = "suffixed_cookies"
	handshakeAPIVersionArg = "__clerk_api_version"
	// supportedAPIVersion is the Backend API version clerk/javascript sends
	// with a handshake (SUPPORTED_BAPI_VERSION).
	supportedAPIVersion = "2026-05-12"
)

// CookieSuffix returns the suffix Clerk appends to the names of an
// instance's cookies (__session_<suffix>, __client_uat_<suffix>): the first
// 8 characters of the URL-safe base64 of the SHA-1 of the publishable key,
// exactly as clerk/javascript's getCookieSuffix (behaviour.md §10.2).
func CookieSuffix(publishableKey string) string {
	sum := sha1.Sum([]byte(publishableKey)) //nolint:gosec // see import
	return base64.URLEncoding.EncodeToString(sum[:])[:8]
}

// cookieJar is the part of a request's cookies the browser rules read
// (behaviour.md §10.1–10.8), filled in one pass.
type cookieJar struct {
	session, sessionSfx     string
	clientUat, clientUatSfx string
	clientUatSet            bool // the unsuffixed __client_uat was sent
	clientUatSfxSet         bool
	refreshSfx              string
	devBrowser, devBrowserS string
	handshake, nonce        string
	redirectCount           string
	seen                    uint16 // one bit per field above: the first occurrence wins, empty or not
}

// cookieHeaderRequest is implemented by request views that can hand out the
// raw Cookie header lines, so that the jar is filled in one pass without
// allocating (HTTPRequest does).
type cookieHeaderRequest interface {
	cookieHeader() []string
}

func (h httpRequest) cookieHeader() []string { return h.r.Header["Cookie"] }

// readJar fills the jar from req. browser says whether the handshake and
// dev-browser cookies are wanted too.
func (a *Authorizer) readJar(req Request, j *cookieJar, browser bool) {
	if ch, ok := req.(cookieHeaderRequest); ok {
		for _, line := range ch.cookieHeader() {
			scanCookies(line, func(name, value string) { a.jarSet(j, name, value, browser) })
		}
		return
	}
	get := func(name string) (string, bool) {
		v, ok := req.Cookie(name)
		v = strings.TrimSpace(v)
		return v, ok && v != ""

	}
	j.session, _ = get(SessionCookie)
	j.clientUat, j.clientUatSet = get(ClientUatCookie)
	if sfx := a.cookieSuffix; sfx != "" {
		j.sessionSfx, _ = get(SessionCookie + "_" + sfx)
		j.clientUatSfx, j.clientUatSfxSet = get(ClientUatCookie + "_" + sfx)
	}
	if !browser {
		return
	}
	if sfx := a.cookieSuffix; sfx != "" {
		j.refreshSfx, _ = get(RefreshCookie + "_" + sfx)
		j.devBrowserS, _ = get(DevBrowserCookie + "_" + sfx)
	}
	j.devBrowser, _ = get(DevBrowserCookie)
	j.handshake, _ = get(HandshakeParam)
	j.nonce, _ = get(HandshakeNonceParam)
	j.redirectCount, _ = get(RedirectCountCookie)
}

// jarSet stores one cookie of the scan; the first occurrence of a name wins,
// as with net/http's Request.Cookie.
func (a *Authorizer) jarSet(j *cookieJar, name, value string, browser bool) {
	set := func(bit uint16, dst *string, flag *bool) {
		if j.seen&bit != 0 {
			return
		}
		j.seen |= bit
		*dst = value
		if flag != nil {
			*flag = value != ""
		}
	}
	switch name {
	case SessionCookie:
		set(1<<0, &j.session, nil)
		return
	case ClientUatCookie:
		set(1<<1, &j.clientUat, &j.clientUatSet)
		return
	}
	if !strings.HasPrefix(name, "__") {
		return
	}
	if browser {
		switch name {
		case DevBrowserCookie:
			set(1<<2, &j.devBrowser, nil)
			return
		case HandshakeParam:
			set(1<<3, &j.handshake, nil)
			return
		case HandshakeNonceParam:
			set(1<<4, &j.nonce, nil)
			return
		case RedirectCountCookie:
			set(1<<5, &j.redirectCount, nil)
			return
		}
	}
	sfx := a.cookieSuffix
	if sfx == "" {
		return
	}
	// The suffix may itself contain '_' (URL-safe base64): match it whole.
	if len(name) <= len(sfx)+1 || name[len(name)-len(sfx)-1] != '_' || name[len(name)-len(sfx):] != sfx {
		return
	}
	switch name[:len(name)-len(sfx)-1] {
	case SessionCookie:
		set(1<<6, &j.sessionSfx, nil)
	case ClientUatCookie:
		set(1<<7, &j.clientUatSfx, &j.clientUatSfxSet)
	case RefreshCookie:
		if browser {
			set(1<<8, &j.refreshSfx, nil)
		}
	case DevBrowserCookie:
		if browser {
			set(1<<9, &j.devBrowserS, nil)
		}
	}
}

// scanCookies calls fn for each well-formed name=value pair of one Cookie
// header line, with net/http's rules (behaviour.md §10.1), then trims the
// value's spaces as clerkguard always has (behaviour.md §1.4): pairs split on
// ';', a value in double quotes unquoted, a name that is not
// an HTTP token or a value with a byte cookies cannot carry skipped; an
// empty value is reported (the first occurrence of a name wins, as with
// net/http, even when empty). Sizes are bounded by the server's header limit and then by
// the token size bound (behaviour.md §3.1). It allocates nothing.
func scanCookies(line string, fn func(name, value string)) {
	for len(line) > 0 {
		var part string
		part, line, _ = strings.Cut(line, ";")
		part = trimOWS(part)
		if part == "" {
			continue
		}
		name, val, _ := strings.Cut(part, "=")
		name = trimOWS(name)
		if !isCookieName(name) {
			continue
		}
		if len(val) > 1 && val[0] == '"' && val[len(val)-1] == '"' {
			val = val[1 : len(val)-1]
		}
		if !isCookieValue(val) {
			continue
		}
		fn(name, strings.TrimSpace(val))
	}
}

// trimOWS trims the spaces, tabs, CRs and LFs net/http trims around cookie
// parts (textproto.TrimString).
func trimOWS(s string) string {
	for len(s) > 0 && isOWS(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isOWS(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isOWS(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isCookieName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenByte[s[i]] {
			return false
		}
	}
	return true
}

// tokenByte marks the bytes of an HTTP token (RFC 7230 tchar).
var tokenByte = func() (t [256]bool) {
	for c := 0x21; c < 0x7f; c++ {
		t[c] = strings.IndexByte("()<>@,;:\\\"/[]?={}", byte(c)) < 0
	}
	return t
}()

// isCookieValue reports whether s holds only the bytes net/http accepts in
// a cookie value (RFC 6265 cookie-octet, plus space and comma). It reads a
// session token's thousand bytes on every request, so it checks eight at a
// time: no byte below 0x20 or above 0x7e, no '"' (0x22), no '\\' (0x5c); ';'
// never reaches it (scanCookies splits on it).
func isCookieValue(s string) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	b := unsafe.Slice(unsafe.StringData(s), len(s)) // read only
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i : i+8])
		if x&highs != 0 { // a byte >= 0x80
			return false
		}
		// For bytes < 0x80: (b - n) sets the high bit exactly when b < n.
		bad := (x - 0x20*ones) | // below 0x20
			(x + (0x80-0x7f)*ones) | // 0x7f (every byte is < 0x80 here)
			((x^0x22*ones)-ones) & ^(x^0x22*ones) | // '"'
			((x^0x5c*ones)-ones) & ^(x^0x5c*ones) | // '\\'
			((x^0x3b*ones)-ones) & ^(x^0x3b*ones) // ';'
		if bad&highs != 0 {
			// The subtractions may borrow across bytes only after a byte
			// that is itself bad, so a false alarm is impossible for a clean
			// word; confirm byte by byte all the same.
			for j := i; j < i+8; j++ {
				if !cookieValueByte(s[j]) {
					return false
				}
			}
		}
	}
	for ; i < len(s); i++ {
		if !cookieValueByte(s[i]) {
			return false
		}
	}
	return true
}

func cookieValueByte(c byte) bool {
	return c >= 0x20 && c < 0x7f && c != '"' && c != ';' && c != '\\'
}

// parseClientUat reads a __client_uat value as clerk/javascript does
// (Number.parseInt(v) || 0): leading decimal digits, anything else 0; values
// beyond 2^53 are treated as 0 (behaviour.md §10.1).
func parseClientUat(v string) int64 {
	var n int64
	i := 0
	for ; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
		n = n*10 + int64(v[i]-'0')
		if n > 1<<53 {
			return 0
		}
	}
	return n
}

// parseRedirectCount reads the __clerk_redirect_count cookie: a decimal
// integer of at most 3 digits, anything else 0 (behaviour.md §10.6).
func parseRedirectCount(v string) int {
	if v == "" || len(v) > 3 {
		return 0
	}
	n := 0
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0
		}
		n = n*10 + int(v[i]-'0')
	}
	return n
}

// peeked is what the browser rules know of a cookie token before it is
// verified: from the token cache when it was verified before (no decoding),
// else from decoding it without checking anything (behaviour.md §10.2).
type peeked struct {
	cached   *Claims
	ok       bool // decoded (or cached)
	own      bool // iss names this instance's Frontend API (belongsToInstance)
	issSet   bool // iss is set to a value JavaScript finds truthy
	sid      string
	sidLater bool // the token has a sid that peek did not copy: see sessionID
	iat, exp int64
	tt       TokenType
	catBad   bool // a header category that is not a session token's
}

func (a *Authorizer) peek(token string, now time.Time) peeked {
	if token == "" {
		return peeked{}
	}
	if tt, ok := opaqueTokenType(token); ok {
		return peeked{ok: true, tt: tt}
	}
	if c, ok := a.cache.get(token, now); ok {
		p := peeked{cached: c, ok: true, own: a.belongsToInstance(c.Issuer), issSet: c.Issuer != "", sid: c.SessionID, exp: c.Expiry.Unix(), tt: c.TokenType}
		if !c.IssuedAt.IsZero() {
			p.iat = c.IssuedAt.Unix()
		}
		return p
	}
	if len(token) > a.cfg.maxTokenSize {
		return peeked{}
	}
	if p, done := a.peekView(token); done {
		return p
	}
	return a.peekDecoded(token)
}

// peekDecoded decodes token as verification does (jwtdecode.Parts.Split) and
// keeps what the browser rules read.
func (a *Authorizer) peekDecoded(token string) peeked {
	var j jwtdecode.Parts
	if j.Split(token, &a.headers) != nil {
		return peeked{}
	}
	p := peeked{ok: true, own: a.belongsToInstance(j.P.Iss.V), issSet: j.P.Iss.V != "", sid: j.P.Sid.V, tt: jwtTokenType(&j),
		catBad: j.Hdr.CatSet && j.Hdr.Cat != catSession && j.Hdr.Cat != catIgnore}
	if !p.issSet {
		p.issSet = truthyClaim(j.PayJSON, "iss")
	}
	if j.P.Iat.Set {
		p.iat = j.P.Iat.T.Unix()
	}
	if j.P.Exp.Set {
		p.exp = j.P.Exp.T.Unix()
	}
	return p
}

// peekMaxPayload bounds the decoded payloads peekView decodes in place.
const peekMaxPayload = 4096

// peekScratch is peekView's memory, reused through peekScratches: the
// decoded payload and the claims that alias it (jwtdecode.DecodePayloadView).
type peekScratch struct {
	buf [peekMaxPayload]byte
	pl  jwtdecode.Payload
	org jwtdecode.OrgClaim
	fva [2]int
}

var peekScratches = sync.Pool{New: func() any { return new(peekScratch) }}

// release clears what aliases the buffer and returns sc to the pool.
func (sc *peekScratch) release() {
	sc.pl, sc.org = jwtdecode.Payload{}, jwtdecode.OrgClaim{}
	peekScratches.Put(sc)
}

// peekView is peekDecoded without allocating, for the ordinary token: its
// payload decoded into a pooled buffer (at most peekMaxPayload bytes) by
// jwtdecode.DecodePayloadView, nothing kept from it once peekView returns, its signature only checked to be base64url, its header
// through the header cache; the session ID is not copied out (sidLater). It
// reports done only when it decided exactly as peekDecoded would (anything
// unusual, errors included, is left to peekDecoded); FuzzPeekView checks the
// equivalence. This keeps a handshake for a stale cookie token free of
// allocations beyond the redirect (behaviour.md §10.4).
func (a *Authorizer) peekView(token string) (peeked, bool) {
	h64, rest, ok1 := strings.Cut(token, ".")
	p64, s64, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.IndexByte(s64, '.') >= 0 ||
		jwtdecode.DecodedLen(len(p64)) > peekMaxPayload || strings.ContainsAny(p64, "\r\n") || strings.ContainsAny(s64, "\r\n") {
		return peeked{}, false
	}
	sc := peekScratches.Get().(*peekScratch)
	defer sc.release()
	n, err := jwtdecode.DecodeSegmentInto(sc.buf[:], p64)
	if err != nil || !jwtdecode.LooksLikeJSONObject(sc.buf[:n]) || !jwtdecode.ValidSegment(s64) {
		return peeked{}, false
	}
	hdr, err := a.headers.Parse(h64)
	if err != nil {
		return peeked{}, false
	}
	pl := &sc.pl
	sub, _, fast := jwtdecode.DecodePayloadView(sc.buf[:n], pl, &sc.org, &sc.fva)
	if !fast || pl.Iss.V == "" {
		// An empty or absent iss needs truthyClaim, which allocates.
		return peeked{}, false
	}
	p := peeked{ok: true, own: a.belongsToInstance(pl.Iss.V), issSet: true, sidLater: pl.Sid.V != "",
		tt: TokenType(jwtdecode.JWTType(hdr.Typ, hdr.Cat, sub)), catBad: hdr.CatSet && hdr.Cat != catSession && hdr.Cat != catIgnore}
	if pl.Iat.Set {
		p.iat = pl.Iat.T.Unix()
	}
	if pl.Exp.Set {
		p.exp = pl.Exp.T.Unix()
	}
	return p, true
}

// sessionID is the sid claim of the token p was peeked from.
func (a *Authorizer) sessionID(p peeked, token string) string {
	if p.sidLater {
		return a.peekDecoded(token).sid
	}
	return p.sid
}

// usesSuffixed is clerk/javascript's usesSuffixedCookies (authenticateContext.ts),
// rule for rule (behaviour.md §10.2). sess and sessSfx are the peeks of the
// unsuffixed and suffixed session cookies.
func (a *Authorizer) usesSuffixed(j *cookieJar, sess, sessSfx peeked, now time.Time) bool {
	if a.cookieSuffix == "" {
		return false
	}
	if j.session != "" && (!sess.ok || !sess.issSet) {
		// A malformed unsuffixed session (no iss): signed out with it rather
		// than a handshake.
		return false
	}
	if j.session != "" && !sess.own {
		return true
	}
	if !j.clientUatSfxSet && j.sessionSfx == "" {
		return false
	}
	if j.clientUatSfx != "0" && j.clientUat != "0" && sess.iat > sessSfx.iat {
		return false
	}
	if j.clientUatSfx == "0" && j.clientUat != "0" {
		return false
	}
	if a.devInstance {
		expired := sessSfx.ok && sessSfx.exp <= now.Unix()
		if j.clientUatSfx != "0" && j.clientUat == "0" && expired {
			return false
		}
	}
	if !j.clientUatSfxSet && j.sessionSfx != "" {
		return false
	}
	return true
}

// belongsToInstance compares a token's iss, without its scheme, with the
// Frontend API host of the publishable key (never the proxy URL).
func (a *Authorizer) belongsToInstance(iss string) bool {
	host := iss
	if h, ok := cutPrefixFold(host, "https://"); ok {
		host = h
	} else if h, ok := cutPrefixFold(host, "http://"); ok {
		host = h
	}
	return host != "" && host == a.frontendAPIHost
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// sessionCookies is the outcome of the cookie rules' first step: which
// session token and client_uat the request carries for this instance.
type sessionCookies struct {
	token     string
	peek      peeked
	clientUat int64
	suffixed  bool
}

// chooseCookies applies usesSuffixedCookies and returns the session cookie
// and client_uat of this instance (behaviour.md §10.2).
func (a *Authorizer) chooseCookies(j *cookieJar, now time.Time) sessionCookies {
	sess := a.peekIf(j.session, now, a.cookieSuffix != "")
	var sfx peeked
	if j.sessionSfx != "" {
		sfx = a.peek(j.sessionSfx, now)
	}
	if a.usesSuffixed(j, sess, sfx, now) {
		return sessionCookies{token: j.sessionSfx, peek: sfx, clientUat: parseClientUat(j.clientUatSfx), suffixed: true}
	}
	if a.cookieSuffix == "" {
		sess = a.peek(j.session, now)
	}
	return sessionCookies{token: j.session, peek: sess, clientUat: parseClientUat(j.clientUat)}
}

func (a *Authorizer) peekIf(token string, now time.Time, want bool) peeked {
	if !want {
		return peeked{}
	}
	return a.peek(token, now)
}

// truthyClaim reports whether the JSON object payload sets claim to a value
// JavaScript finds truthy (not null, false, 0 or ""), whatever its type:
// clerk/javascript's tokenHasIssuer.
func truthyClaim(payload []byte, claim string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(payload, &m) != nil {
		return false
	}
	v, ok := m[claim]
	if !ok {
		return false
	}
	switch string(v) {
	case "null", "false", "0", `""`, "-0", "0.0":
		return false
	}
	return true
}
