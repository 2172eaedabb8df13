package clerktest_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

const appOrigin = "http://127.0.0.1:9"

// noRedirect is an HTTP client that hands redirects back to the test.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func getURL(t *testing.T, u string, cookies ...*http.Cookie) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func postForm(t *testing.T, u string, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func handshakeURL(iss *clerktest.Issuer, q url.Values) string {
	return iss.FrontendAPIURL() + "/v1/client/handshake?" + q.Encode()
}

// verifiedDirectives checks a handshake token's RS256 signature against the
// Issuer's key and returns its handshake claim.
func verifiedDirectives(t *testing.T, iss *clerktest.Issuer, token string) []string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("handshake token has %d parts", len(parts))
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(&iss.PrivateKey().PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("handshake token is not signed by the Issuer: %v", err)
	}
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var hdr map[string]any
	if err := json.Unmarshal(hb, &hdr); err != nil || hdr["alg"] != "RS256" || hdr["typ"] != "JWT" || hdr["kid"] != iss.KID() {
		t.Fatalf("handshake header %s, want RS256/JWT/%s", hb, iss.KID())
	}
	pb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var p struct {
		Handshake []string `json:"handshake"`
	}
	if err := json.Unmarshal(pb, &p); err != nil {
		t.Fatal(err)
	}
	return p.Handshake
}

// cookieValues maps directive names to values.
func cookieValues(directives []string) map[string]string {
	m := map[string]string{}
	for _, d := range directives {
		nv, _, _ := strings.Cut(d, ";")
		n, v, _ := strings.Cut(nv, "=")
		m[n] = v
	}
	return m
}

func locationQuery(t *testing.T, res *http.Response, wantStatus int, wantPrefix string) url.Values {
	t.Helper()
	if res.StatusCode != wantStatus {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("status %d (%s), want %d", res.StatusCode, b, wantStatus)
	}
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, wantPrefix) {
		t.Fatalf("Location %q, want prefix %q", loc, wantPrefix)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// A signed-in Client's handshake comes back as a token holding a fresh
// session token (plain and suffixed) that an Authorizer accepts for the
// app's origin, its client_uat and its dev-browser token.
func TestFrontendHandshakeTokenSignedIn(t *testing.T) {
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
	c, err := iss.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	sid := c.SignIn(clerktest.Session{UserID: "user_1"})
	clock.Advance(10 * time.Minute) // the first token has long expired: the handshake mints a new one
	q := locationQuery(t, getURL(t, handshakeURL(iss, url.Values{
		"redirect_url": {appOrigin + "/dashboard?tab=1"}, "__clerk_db_jwt": {c.DevBrowser()},
		"__clerk_hs_reason": {"session-token-expired"}, "suffixed_cookies": {"false"},
	})), http.StatusTemporaryRedirect, appOrigin+"/dashboard?")
	if q.Get("tab") != "1" || q.Has("__clerk_handshake_nonce") {
		t.Fatalf("redirect query %v: want the original query plus __clerk_handshake only", q)
	}
	d := cookieValues(verifiedDirectives(t, iss, q.Get("__clerk_handshake")))
	sfx := "_" + iss.CookieSuffix()
	uat := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC).Unix()
	for _, name := range []string{"__session", "__client_uat", "__clerk_db_jwt"} {
		if d[name] == "" || d[name] != d[name+sfx] {
			t.Errorf("%s = %q, %s%s = %q: want both, equal", name, d[name], name, sfx, d[name+sfx])
		}
	}
	if d["__client_uat"] != jsonNumber(uat) || d["__clerk_db_jwt"] != c.DevBrowser() {
		t.Errorf("client_uat %s (want sign-in time %d), db %s (want %s)", d["__client_uat"], uat, d["__clerk_db_jwt"], c.DevBrowser())
	}
	a, err := core.New(append(iss.AuthorizerOptions(), core.WithAuthorizedParties(appOrigin))...)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := a.VerifyToken(context.Background(), d["__session"])
	if err != nil || claims.UserID() != "user_1" || claims.SessionID != sid {
		t.Fatalf("fresh session token: %v, %v; want user_1 in %s", claims, err, sid)
	}
	if _, ok := d["__refresh"+sfx]; ok {
		t.Error("a __refresh cookie without WithRefreshCookie")
	}
	hs := iss.HandshakeRequests()
	if len(hs) != 1 || hs[0].Get("__clerk_hs_reason") != "session-token-expired" {
		t.Errorf("HandshakeRequests = %v", hs)
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

// A browser the fake does not know (no dev-browser token, or an unknown one)
// starts a new, signed-out Client: client_uat 0, __session removed.
func TestFrontendHandshakeUnknownBrowserSignedOut(t *testing.T) {
	iss := clerktest.Start(t)
	for name, q := range map[string]url.Values{
		"no token":      {"redirect_url": {appOrigin + "/"}},
		"unknown token": {"redirect_url": {appOrigin + "/"}, "__clerk_db_jwt": {"dvb_forged"}},
	} {
		t.Run(name, func(t *testing.T) {
			lq := locationQuery(t, getURL(t, handshakeURL(iss, q)), http.StatusTemporaryRedirect, appOrigin+"/?")
			dirs := verifiedDirectives(t, iss, lq.Get("__clerk_handshake"))
			d := cookieValues(dirs)
			if d["__client_uat"] != "0" || d["__session"] != "" {
				t.Errorf("signed-out directives %v", dirs)
			}
			if !strings.Contains(strings.Join(dirs, "\n"), "__session=; Path=/; Max-Age=0") {
				t.Errorf("__session is not removed: %v", dirs)
			}
			db := d["__clerk_db_jwt"]
			if db == "" || db == "dvb_forged" {
				t.Fatalf("dev browser %q: want a fresh one", db)
			}
			if _, ok := iss.Client(db); !ok {
				t.Errorf("the new dev browser %s is not a Client", db)
			}
		})
	}
}

// The dev-browser token comes from the query, else the suffixed cookie,
// else the plain cookie (a second instance on the same host overwrites the
// plain one).
func TestFrontendHandshakeDevBrowserSources(t *testing.T) {
	iss := clerktest.Start(t)
	mine, _ := iss.NewClient()
	mine.SignIn(clerktest.Session{UserID: "user_mine"})
	other, _ := iss.NewClient()
	sfx := "_" + iss.CookieSuffix()
	cases := []struct {
		name    string
		query   string
		cookies []*http.Cookie
		want    string
	}{
		{"query wins", mine.DevBrowser(), []*http.Cookie{{Name: "__clerk_db_jwt" + sfx, Value: other.DevBrowser()}}, mine.DevBrowser()},
		{"suffixed cookie over plain", "", []*http.Cookie{{Name: "__clerk_db_jwt", Value: other.DevBrowser()}, {Name: "__clerk_db_jwt" + sfx, Value: mine.DevBrowser()}}, mine.DevBrowser()},
		{"plain cookie", "", []*http.Cookie{{Name: "__clerk_db_jwt", Value: mine.DevBrowser()}}, mine.DevBrowser()},
		{"unknown query falls back to cookie", "dvb_x", []*http.Cookie{{Name: "__clerk_db_jwt", Value: other.DevBrowser()}}, other.DevBrowser()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{"redirect_url": {appOrigin + "/"}}
			if tc.query != "" {
				q.Set("__clerk_db_jwt", tc.query)
			}
			lq := locationQuery(t, getURL(t, handshakeURL(iss, q), tc.cookies...), http.StatusTemporaryRedirect, appOrigin)
			if got := cookieValues(verifiedDirectives(t, iss, lq.Get("__clerk_handshake")))["__clerk_db_jwt"]; got != tc.want {
				t.Errorf("client %s, want %s", got, tc.want)
			}
		})
	}
}

// format=nonce (as Clerk's SDKs send) gets a nonce the Backend API redeems
// once, within five minutes, with the secret key.
func TestFrontendHandshakeNonce(t *testing.T) {
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now))
	c, _ := iss.NewClient()
	c.SignIn(clerktest.Session{UserID: "user_n"})
	nonceFor := func(t *testing.T) string {
		lq := locationQuery(t, getURL(t, handshakeURL(iss, url.Values{"redirect_url": {appOrigin + "/"}, "__clerk_db_jwt": {c.DevBrowser()}, "format": {"nonce"}})), http.StatusTemporaryRedirect, appOrigin)
		if lq.Has("__clerk_handshake") || lq.Get("__clerk_handshake_nonce") == "" {
			t.Fatalf("redirect query %v: want a nonce only", lq)
		}
		return lq.Get("__clerk_handshake_nonce")
	}
	payload := func(t *testing.T, nonce, auth string) (int, []string) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, iss.APIURL()+"/v1/clients/handshake_payload?nonce="+url.QueryEscape(nonce), nil)
		req.Header.Set("Authorization", auth)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body struct {
			Directives []string `json:"directives"`
		}
		_ = json.NewDecoder(res.Body).Decode(&body)
		return res.StatusCode, body.Directives
	}
	bearer := "Bearer " + iss.SecretKey()

	t.Run("redeemed once", func(t *testing.T) {
		n := nonceFor(t)
		if code, _ := payload(t, n, "Bearer sk_test_wrong"); code != http.StatusUnauthorized {
			t.Errorf("wrong secret key: %d, want 401", code)
		}
		code, dirs := payload(t, n, bearer)
		if code != http.StatusOK || cookieValues(dirs)["__clerk_db_jwt"] != c.DevBrowser() || cookieValues(dirs)["__session"] == "" {
			t.Fatalf("first redemption: %d %v", code, dirs)
		}
		if code, _ := payload(t, n, bearer); code != http.StatusNotFound {
			t.Errorf("second redemption: %d, want 404", code)
		}
	})
	t.Run("expiry boundary", func(t *testing.T) {
		before, at := nonceFor(t), nonceFor(t)
		clock.Advance(5*time.Minute - time.Second)
		if code, _ := payload(t, before, bearer); code != http.StatusOK {
			t.Errorf("4m59s old: %d, want 200", code)
		}
		clock.Advance(time.Second)
		if code, _ := payload(t, at, bearer); code != http.StatusNotFound {
			t.Errorf("5m old: %d, want 404", code)
		}
	})
	t.Run("forced format", func(t *testing.T) {
		iss.SetHandshakeFormat(clerktest.HandshakeToken)
		defer iss.SetHandshakeFormat(clerktest.HandshakeAsRequested)
		lq := locationQuery(t, getURL(t, handshakeURL(iss, url.Values{"redirect_url": {appOrigin + "/"}, "format": {"nonce"}})), http.StatusTemporaryRedirect, appOrigin)
		if !lq.Has("__clerk_handshake") {
			t.Errorf("HandshakeToken answered %v", lq)
		}
		iss.SetHandshakeFormat(clerktest.HandshakeNonce)
		lq = locationQuery(t, getURL(t, handshakeURL(iss, url.Values{"redirect_url": {appOrigin + "/"}})), http.StatusTemporaryRedirect, appOrigin)
		if !lq.Has("__clerk_handshake_nonce") {
			t.Errorf("HandshakeNonce answered %v", lq)
		}
	})
	if n := iss.HandshakePayloadRequests(); n != 5 {
		t.Errorf("HandshakePayloadRequests = %d, want 5", n)
	}
}

// The fake is no open redirect: redirect_url must be an absolute http(s)
// URL on a loopback host.
func TestFrontendRedirectURLChecked(t *testing.T) {
	iss := clerktest.Start(t)
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"", false},
		{"/relative", false},
		{"ftp://127.0.0.1/", false},
		{"https://evil.example/", false},
		{"http://127.0.0.1.evil.example/", false},
		{"http://user:pw@127.0.0.1/", false},
		{"http://" + strings.Repeat("a", 4100), false},
		{"http://127.0.0.1:8080/x", true},
		{"http://127.9.9.9/", true},
		{"http://[::1]:3000/", true},
		{"http://localhost:3000/", true},
		{"https://app.localhost/", true},
	} {
		res := getURL(t, handshakeURL(iss, url.Values{"redirect_url": {tc.url}}))
		if got := res.StatusCode == http.StatusTemporaryRedirect; got != tc.ok {
			t.Errorf("redirect_url %.40q: status %d, want accepted=%v", tc.url, res.StatusCode, tc.ok)
		}
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, handshakeURL(iss, url.Values{"redirect_url": {appOrigin}}), nil)
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST handshake: %d, want 405", res.StatusCode)
	}
}

func TestFrontendHandshakeLogBounded(t *testing.T) {
	iss := clerktest.Start(t)
	for n := range 70 {
		getURL(t, handshakeURL(iss, url.Values{"redirect_url": {appOrigin + "/"}, "n": {jsonNumber(int64(n))}}))
	}
	hs := iss.HandshakeRequests()
	if len(hs) != 64 || hs[0].Get("n") != "6" || hs[63].Get("n") != "69" {
		t.Fatalf("log holds %d, first n=%s last n=%s; want the last 64 (6…69)", len(hs), hs[0].Get("n"), hs[len(hs)-1].Get("n"))
	}
	hs[0].Set("n", "mutated")
	if iss.HandshakeRequests()[0].Get("n") != "6" {
		t.Error("HandshakeRequests returns the Issuer's own maps")
	}
}

// The dev sign-in page: GET renders a form (escaping what it echoes), POST
// signs the browser in and hands it back with the session's cookies.
func TestFrontendSignInPage(t *testing.T) {
	iss := clerktest.Start(t)
	res := getURL(t, iss.SignInURL()+"?redirect_url="+url.QueryEscape(appOrigin+`/"><script>`))
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `name="user_id"`) || strings.Contains(string(body), `"><script>`) {
		t.Fatalf("sign-in page %d:\n%s", res.StatusCode, body)
	}

	lq := locationQuery(t, postForm(t, iss.SignInURL(), url.Values{"user_id": {"user_alice"}, "redirect_url": {appOrigin + "/dashboard"}}),
		http.StatusSeeOther, appOrigin+"/dashboard?")
	d := cookieValues(verifiedDirectives(t, iss, lq.Get("__clerk_handshake")))
	c, ok := iss.Client(d["__clerk_db_jwt"])
	if !ok || c.SessionID() == "" || d["__client_uat"] == "0" {
		t.Fatalf("after sign-in: client %v, session %q, uat %s", ok, c.SessionID(), d["__client_uat"])
	}
	a, _ := core.New(append(iss.AuthorizerOptions(), core.WithAuthorizedParties(appOrigin))...)
	if claims, err := a.VerifyToken(context.Background(), d["__session"]); err != nil || claims.UserID() != "user_alice" {
		t.Fatalf("session token: %v %v", claims, err)
	}

	// The same browser (its dev browser in the form) signs in again: same Client, new session.
	first := c.SessionID()
	lq = locationQuery(t, postForm(t, iss.SignInURL(), url.Values{"user_id": {"user_bob"}, "redirect_url": {appOrigin + "/"}, "__clerk_db_jwt": {c.DevBrowser()}}),
		http.StatusSeeOther, appOrigin)
	if d2 := cookieValues(verifiedDirectives(t, iss, lq.Get("__clerk_handshake"))); d2["__clerk_db_jwt"] != c.DevBrowser() || c.SessionID() == first {
		t.Errorf("second sign-in: db %s (want %s), session %s (was %s)", d2["__clerk_db_jwt"], c.DevBrowser(), c.SessionID(), first)
	}

	for name, form := range map[string]url.Values{
		"empty user":      {"user_id": {""}, "redirect_url": {appOrigin}},
		"user with space": {"user_id": {"user 1"}, "redirect_url": {appOrigin}},
		"user too long":   {"user_id": {strings.Repeat("u", 65)}, "redirect_url": {appOrigin}},
		"foreign target":  {"user_id": {"user_1"}, "redirect_url": {"https://evil.example/"}},
		"huge body":       {"user_id": {"user_1"}, "redirect_url": {appOrigin}, "pad": {strings.Repeat("x", 9000)}},
	} {
		if res := postForm(t, iss.SignInURL(), form); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, res.StatusCode)
		}
	}
	if res := postForm(t, iss.SignInURL(), url.Values{"user_id": {strings.Repeat("u", 64)}, "redirect_url": {appOrigin}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("64-character user ID: %d, want 303", res.StatusCode)
	}
}

func TestFrontendSignOut(t *testing.T) {
	iss := clerktest.Start(t)
	c, _ := iss.NewClient()
	c.SignIn(clerktest.Session{UserID: "user_1"})
	lq := locationQuery(t, postForm(t, iss.SignOutURL(), url.Values{"redirect_url": {appOrigin + "/"}, "__clerk_db_jwt": {c.DevBrowser()}}),
		http.StatusSeeOther, appOrigin)
	d := cookieValues(verifiedDirectives(t, iss, lq.Get("__clerk_handshake")))
	if c.SessionID() != "" || d["__client_uat"] != "0" || d["__session"] != "" || d["__clerk_db_jwt"] != c.DevBrowser() {
		t.Fatalf("after sign-out: session %q, directives %v", c.SessionID(), d)
	}
	if res := getURL(t, iss.SignOutURL()); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET sign-out: %d, want 405", res.StatusCode)
	}
}

func TestFrontendRefresh(t *testing.T) {
	clock := clerktest.NewClock(time.Time{})
	iss := clerktest.Start(t, clerktest.WithClock(clock.Now), clerktest.WithRefreshCookie())
	c, _ := iss.NewClient()
	sid := c.SignIn(clerktest.Session{UserID: "user_r"})
	expired := cookieValues(c.Directives(appOrigin))["__session"]
	if cookieValues(c.Directives(appOrigin))["__refresh_"+iss.CookieSuffix()] != c.RefreshToken() {
		t.Fatal("WithRefreshCookie: no __refresh_<suffix> directive with the refresh token")
	}
	clock.Advance(time.Hour)
	other, _ := iss.NewClient()
	otherSID := other.SignIn(clerktest.Session{UserID: "user_o"})

	refresh := func(t *testing.T, method, sid, auth string, body map[string]any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(t.Context(), method, iss.APIURL()+"/v1/sessions/"+sid+"/refresh?suffixed_cookies=true", strings.NewReader(string(b)))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	bearer := "Bearer " + iss.SecretKey()
	good := map[string]any{"format": "cookie", "expired_token": expired, "refresh_token": c.RefreshToken(), "request_origin": appOrigin}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range good {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	a, _ := core.New(append(iss.AuthorizerOptions(), core.WithAuthorizedParties(appOrigin))...)

	t.Run("cookie format", func(t *testing.T) {
		code, out := refresh(t, http.MethodPost, sid, bearer, good)
		if code != http.StatusOK || out["object"] != "cookies" {
			t.Fatalf("%d %v", code, out)
		}
		var dirs []string
		for _, d := range out["cookies"].([]any) {
			dirs = append(dirs, d.(string))
		}
		claims, err := a.VerifyToken(context.Background(), cookieValues(dirs)["__session"])
		if err != nil || claims.SessionID != sid || claims.UserID() != "user_r" {
			t.Fatalf("refreshed token: %v %v", claims, err)
		}
	})
	t.Run("token format", func(t *testing.T) {
		code, out := refresh(t, http.MethodPost, sid, bearer, with("format", "token"))
		jwt, _ := out["jwt"].(string)
		if claims, err := a.VerifyToken(context.Background(), jwt); code != http.StatusOK || out["object"] != "token" || err != nil || claims.SessionID != sid {
			t.Fatalf("%d %v: %v", code, out, err)
		}
	})
	forged := iss.Mint(clerktest.Session{SessionID: sid}, clerktest.SignedBy(mustKey(t)))
	for _, tc := range []struct {
		name   string
		method string
		sid    string
		auth   string
		body   map[string]any
		want   int
	}{
		{"wrong secret key", http.MethodPost, sid, "Bearer sk_test_other", good, http.StatusUnauthorized},
		{"GET", http.MethodGet, sid, bearer, good, http.StatusMethodNotAllowed},
		{"wrong refresh token", http.MethodPost, sid, bearer, with("refresh_token", "rt_guess"), http.StatusBadRequest},
		{"other session's refresh token", http.MethodPost, sid, bearer, with("refresh_token", other.RefreshToken()), http.StatusBadRequest},
		{"expired token of another session", http.MethodPost, otherSID, bearer, with("refresh_token", other.RefreshToken()), http.StatusBadRequest},
		{"forged expired token", http.MethodPost, sid, bearer, with("expired_token", forged), http.StatusBadRequest},
		{"garbage expired token", http.MethodPost, sid, bearer, with("expired_token", "a.b.c"), http.StatusBadRequest},
		{"unknown session", http.MethodPost, "sess_unknown", bearer, with("expired_token", iss.Mint(clerktest.Session{SessionID: "sess_unknown"})), http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, out := refresh(t, tc.method, tc.sid, tc.auth, tc.body); code != tc.want {
				t.Errorf("status %d (%v), want %d", code, out, tc.want)
			}
		})
	}
	t.Run("signed out", func(t *testing.T) {
		c.SignOut()
		if code, _ := refresh(t, http.MethodPost, sid, bearer, good); code != http.StatusNotFound {
			t.Errorf("status %d, want 404", code)
		}
	})
	t.Run("forced status", func(t *testing.T) {
		iss.SetBackendStatus(http.StatusInternalServerError)
		defer iss.SetBackendStatus(0)
		if code, _ := refresh(t, http.MethodPost, otherSID, bearer, good); code != http.StatusInternalServerError {
			t.Errorf("status %d, want 500", code)
		}
	})
	if n := iss.RefreshRequests(); n != 12 {
		t.Errorf("RefreshRequests = %d, want 12", n)
	}
}

func mustKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := clerktest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// MintHandshake and IssueHandshakeNonce give an app's tests handshakes with
// any directives.
func TestMintHandshakeAndNonce(t *testing.T) {
	iss := clerktest.Start(t)
	dirs := []string{"__session=x; Path=/", "foo=bar; Path=/; Domain=example.com"}
	if got := verifiedDirectives(t, iss, iss.MintHandshake(dirs)); strings.Join(got, "|") != strings.Join(dirs, "|") {
		t.Errorf("MintHandshake carries %v, want %v", got, dirs)
	}
	n := iss.IssueHandshakeNonce(dirs)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, iss.APIURL()+"/v1/clients/handshake_payload?nonce="+n, nil)
	req.Header.Set("Authorization", "Bearer "+iss.SecretKey())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), `"foo=bar; Path=/; Domain=example.com"`) {
		t.Errorf("nonce redemption %d %s", res.StatusCode, b)
	}
}

func TestWithHandshakeFormatValidated(t *testing.T) {
	if _, err := clerktest.NewIssuer(clerktest.WithHandshakeFormat(clerktest.HandshakeFormat(7))); err == nil {
		t.Error("an unknown handshake format was accepted")
	}
}

// State is bounded: MaxClients Clients (then 503, not growth), as many
// unredeemed nonces.
func TestFrontendBounded(t *testing.T) {
	iss := clerktest.Start(t)
	for range clerktest.MaxClients {
		if _, err := iss.NewClient(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := iss.NewClient(); !errors.Is(err, clerktest.ErrTooManyClients) {
		t.Fatalf("client %d: %v, want ErrTooManyClients", clerktest.MaxClients+1, err)
	}
	if res := getURL(t, handshakeURL(iss, url.Values{"redirect_url": {appOrigin + "/"}})); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("handshake of a new browser when full: %d, want 503", res.StatusCode)
	}
	var last string
	for range clerktest.MaxClients + 10 {
		last = iss.IssueHandshakeNonce([]string{"a=b"})
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, iss.APIURL()+"/v1/clients/handshake_payload?nonce="+last, nil)
	req.Header.Set("Authorization", "Bearer "+iss.SecretKey())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("the newest nonce after the bound was reached: %d, want 200", res.StatusCode)
	}
}

// A production instance: pk_live_, no dev-browser token, the browser known by
// the Frontend API's own cookie, the handshake handed back in a cookie and
// removed by its directives.
func TestFrontendProductionInstance(t *testing.T) {
	iss := clerktest.Start(t, clerktest.WithProductionInstance())
	if !strings.HasPrefix(iss.PublishableKey(), "pk_live_") || !strings.HasPrefix(iss.SecretKey(), "sk_live_") {
		t.Fatalf("keys %s / %s, want pk_live_ / sk_live_", iss.PublishableKey(), iss.SecretKey())
	}
	redeem := func(t *testing.T, nonce string) map[string]string {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, iss.APIURL()+"/v1/clients/handshake_payload?nonce="+nonce, nil)
		req.Header.Set("Authorization", "Bearer "+iss.SecretKey())
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body struct{ Directives []string }
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("redeeming the nonce: %d %v", res.StatusCode, err)
		}
		return cookieValues(body.Directives)
	}
	handedBack := func(t *testing.T, res *http.Response, wantLoc string) (client, nonce string) {
		t.Helper()
		if loc := res.Header.Get("Location"); loc != wantLoc {
			t.Fatalf("Location %q, want the unchanged %q", loc, wantLoc)
		}
		for _, c := range res.Cookies() {
			switch c.Name {
			case "__clerktest_client_" + iss.CookieSuffix():
				client = c.Value
			case "__clerk_handshake_nonce":
				nonce = c.Value
			}
		}
		if client == "" || nonce == "" {
			t.Fatalf("cookies %v: want the client cookie and __clerk_handshake_nonce", res.Header["Set-Cookie"])
		}
		return client, nonce
	}

	target := appOrigin + "/dashboard?x=1"
	res := getURL(t, handshakeURL(iss, url.Values{"redirect_url": {target}, "format": {"nonce"}}))
	clientID, nonce := handedBack(t, res, target)
	d := redeem(t, nonce)
	if _, dev := d["__clerk_db_jwt"]; dev || d["__client_uat"] != "0" {
		t.Errorf("signed-out production directives %v: want client_uat 0 and no dev-browser token", d)
	}
	if v, ok := d["__clerk_handshake_nonce"]; !ok || v != "" {
		t.Errorf("directives do not remove the handshake cookie: %v", d)
	}

	// The same browser (its client cookie) signs in on the sign-in page.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, iss.SignInURL(),
		strings.NewReader(url.Values{"user_id": {"user_live"}, "redirect_url": {target}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "__clerktest_client_" + iss.CookieSuffix(), Value: clientID})
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	again, nonce := handedBack(t, res, target)
	if again != clientID {
		t.Errorf("sign-in made a new client %s, want %s", again, clientID)
	}
	d = redeem(t, nonce)
	a, err := core.New(append(iss.BrowserOptions(), core.WithAuthorizedParties(appOrigin))...)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, appOrigin+"/", nil)
	for _, n := range []string{"__session", "__client_uat"} {
		r.AddCookie(&http.Cookie{Name: n, Value: d[n]})
	}
	if c, err := a.AuthenticateHTTP(r); err != nil || c.UserID() != "user_live" {
		t.Fatalf("the production session: %v %v", c, err)
	}
}

// A ServeMux mounted with Handle takes over the fake's paths it routes, and
// only those.
func TestFrontendYieldsToMountedMux(t *testing.T) {
	iss := clerktest.Start(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/clients/handshake_payload", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	iss.Handle(mux)
	if res := getURL(t, iss.APIURL()+"/v1/clients/handshake_payload?nonce=x"); res.StatusCode != http.StatusTeapot {
		t.Errorf("mounted handshake_payload: %d, want the mux's 418", res.StatusCode)
	}
	if res := getURL(t, handshakeURL(iss, url.Values{"redirect_url": {appOrigin + "/"}})); res.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("unmounted /v1/client/handshake: %d, want the fake's 307", res.StatusCode)
	}
}
