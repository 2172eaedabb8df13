package core

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// This file verifies opaque machine tokens through the Backend API (behaviour.md
// §6.4): one call per new token however many requests carry it at once
// (single-flight), a short-lived bounded cache of successes, bounded
// timeouts, and errors mapped to reasons. The bounds of behaviour.md §6.5
// (format check, cache of 404 answers, rate limit, in-flight limit,
// cancellation of calls nobody waits for) keep an unauthenticated client
// from spending the instance's Backend API quota; see machine_limits.go.
// Tokens verified recently are known good (behaviour.md §6.6, §6.7): they
// re-verify on a reserved budget and call slots of their own, and their last
// good verdict is served, for a bounded time, while no budget is left or the
// Backend API cannot answer. Opaque OAuth access tokens have their audience
// checked on every use (behaviour.md §6.8, machine_audience.go).

// maxBackendBody bounds a Backend API response.
const maxBackendBody = 1 << 20

type backendAPI struct {
	base          string
	secretKey     string
	machineSecret string
	client        *http.Client
	policy        MachineVerification
	audiences     []string // WithAudience, checked on opaque OAuth tokens
	now           func() time.Time
	cache         *tokenCache
	notFound      *notFoundCache
	known         *hashCache[*Claims] // known-good tokens' last verdicts, by hash
	limiter       *tokenBucket
	reserve       *tokenBucket                          // known-good tokens only
	slots         chan struct{}                         // one per call in flight (MaxInFlight)
	reservedSlots chan struct{}                         // known-good calls only (MaxInFlight/4, at least 1)
	rateLimited   func(context.Context, RateLimitEvent) // Observer.RateLimit, nil when unset

	mu       sync.Mutex
	inflight map[string]*backendCall
}

// backendCall is one Backend API call shared by every request verifying the
// same token. waiters counts those requests (under backendAPI.mu); when the
// last one leaves, cancel stops the call.
type backendCall struct {
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int
	claims  *Claims
	err     error
}

func newBackendAPI(cfg config, client *http.Client) *backendAPI {
	policy := cfg.machine.withDefaults()
	b := &backendAPI{base: cfg.apiURL, secretKey: cfg.secretKey, machineSecret: cfg.machineSecretKey,
		client: noRedirects(client), policy: policy, audiences: cfg.audiences, now: cfg.clock,
		inflight:      map[string]*backendCall{},
		notFound:      newNotFoundCache(policy.NotFoundTTL, policy.NotFoundCacheSize),
		limiter:       newTokenBucket(policy.RateBurst, policy.RatePerSecond, cfg.clock()),
		reserve:       newTokenBucket(policy.ReservedBurst, policy.ReservedPerSecond, cfg.clock()),
		slots:         make(chan struct{}, policy.MaxInFlight),
		reservedSlots: make(chan struct{}, max(1, policy.MaxInFlight/4))}
	if policy.CacheTTL > 0 {
		b.cache = newTokenCache(policy.CacheSize)
	}
	if policy.KnownGoodTTL > 0 {
		b.known = newHashCache[*Claims](policy.CacheSize)
	}
	return b
}

// noRedirects returns a copy of client that never follows a redirect: the
// verify calls carry the secret key in a header and the token in the body,
// and a 307/308 would replay both to wherever the Location points. A
// redirect answer is then an unexpected one (unexpected-error). The caller's
// client is left untouched.
func noRedirects(client *http.Client) *http.Client {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// machineResponse is the part of the Backend API's verify answers that
// clerkguard reads (M2M tokens, OAuth access tokens and API keys share it).
type machineResponse struct {
	Object     string          `json:"object"`
	ID         string          `json:"id"`
	Subject    string          `json:"subject"`
	Name       string          `json:"name"`
	ClientID   string          `json:"client_id"`
	Scopes     []string        `json:"scopes"`
	Claims     json.RawMessage `json:"claims"`
	Revoked    bool            `json:"revoked"`
	Expired    bool            `json:"expired"`
	Expiration *int64          `json:"expiration"` // milliseconds
	CreatedAt  int64           `json:"created_at"` // milliseconds
}

// verify returns the claims of an opaque token of type tt, and whether the
// answer came from memory (the success cache, the cache of 404 answers or a
// known-good token's last verdict).
func (b *backendAPI) verify(ctx context.Context, tt TokenType, token string) (*Claims, bool, error) {
	c, hit, err := b.lookup(ctx, tt, token)
	if err == nil {
		// behaviour.md §6.8: on every use, cached or not.
		if err = checkOAuthAudience(b.audiences, c); err != nil {
			c = nil
		}
	}
	return c, hit, err
}

// lookup is verify without the audience check: behaviour.md §6.5–6.7.
func (b *backendAPI) lookup(ctx context.Context, tt TokenType, token string) (*Claims, bool, error) {
	if !opaqueWellFormed(token) {
		return nil, false, errorf(ReasonTokenInvalid, "malformed %s: a prefix then %d to %d characters of an RFC 6750 b64token (behaviour.md §6.9)",
			tt, minOpaqueBody, maxOpaqueBody)
	}
	now := b.now()
	if c, ok := b.cache.get(token, now); ok {
		return c, true, nil
	}
	if err := ctx.Err(); err != nil {
		// Nobody is waiting: do not spend an upstream call on it.
		return nil, false, newError(ReasonUnexpectedError, "request context ended before verifying a machine token", err)
	}
	key := tokenHash(token)
	if b.notFound.has(key, now) {
		return nil, true, errNotFoundRemembered(tt)
	}
	b.mu.Lock()
	call, joined := b.inflight[token]
	if !joined {
		// A call for this token may have ended since the checks above: run
		// fills the caches before it unlists the call, so look again.
		if c, ok := b.cache.get(token, now); ok {
			b.mu.Unlock()
			return c, true, nil
		}
		if b.notFound.has(key, now) {
			b.mu.Unlock()
			return nil, true, errNotFoundRemembered(tt)
		}
		last, known := b.known.get(key, now)
		if !b.allow(known, now) {
			b.mu.Unlock()
			b.refused(ctx, tt, known)
			if known {
				return last, true, nil // behaviour.md §6.7: the last good verdict
			}
			return nil, false, errorf(ReasonUnexpectedError, "Backend API verification rate limit reached (burst %d, %g/s): %s not verified",
				b.policy.RateBurst, b.policy.RatePerSecond, tt)
		}
		token = strings.Clone(token) // kept past the request (see tokenCache.put)
		// Shared by every request with this token: keep the starter's
		// values but not its cancellation; bounded by the timeout, and
		// cancelled when the last request waiting for it leaves.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.policy.Timeout)
		call = &backendCall{done: make(chan struct{}), cancel: cancel}
		b.inflight[token] = call
		go b.run(cctx, call, tt, token, key, known)
	}
	call.waiters++
	b.mu.Unlock()
	countUpstream(ctx)
	select {
	case <-call.done:
		if call.err != nil && ReasonOf(call.err) == ReasonUnexpectedError {
			// behaviour.md §6.7: the Backend API could not answer (an outage,
			// a timeout, no call slot in time); a known-good token keeps
			// its last good verdict.
			if last, ok := b.known.get(key, b.now()); ok {
				return last, true, nil
			}
		}
		return call.claims, false, call.err
	case <-ctx.Done():
		b.leave(token, call)
		return nil, false, newError(ReasonUnexpectedError, "request context ended while verifying a machine token", ctx.Err())
	}
}

// allow takes one call from the budgets (behaviour.md §6.5, §6.6): a
// known-good token first from the reserve, then from the shared bucket; an
// unknown token from the shared bucket only.
func (b *backendAPI) allow(known bool, now time.Time) bool {
	return known && b.reserve.allow(now) || b.limiter.allow(now)
}

func errNotFoundRemembered(tt TokenType) error {
	return errorf(ReasonTokenInvalid, "the Backend API does not know the %s (HTTP 404, remembered)", tt)
}

// leave is called by a request that stops waiting for call. The last one to
// leave cancels the call (behaviour.md §6.5) and unlists it, so a later
// request with the same token starts a fresh call instead of joining one
// that is being torn down.
func (b *backendAPI) leave(token string, call *backendCall) {
	b.mu.Lock()
	defer b.mu.Unlock()
	call.waiters--
	if call.waiters > 0 {
		return
	}
	call.cancel()
	if b.inflight[token] == call {
		delete(b.inflight, token)
	}
}

// run makes the shared call once a slot is free (MaxInFlight; a known-good
// token may also take one of the reserved slots), records its answer in the
// caches and wakes the waiters. It returns as soon as ctx ends, whether the
// call is waiting for a slot or for the Backend API.
func (b *backendAPI) run(ctx context.Context, call *backendCall, tt TokenType, token string, key [32]byte, known bool) {
	defer call.cancel()
	var (
		c        *Claims
		notFound bool
		err      error
		slot     chan struct{}
		reserved chan struct{} // nil, never ready, for unknown tokens
	)
	if known {
		reserved = b.reservedSlots
	}
	select {
	case b.slots <- struct{}{}:
		slot = b.slots
	case reserved <- struct{}{}:
		slot = reserved
	case <-ctx.Done():
		err = newError(ReasonUnexpectedError, "no Backend API call slot freed in time (MaxInFlight)", ctx.Err())
	}
	if slot != nil {
		if err = ctx.Err(); err == nil { // both may be ready: never call for nobody
			c, notFound, err = b.call(ctx, tt, token)
		} else {
			err = newError(ReasonUnexpectedError, "machine token verification abandoned before its call", err)
		}
		<-slot
	}
	now := b.now()
	switch {
	case err == nil:
		exp := now.Add(b.policy.CacheTTL)
		if !c.Expiry.IsZero() && c.Expiry.Before(exp) {
			exp = c.Expiry
		}
		b.cache.put(token, c, exp, now)
		// behaviour.md §6.6: known good from now on, for KnownGoodTTL.
		good := now.Add(b.policy.KnownGoodTTL)
		if !c.Expiry.IsZero() && c.Expiry.Before(good) {
			good = c.Expiry
		}
		b.known.put(key, c, good, now)
	case notFound:
		b.notFound.add(key, now)
		b.known.remove(key)
	case ReasonOf(err) != ReasonUnexpectedError:
		// A verdict on the token (revoked, expired) or on the secret key:
		// no earlier verdict stands against it.
		b.known.remove(key)
	}
	call.claims, call.err = c, err
	b.mu.Lock()
	if b.inflight[token] == call {
		delete(b.inflight, token)
	}
	b.mu.Unlock()
	close(call.done)
}

// call makes one Backend API verify call; notFound reports a 404 answer.
func (b *backendAPI) call(ctx context.Context, tt TokenType, token string) (c *Claims, notFound bool, err error) {
	var path, field string
	key := b.secretKey
	switch tt {
	case M2MToken:
		path, field = "/v1/m2m_tokens/verify", "token"
		if b.machineSecret != "" {
			key = b.machineSecret
		}
	case OAuthToken:
		// The field Clerk's SDK sends since June 2025 (behaviour.md §6.4).
		path, field = "/v1/oauth_applications/access_tokens/verify", "access_token"
	case APIKey:
		path, field = "/v1/api_keys/verify", "secret"
	default:
		return nil, false, errorf(ReasonTokenTypeMismatch, "%s cannot be verified by the Backend API", tt)
	}
	if key == "" {
		return nil, false, errorf(ReasonSecretKeyInvalid, "a secret key is required to verify %s", tt)
	}
	body, err := json.Marshal(map[string]string{field: token})
	if err != nil {
		return nil, false, newError(ReasonUnexpectedError, "encoding the verify request", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, false, newError(ReasonUnexpectedError, "building the verify request", err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		// The error text of net/http may quote the URL, never the token
		// (it travels in the body).
		return nil, false, newError(ReasonUnexpectedError, "Backend API unreachable", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBackendBody+1))
	if err != nil {
		return nil, false, newError(ReasonUnexpectedError, "reading the Backend API answer", err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return nil, false, errorf(ReasonSecretKeyInvalid, "Backend API rejected the secret key (HTTP 401)")
	case resp.StatusCode == http.StatusNotFound:
		return nil, true, errorf(ReasonTokenInvalid, "Backend API does not know the %s (HTTP 404)", tt)
	case resp.StatusCode != http.StatusOK:
		return nil, false, errorf(ReasonUnexpectedError, "Backend API answered HTTP %d", resp.StatusCode)
	case len(raw) > maxBackendBody:
		return nil, false, errorf(ReasonUnexpectedError, "Backend API answer is larger than 1 MiB")
	}
	var m machineResponse
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false, newError(ReasonUnexpectedError, "Backend API answer does not decode", err)
	}
	c, err = m.claims(tt, raw, b.now())
	return c, false, err
}

func (m *machineResponse) claims(tt TokenType, raw []byte, now time.Time) (*Claims, error) {
	if m.Subject == "" {
		// A 200 that does not say whose token it is: an upstream fault (503),
		// not a verdict on the token.
		return nil, errorf(ReasonUnexpectedError, "Backend API answer has no subject")
	}
	if m.Revoked {
		return nil, &Error{Reason: ReasonTokenInvalid, Detail: fmt.Sprintf("%s is revoked", tt), subject: m.Subject}
	}
	c := &Claims{TokenType: tt, Subject: m.Subject, TokenID: m.ID, Name: m.Name, ClientID: m.ClientID,
		Scopes: m.Scopes, raw: raw}
	if c.Scopes == nil {
		c.Scopes = []string{}
	}
	if m.CreatedAt > 0 {
		c.IssuedAt = time.UnixMilli(m.CreatedAt)
	}
	if m.Expiration != nil {
		c.Expiry = time.UnixMilli(*m.Expiration)
	}
	if m.Expired || (!c.Expiry.IsZero() && !c.Expiry.After(now)) {
		return nil, &Error{Reason: ReasonTokenExpired, Detail: fmt.Sprintf("%s has expired", tt), subject: m.Subject}
	}
	return c, nil
}
