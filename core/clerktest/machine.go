package clerktest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// Machine describes a JWT-format machine token to mint (MintM2M, MintOAuth).
type Machine struct {
	// Subject defaults to "mch_test" for M2M tokens and "user_test" for OAuth
	// access tokens.
	Subject string
	// Scopes become the space-separated `scopes` claim of M2M tokens (as
	// Clerk mints them) or the space-separated `scope` claim of OAuth access
	// tokens (RFC 9068).
	Scopes []string
	// ClientID is the OAuth client (`client_id`), default "client_test".
	ClientID string
	// IssuedAt defaults to now; TTL (default one hour) sets exp.
	IssuedAt time.Time
	TTL      time.Duration
	// Claims are merged in last; a nil value removes a claim.
	Claims map[string]any
}

// MintM2M mints a JWT-format M2M token shaped like Clerk's: header typ JWT
// and cat cl_B7d4PD333AAA, sub mch_…, iss, iat, exp, jti, space-separated
// `scopes`, and no nbf. Accept it with
// core.WithAcceptsToken(core.M2MToken); it verifies locally, against the
// Issuer's keys.
func (i *Issuer) MintM2M(m Machine, opts ...MintOption) string {
	c := i.machineClaims(m, "mch_test")
	if len(m.Scopes) > 0 {
		c["scopes"] = strings.Join(m.Scopes, " ")
	}
	return i.MintClaims(merge(c, m.Claims), append([]MintOption{WithHeader("typ", "JWT"), WithHeader("cat", "cl_B7d4PD333AAA")}, opts...)...)
}

// MintOAuth mints a JWT-format OAuth access token: header typ at+jwt (use
// WithHeader("typ", "application/at+jwt") for the other accepted spelling),
// sub user_…, client_id and a space-separated `scope`. Accept it with
// core.WithAcceptsToken(core.OAuthToken).
func (i *Issuer) MintOAuth(m Machine, opts ...MintOption) string {
	c := i.machineClaims(m, "user_test")
	c["client_id"] = orDefault(m.ClientID, "client_test")
	if len(m.Scopes) > 0 {
		c["scope"] = strings.Join(m.Scopes, " ")
	}
	return i.MintClaims(merge(c, m.Claims), append([]MintOption{WithHeader("typ", "at+jwt")}, opts...)...)
}

func (i *Issuer) machineClaims(m Machine, defaultSub string) map[string]any {
	now := m.IssuedAt
	if now.IsZero() {
		now = i.clock()
	}
	ttl := m.TTL
	if ttl == 0 {
		ttl = time.Hour
	}
	return map[string]any{
		"sub": orDefault(m.Subject, defaultSub),
		"iss": i.issuerURL,
		"iat": now.Unix(),
		"exp": now.Add(ttl).Unix(),
		"jti": "jti_" + randomHex(8),
	}
}

// merge applies extra to c: it adds or overrides claims; a nil value removes
// the claim.
func merge(c, extra map[string]any) map[string]any {
	for k, v := range extra {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// Opaque describes an opaque machine token (mt_…, oat_…, ak_…) known to the
// Issuer's fake Backend API.
type Opaque struct {
	// Type is core.M2MToken, core.OAuthToken or core.APIKey.
	Type core.TokenType
	// Subject is mch_… (M2M), user_… (OAuth) or user_…/org_… (API keys).
	Subject string
	// ID is the token's ID as the Backend API reports it (core.Claims
	// TokenID); IssueOpaque picks one when empty.
	ID string
	// Name is the name of an API key or M2M token, if any.
	Name string
	// ClientID is the OAuth client of an OAuth access token.
	ClientID string
	// Scopes are the granted scopes.
	Scopes []string
	// Claims are the token's custom claims.
	Claims map[string]any
	// Expiration is when the token expires (zero: never).
	Expiration time.Time
	// Revoked makes the Backend API report the token as revoked.
	Revoked bool
	// Audience is the `aud` the Backend API reports for an OAuth access
	// token: nil leaves it out, a string or a []string is sent as is
	// (core.WithAudience checks it, behaviour.md §6.8).
	Audience any

	createdAt time.Time // set by IssueOpaque
}

// IssueOpaque registers an opaque token with the fake Backend API and returns
// it. Point the Authorizer at the fake with the options of
// BackendAPIOptions; a token never issued (or issued with another type)
// answers 404, as Clerk's Backend API does.
func (i *Issuer) IssueOpaque(o Opaque) string {
	prefix := map[core.TokenType]string{core.M2MToken: "mt_", core.OAuthToken: "oat_", core.APIKey: "ak_"}[o.Type]
	if prefix == "" {
		panic("clerktest: IssueOpaque needs a machine token type")
	}
	token := prefix + randomHex(16)
	cp := o
	if cp.ID == "" {
		cp.ID = prefix + "id_" + randomHex(8)
	}
	cp.Scopes = append([]string{}, o.Scopes...)
	cp.createdAt = i.clock()
	i.mu.Lock()
	if i.opaque == nil {
		i.opaque = map[string]*Opaque{}
	}
	i.opaque[token] = &cp
	i.mu.Unlock()
	return token
}

// BackendAPIOptions are the core options that make an Authorizer verify
// opaque machine tokens against the Issuer's fake Backend API: its URL and
// its secret key. Add core.WithAcceptsToken for the types to accept:
//
//	opts := append(iss.AuthorizerOptions(), iss.BackendAPIOptions()...)
//	a, err := core.New(append(opts, core.WithAcceptsToken(core.APIKey))...)
func (i *Issuer) BackendAPIOptions() []core.Option {
	return []core.Option{core.WithAPIURL(i.APIURL()), core.WithSecretKey(i.secretKey)}
}

// AnyTokenOptions are the core options of an app that serves sessions and
// machines: AuthorizerOptions, BackendAPIOptions and core.AcceptAnyToken().
// Session tokens and JWT M2M and OAuth tokens verify against the Issuer's
// JWKS; opaque M2M tokens, OAuth tokens and API keys (IssueOpaque) against
// its fake Backend API, which core.AcceptAnyToken requires (API keys are
// verified only there). Narrow routes with the adapters' AcceptsToken.
func (i *Issuer) AnyTokenOptions() []core.Option {
	return append(append(i.AuthorizerOptions(), i.BackendAPIOptions()...), core.AcceptAnyToken())
}

// RevokeOpaque marks an opaque token as revoked: the fake Backend API then
// reports it with "revoked": true.
func (i *Issuer) RevokeOpaque(token string) {
	i.mu.Lock()
	if o, ok := i.opaque[token]; ok {
		o.Revoked = true
	}
	i.mu.Unlock()
}

// BackendCalls counts the verify calls the fake Backend API received.
func (i *Issuer) BackendCalls() int64 { return i.backendCalls.Load() }

// SetBackendStatus makes every call to the fake Backend API answer with HTTP
// status code (for example 401, 404 or 500): the machine-token verify
// endpoints and the browser-session endpoints (handshake payload, session
// refresh) alike; 0 restores normal behaviour.
func (i *Issuer) SetBackendStatus(code int) {
	i.mu.Lock()
	i.backendStatus = code
	i.mu.Unlock()
}

// SetBackendDelay delays every answer of the fake Backend API by d (real
// time): the machine-token verify endpoints and the browser-session
// endpoints alike.
func (i *Issuer) SetBackendDelay(d time.Duration) {
	i.mu.Lock()
	i.backendDelay = d
	i.mu.Unlock()
}

// serveVerify implements the Backend API's three verify endpoints. field is
// the body field holding the token, the one Clerk's SDK sends: "token" for
// M2M tokens, "access_token" for OAuth access tokens, "secret" for API keys;
// a token sent in another field is unknown (404).
func (i *Issuer) serveVerify(w http.ResponseWriter, r *http.Request, tt core.TokenType, field string) {
	i.backendCalls.Add(1)
	i.mu.RLock()
	status, delay := i.backendStatus, i.backendDelay
	i.mu.RUnlock()
	if !sleep(r, delay) {
		return
	}
	writeJSON := func(code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	if r.Method != http.MethodPost {
		writeJSON(http.StatusMethodNotAllowed, map[string]any{"errors": []any{map[string]string{"code": "method_not_allowed"}}})
		return
	}
	if status != 0 {
		writeJSON(status, map[string]any{"errors": []any{map[string]string{"code": "forced_status"}}})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+i.secretKey {
		writeJSON(http.StatusUnauthorized, map[string]any{"errors": []any{map[string]string{"code": "authentication_invalid"}}})
		return
	}
	var body map[string]string
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body); err != nil {
		writeJSON(http.StatusBadRequest, map[string]any{"errors": []any{map[string]string{"code": "form_param_missing"}}})
		return
	}
	token := body[field]
	i.mu.RLock()
	o, ok := i.opaque[token]
	var cp Opaque
	if ok {
		cp = *o
	}
	i.mu.RUnlock()
	if !ok || cp.Type != tt {
		writeJSON(http.StatusNotFound, map[string]any{"errors": []any{map[string]string{"code": "resource_not_found"}}})
		return
	}
	resp := map[string]any{
		"object":     map[core.TokenType]string{core.M2MToken: "machine_to_machine_token", core.OAuthToken: "clerk_idp_oauth_access_token", core.APIKey: "api_key"}[tt],
		"id":         cp.ID,
		"subject":    cp.Subject,
		"scopes":     cp.Scopes,
		"claims":     cp.Claims,
		"revoked":    cp.Revoked,
		"expired":    !cp.Expiration.IsZero() && !cp.Expiration.After(i.clock()),
		"created_at": cp.createdAt.UnixMilli(),
	}
	if cp.Name != "" {
		resp["name"] = cp.Name
	}
	if cp.ClientID != "" {
		resp["client_id"] = cp.ClientID
	}
	if cp.Audience != nil {
		resp["aud"] = cp.Audience
	}
	if !cp.Expiration.IsZero() {
		resp["expiration"] = cp.Expiration.UnixMilli()
	} else {
		resp["expiration"] = nil
	}
	writeJSON(http.StatusOK, resp)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
