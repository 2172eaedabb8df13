package clerktest

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

const (
	pathHandshakePayload = "/v1/clients/handshake_payload"
	maxRefreshBody       = 64 << 10
	maxSessionIDLen      = 128
)

// isRefreshPath reports whether p is /v1/sessions/{sid}/refresh.
func isRefreshPath(p string) bool {
	_, ok := refreshSessionID(p)
	return ok
}

func refreshSessionID(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/v1/sessions/")
	if !ok {
		return "", false
	}
	sid, ok := strings.CutSuffix(rest, "/refresh")
	if !ok || sid == "" || len(sid) > maxSessionIDLen || strings.Contains(sid, "/") {
		return "", false
	}
	return sid, true
}

// backendGate applies the Backend API's common rules to a handshake_payload
// or refresh call: SetBackendDelay and SetBackendStatus (which apply to
// these endpoints as to the verify endpoints) and the secret key as a bearer
// token, after counting the call in *calls. It reports whether the call may
// go on.
func (i *Issuer) backendGate(w http.ResponseWriter, r *http.Request, method string, calls *int64) bool {
	i.fe.mu.Lock()
	*calls++
	i.fe.mu.Unlock()
	i.mu.RLock()
	status, delay := i.backendStatus, i.backendDelay
	i.mu.RUnlock()
	if !sleep(r, delay) {
		return false
	}
	switch {
	case r.Method != method:
		writeAPIError(w, http.StatusMethodNotAllowed, "method_not_allowed")
	case status != 0:
		writeAPIError(w, status, "forced_status")
	case subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+i.secretKey)) != 1:
		writeAPIError(w, http.StatusUnauthorized, "authentication_invalid")
	default:
		return true
	}
	return false
}

// serveHandshakePayload is the Backend API's
// GET /v1/clients/handshake_payload?nonce=…: it redeems a nonce of the fake
// Frontend API once and answers {"directives": […]}; an unknown, used or
// expired nonce answers 404.
func (i *Issuer) serveHandshakePayload(w http.ResponseWriter, r *http.Request) {
	if !i.backendGate(w, r, http.MethodGet, &i.fe.payloadCalls) {
		return
	}
	key := r.URL.Query().Get("nonce")
	i.fe.mu.Lock()
	n, ok := i.fe.nonces[key]
	delete(i.fe.nonces, key)
	i.fe.mu.Unlock()
	if !ok || !i.clock().Before(n.expires) {
		writeAPIError(w, http.StatusNotFound, "resource_not_found")
		return
	}
	writeAPIJSON(w, http.StatusOK, map[string]any{"directives": n.directives})
}

// refreshRequest is the body Clerk's SDKs send to the refresh endpoint.
type refreshRequest struct {
	Format        string `json:"format"`
	ExpiredToken  string `json:"expired_token"`
	RefreshToken  string `json:"refresh_token"`
	RequestOrigin string `json:"request_origin"`
}

// serveRefresh is the Backend API's POST /v1/sessions/{sid}/refresh: with the
// session's refresh token and an (expired) session token of that session
// signed by the Issuer, it mints a fresh token and answers, for
// format "cookie", {"object":"cookies","cookies":[directives…]} (the
// Client's directives for request_origin), else {"object":"token","jwt":…}.
// An unknown or signed-out session answers 404, a wrong refresh token or
// expired token 400.
func (i *Issuer) serveRefresh(w http.ResponseWriter, r *http.Request) {
	if !i.backendGate(w, r, http.MethodPost, &i.fe.refreshCalls) {
		return
	}
	sid, _ := refreshSessionID(r.URL.Path)
	var body refreshRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxRefreshBody)).Decode(&body); err != nil {
		writeAPIError(w, http.StatusBadRequest, "form_param_missing")
		return
	}
	if got, err := i.sessionIDOf(body.ExpiredToken); err != nil || got != sid {
		writeAPIError(w, http.StatusBadRequest, "expired_token_invalid")
		return
	}
	i.fe.mu.Lock()
	defer i.fe.mu.Unlock()
	c, ok := i.fe.sessions[sid]
	if !ok || c.sess == nil {
		writeAPIError(w, http.StatusNotFound, "resource_not_found")
		return
	}
	if subtle.ConstantTimeCompare([]byte(body.RefreshToken), []byte(c.sess.refresh)) != 1 {
		writeAPIError(w, http.StatusBadRequest, "refresh_token_invalid")
		return
	}
	origin := ""
	if u, err := redirectTarget(body.RequestOrigin); err == nil {
		origin = u.Scheme + "://" + u.Host
	}
	if body.Format == "cookie" {
		writeAPIJSON(w, http.StatusOK, map[string]any{"object": "cookies", "cookies": c.directivesLocked(origin)})
		return
	}
	s := c.sess.tmpl
	if s.AuthorizedParty == "" && origin != "" {
		s.AuthorizedParty = origin
	}
	writeAPIJSON(w, http.StatusOK, map[string]any{"object": "token", "jwt": i.Mint(s)})
}

// maxTokenLen bounds the expired token the refresh endpoint parses.
const maxTokenLen = 16 << 10

var errNotOurToken = errors.New("clerktest: not a session token signed by this Issuer")

// sessionIDOf returns the sid claim of token after checking that the Issuer
// signed it (RS256 with a published key); expiry is not checked, the
// refresh endpoint takes expired tokens.
func (i *Issuer) sessionIDOf(token string) (string, error) {
	if len(token) > maxTokenLen {
		return "", errNotOurToken
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", errNotOurToken
	}
	enc := base64.RawURLEncoding
	hb, err1 := enc.DecodeString(parts[0])
	pb, err2 := enc.DecodeString(parts[1])
	sig, err3 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return "", errNotOurToken
	}
	var hdr struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if json.Unmarshal(hb, &hdr) != nil || hdr.Alg != "RS256" {
		return "", errNotOurToken
	}
	var pub *rsa.PublicKey
	i.mu.RLock()
	for _, k := range i.keys {
		if k.kid == hdr.Kid {
			pub = &k.key.PublicKey
		}
	}
	i.mu.RUnlock()
	if pub == nil {
		return "", errNotOurToken
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil {
		return "", errNotOurToken
	}
	var claims struct {
		SID string `json:"sid"`
	}
	if json.Unmarshal(pb, &claims) != nil || claims.SID == "" {
		return "", errNotOurToken
	}
	return claims.SID, nil
}

func writeAPIJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeAPIError(w http.ResponseWriter, code int, errCode string) {
	writeAPIJSON(w, code, map[string]any{"errors": []any{map[string]string{"code": errCode}}})
}
