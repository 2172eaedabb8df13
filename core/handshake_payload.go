package core

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// Bounds of what a handshake brings back (behaviour.md §10.5).
const (
	maxHandshakeToken = 32 << 10
	maxNonce          = 512
	maxDirectives     = 32
	maxDirective      = 4096
)

// validDirectives reports whether ds is a list of Set-Cookie values that can
// be written as they are: at most maxDirectives, each 1 to maxDirective
// printable ASCII bytes (no CR, LF or other control byte, so no header can be
// smuggled) starting with a cookie name and '=' (behaviour.md §10.5). One bad
// directive refuses the whole list.
func validDirectives(ds []string) bool {
	if len(ds) > maxDirectives {
		return false
	}
	for _, d := range ds {
		if d == "" || len(d) > maxDirective {
			return false
		}
		for i := 0; i < len(d); i++ {
			if d[i] < 0x20 || d[i] > 0x7e {
				return false
			}
		}
		pair, _, _ := strings.Cut(d, ";")
		name, _, ok := strings.Cut(pair, "=")
		if !ok || !isCookieName(strings.TrimSpace(name)) {
			return false
		}
	}
	return true
}

// directiveName and directiveValue read a Set-Cookie value as
// clerk/javascript's getCookieName and getCookieValue do.
func directiveName(d string) string {
	pair, _, _ := strings.Cut(d, ";")
	name, _, _ := strings.Cut(pair, "=")
	return name
}

func directiveValue(d string) string {
	pair, _, _ := strings.Cut(d, ";")
	_, v, _ := strings.Cut(pair, "=")
	v, _, _ = strings.Cut(v, "=")
	return v
}

// sessionFromDirectives returns the value of the last directive whose name
// starts with __session, or "" (behaviour.md §10.5).
func sessionFromDirectives(ds []string) string {
	tok := ""
	for _, d := range ds {
		if strings.HasPrefix(directiveName(d), SessionCookie) {
			tok = directiveValue(d)
		}
	}
	return tok
}

// verifyHandshakeToken checks a __clerk_handshake token (behaviour.md §10.5):
// an RS256/384/512 JWT signed by the instance's keys, typ absent or JWT, a
// session-token header category when one is set (a JWT template signed by
// the same key is refused), exp in the future when present, and a payload
// whose handshake claim is a list of valid directives.
func (a *Authorizer) verifyHandshakeToken(ctx context.Context, token string, now time.Time) ([]string, error) {
	if len(token) > maxHandshakeToken {
		return nil, errorf(ReasonTokenInvalid, "handshake token is larger than %d bytes", maxHandshakeToken)
	}
	var j jwtdecode.Parts
	if err := splitJWT(&j, token, &a.headers); err != nil {
		return nil, err
	}
	if j.Hdr.TypSet && j.Hdr.Typ != "JWT" {
		return nil, errorf(ReasonTokenInvalid, "handshake token typ %q is not JWT", truncate(j.Hdr.Typ))
	}
	method, ok := signingMethods[j.Hdr.Alg]
	if !ok {
		return nil, errorf(ReasonTokenInvalidAlgorithm, "algorithm %q is not allowed", truncate(j.Hdr.Alg))
	}
	if j.Hdr.CatSet && j.Hdr.Cat != catSession && j.Hdr.Cat != catIgnore {
		return nil, errorf(ReasonTokenInvalid, "handshake token category %q is not a session token's", truncate(j.Hdr.Cat))
	}
	key, _, err := a.keys.key(ctx, j.Hdr.Kid, j.Hdr.Alg)
	if err != nil {
		return nil, err
	}
	if method.Verify(token[:len(j.H64)+1+len(j.P64)], j.Sig, key) != nil {
		return nil, errorf(ReasonTokenInvalidSignature, "handshake signature does not verify")
	}
	var p struct {
		Handshake []string `json:"handshake"`
	}
	if err := json.Unmarshal(j.PayJSON, &p); err != nil || p.Handshake == nil {
		return nil, errorf(ReasonTokenInvalid, "handshake payload has no list of cookie directives")
	}
	if j.P.Exp.Set && !j.P.Exp.T.After(now.Add(-a.cfg.skew)) {
		return nil, errorf(ReasonTokenExpired, "handshake token expired")
	}
	if !validDirectives(p.Handshake) {
		return nil, errorf(ReasonTokenInvalid, "handshake payload holds a malformed cookie directive")
	}
	return p.Handshake, nil
}

// validNonce bounds a handshake nonce before it costs an upstream call.
func validNonce(n string) bool {
	if n == "" || len(n) > maxNonce {
		return false
	}
	for i := 0; i < len(n); i++ {
		if !isB64TokenChar(n[i]) && n[i] != '.' {
			return false
		}
	}
	return true
}

// handshakePayload fetches the directives of a __clerk_handshake_nonce from
// the Backend API (GET /v1/clients/handshake_payload?nonce=…), bounded by
// the browser upstream budget (behaviour.md §10.5, §10.10).
func (a *Authorizer) handshakePayload(ctx context.Context, nonce string) ([]string, error) {
	if !validNonce(nonce) {
		return nil, errorf(ReasonTokenInvalid, "malformed handshake nonce")
	}
	if a.cfg.secretKey == "" {
		return nil, errorf(ReasonSecretKeyInvalid, "a secret key is required to resolve a handshake nonce")
	}
	var out struct {
		Directives []string `json:"directives"`
	}
	status, err := a.backendCall(ctx, http.MethodGet, "/v1/clients/handshake_payload?nonce="+url.QueryEscape(nonce), nil, &out)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, errorf(ReasonUnexpectedError, "handshake payload: Backend API answered %d", status)
	}
	if !validDirectives(out.Directives) {
		return nil, errorf(ReasonUnexpectedError, "handshake payload holds a malformed cookie directive")
	}
	return out.Directives, nil
}

// backendCall makes one bounded Backend API call for browser sessions with
// the secret key, never following a redirect, and decodes a JSON answer of
// at most maxBackendBody bytes into out (for any status). The status is
// returned; err is set only when no answer was read.
func (a *Authorizer) backendCall(ctx context.Context, method, path string, body io.Reader, out any) (int, error) {
	cctx, release, err := a.upstream.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer release()
	req, err := http.NewRequestWithContext(cctx, method, a.cfg.apiURL+path, body)
	if err != nil {
		return 0, newError(ReasonUnexpectedError, "building a Backend API request", err)
	}
	req.Header.Set("Authorization", "Bearer "+a.cfg.secretKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.backend.client.Do(req)
	if err != nil {
		return 0, newError(ReasonUnexpectedError, "Backend API unreachable", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBackendBody+1))
	if err != nil {
		return 0, newError(ReasonUnexpectedError, "reading the Backend API answer", err)
	}
	if len(raw) > maxBackendBody {
		return 0, errorf(ReasonUnexpectedError, "Backend API answer is larger than %d bytes", maxBackendBody)
	}
	if json.Unmarshal(raw, out) != nil {
		return resp.StatusCode, errorf(ReasonUnexpectedError, "Backend API answered %d with no JSON", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
