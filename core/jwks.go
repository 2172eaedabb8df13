package core

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// JWKSRefresh tunes how remote keys are fetched (behaviour.md §2.4). Zero fields keep
// their defaults.
//
// keyfunc's own defaults block a request for up to a minute on an unknown
// kid; clerkguard drives the fetches itself, so that one fetch is shared by
// every concurrent request and no request waits longer than MaxWait.
type JWKSRefresh struct {
	// TTL is how long a fetched key set is considered fresh. After it, the
	// next request refreshes it in the background while the cached keys keep
	// verifying. Default 1 hour.
	TTL time.Duration
	// UnknownKIDInterval is the rate-limit window for refetches caused by an
	// unknown kid: at most one per window, so a storm of forged kids costs at
	// most one upstream call. Default 1 minute.
	UnknownKIDInterval time.Duration
	// RetryInterval is how long to wait after a failed fetch before trying
	// again; requests in between fail fast. Default 2 seconds.
	RetryInterval time.Duration
	// MaxWait is the longest a request waits for a fetch in flight. The fetch
	// itself goes on and serves later requests. Default 2 seconds.
	MaxWait time.Duration
	// FetchTimeout bounds one fetch. Default 10 seconds.
	FetchTimeout time.Duration
}

func (r JWKSRefresh) withDefaults() JWKSRefresh {
	if r.TTL == 0 {
		r.TTL = time.Hour
	}
	if r.UnknownKIDInterval == 0 {
		r.UnknownKIDInterval = time.Minute
	}
	if r.RetryInterval == 0 {
		r.RetryInterval = 2 * time.Second
	}
	if r.MaxWait == 0 {
		r.MaxWait = 2 * time.Second
	}
	if r.FetchTimeout == 0 {
		r.FetchTimeout = 10 * time.Second
	}
	return r
}

// maxJWKSBody bounds the size of a JWKS response.
const maxJWKSBody = 1 << 20

// remoteKeys is a JWKS-backed key source (behaviour.md §2.2, 2.3). Keys live in a
// jwkset storage and are looked up through keyfunc; fetching is driven here.
type remoteKeys struct {
	url    string
	bearer string // secret key for the Backend API JWKS, never logged
	client *http.Client
	policy JWKSRefresh
	now    func() time.Time
	logger *slog.Logger
	// rateLimited is Observer.RateLimit, nil when unset (events_hooks.go).
	rateLimited func(context.Context, RateLimitEvent)

	store *jwkset.MemoryJWKSet
	kf    keyfunc.Keyfunc
	// view is the key set of the latest successful fetch, for the token
	// cache to check cheaply that a key is still published (behaviour.md
	// §2.7). Replaced, never modified, after store.
	view atomic.Pointer[keyView]

	mu          sync.Mutex
	loaded      bool      // a fetch has succeeded at least once
	lastAttempt time.Time // start of the latest fetch
	lastUnknown time.Time // start of the latest fetch caused by an unknown kid
	lastSuccess time.Time
	lastErr     error // result of the latest completed fetch
	inflight    *fetchCall
}

// keyView is one fetched key set: usable keys by kid, and a generation that
// grows with every successful fetch. It is immutable.
type keyView struct {
	gen  uint64
	keys map[string]*rsa.PublicKey
}

type fetchCall struct {
	done chan struct{}
	err  error
}

func newRemoteKeys(url, bearer string, client *http.Client, policy JWKSRefresh, now func() time.Time, logger *slog.Logger) (*remoteKeys, error) {
	store := jwkset.NewMemoryStorage()
	kf, err := keyfunc.New(keyfunc.Options{Storage: store})
	if err != nil {
		return nil, err
	}
	// No key fetch follows a redirect (behaviour.md §2.6): the Backend API
	// fetch carries the secret key, which must reach the configured URL only,
	// and a JWKS URL that redirects is not the key set that was configured.
	r := &remoteKeys{url: url, bearer: bearer, client: noRedirects(client), policy: policy.withDefaults(),
		now: now, logger: logger, store: store, kf: kf}
	r.view.Store(&keyView{})
	return r, nil
}

// key implements keySource. The generation is read before the lookup, so a
// refresh that lands meanwhile makes the cache check the key again.
func (r *remoteKeys) key(ctx context.Context, kid, alg string) (*rsa.PublicKey, uint64, error) {
	if kid == "" {
		// behaviour.md §2.6, as Clerk's SDKs do: a kid-less token can match
		// no published key, so it costs no fetch and tries no key.
		return nil, 0, errorf(ReasonJWKKidMismatch, "token has no kid; remote keys are chosen by kid")
	}
	gen := r.view.Load().gen
	key, err := r.lookup(ctx, kid, alg)
	if err == nil {
		r.maybeRefreshStale(ctx)
		return key, gen, nil
	}
	if !errors.Is(err, jwkset.ErrKeyNotFound) {
		return nil, 0, err
	}
	// Unknown kid (or nothing loaded yet): join or start a shared fetch.
	call := r.startFetch(ctx, false)
	r.jwksWait(ctx, call)
	if call != nil {
		timer := time.NewTimer(r.policy.MaxWait)
		select {
		case <-call.done:
			timer.Stop()
		case <-timer.C:
			return nil, 0, r.unavailable("timed out waiting for the JWKS fetch")
		case <-ctx.Done():
			timer.Stop()
			return nil, 0, newError(ReasonJWKRemoteFailedToLoad, "request context ended while waiting for the JWKS fetch", ctx.Err())
		}
	}
	gen = r.view.Load().gen
	key, err = r.lookup(ctx, kid, alg)
	if err == nil {
		return key, gen, nil
	}
	if !errors.Is(err, jwkset.ErrKeyNotFound) {
		return nil, 0, err
	}
	r.mu.Lock()
	loaded, lastErr := r.loaded, r.lastErr
	r.mu.Unlock()
	if !loaded || lastErr != nil {
		return nil, 0, r.unavailable("no usable JWKS")
	}
	return nil, 0, errorf(ReasonJWKKidMismatch, "kid %q not found in the JWKS after a refresh", truncate(kid))
}

func (r *remoteKeys) unavailable(detail string) *Error {
	r.mu.Lock()
	cause := r.lastErr
	r.mu.Unlock()
	return newError(ReasonJWKRemoteFailedToLoad, detail, cause)
}

// lookup finds the key for kid (never empty) in the store through keyfunc.
// It returns an error wrapping jwkset.ErrKeyNotFound when the kid is unknown.
func (r *remoteKeys) lookup(ctx context.Context, kid, alg string) (*rsa.PublicKey, error) {
	k, err := r.kf.KeyfuncCtx(ctx)(&jwt.Token{Header: map[string]any{"alg": alg, "kid": kid}})
	if err != nil {
		if errors.Is(err, jwkset.ErrKeyNotFound) {
			return nil, err
		}
		return nil, newError(ReasonJWKFailedToResolve, "key for kid "+quote(truncate(kid))+" is not usable for "+alg, err)
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, errorf(ReasonJWKFailedToResolve, "key for kid %q is not an RSA key", truncate(kid))
	}
	if rk.N.BitLen() < minRSABits {
		return nil, errorf(ReasonJWKFailedToResolve, "key for kid %q is shorter than %d bits", truncate(kid), minRSABits)
	}
	return rk, nil
}

// startFetch starts a fetch unless one is in flight (then it returns that one)
// or the rate limit forbids it (then it returns nil). stale selects the TTL
// rule instead of the unknown-kid rule.
func (r *remoteKeys) startFetch(ctx context.Context, stale bool) *fetchCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inflight != nil {
		return r.inflight
	}
	now := r.now()
	switch {
	case r.lastAttempt.IsZero():
		// First fetch: always allowed.
	case r.lastErr != nil:
		// After a failure, retry no sooner than RetryInterval.
		if now.Sub(r.lastAttempt) < r.policy.RetryInterval {
			return nil
		}
	case stale:
		// Background refresh of a key set older than the TTL.
		if now.Sub(r.lastSuccess) < r.policy.TTL || now.Sub(r.lastAttempt) < r.policy.RetryInterval {
			return nil
		}
	default:
		// Unknown kid: at most one refetch per UnknownKIDInterval, counted
		// from the previous unknown-kid refetch (the initial load does not
		// use up the window, so a rotation right after boot is picked up).
		if !r.lastUnknown.IsZero() && now.Sub(r.lastUnknown) < r.policy.UnknownKIDInterval {
			return nil
		}
		r.lastUnknown = now
	}
	call := &fetchCall{done: make(chan struct{})}
	r.inflight = call
	r.lastAttempt = now
	// The fetch is shared by every waiting request, so it must not die with
	// the request that started it: it keeps that request's values (tracing)
	// but not its cancellation, and is bounded by FetchTimeout.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.policy.FetchTimeout)
	go func() {
		defer cancel()
		err := r.fetch(fctx)
		r.mu.Lock()
		r.lastErr = err
		if err == nil {
			r.loaded = true
			r.lastSuccess = r.now()
		}
		r.inflight = nil
		r.mu.Unlock()
		call.err = err
		close(call.done)
		if err != nil {
			r.logger.LogAttrs(fctx, slog.LevelError, "clerkguard: JWKS fetch failed; cached keys stay in use",
				slog.String("url", r.url), slog.String("error", err.Error()))
		}
	}()
	return call
}

// maybeRefreshStale starts a background refresh when the key set is older than
// the TTL. It never blocks the request.
func (r *remoteKeys) maybeRefreshStale(ctx context.Context) {
	r.mu.Lock()
	fresh := r.inflight != nil || r.now().Sub(r.lastSuccess) < r.policy.TTL
	r.mu.Unlock()
	if !fresh {
		r.startFetch(ctx, true)
	}
}

// fetch downloads the key set and replaces the stored keys. On any error the
// keys already stored stay in use (behaviour.md §2.4).
func (r *remoteKeys) fetch(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if r.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("JWKS request failed: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxJWKSBody))
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			return fmt.Errorf("JWKS endpoint answered a redirect (HTTP %d), which is never followed", resp.StatusCode)
		}
		return fmt.Errorf("JWKS endpoint answered HTTP %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBody+1))
	if err != nil {
		return fmt.Errorf("reading JWKS: %w", err)
	}
	if len(body) > maxJWKSBody {
		return errors.New("JWKS response is larger than 1 MiB")
	}
	keys, byKID, err := parseJWKS(body)
	if err != nil {
		return err
	}
	if err := r.store.KeyReplaceAll(ctx, keys); err != nil {
		return err
	}
	// After the store: a token verified from the new store and stamped
	// with the previous generation is merely checked again on its next hit.
	r.view.Store(&keyView{gen: r.view.Load().gen + 1, keys: byKID})
	return nil
}

// parseJWKS decodes a JWKS response into the keys to store and the same keys
// by kid, for the cache's view. Only RSA signing keys are kept (behaviour.md
// §2.6); a key that does not parse is skipped, so one bad key does not hide
// the others. No usable key at all is an error.
func parseJWKS(body []byte) ([]jwkset.JWK, map[string]*rsa.PublicKey, error) {
	var set jwkset.JWKSMarshal
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, nil, fmt.Errorf("JWKS is not valid JSON: %w", err)
	}
	keys := make([]jwkset.JWK, 0, len(set.Keys))
	byKID := make(map[string]*rsa.PublicKey, len(set.Keys))
	for _, m := range set.Keys {
		if m.KTY != jwkset.KtyRSA || !signingJWK(m) {
			continue
		}
		// behaviour.md §3.3 allows RS256, RS384 and RS512 with the same RSA key (as a
		// PEM key does): an alg of that family on the JWK (Clerk publishes
		// RS256) must not make keyfunc refuse RS384/RS512 tokens. Any other
		// alg was refused by signingJWK.
		m.ALG = ""
		jwk, err := jwkset.NewJWKFromMarshal(m, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
		if err != nil {
			continue
		}
		keys = append(keys, jwk)
		if k, ok := jwk.Key().(*rsa.PublicKey); ok {
			byKID[m.KID] = k
		}
	}
	if len(keys) == 0 {
		return nil, nil, errors.New("JWKS holds no usable RSA key")
	}
	return keys, byKID, nil
}

// signingJWK reports whether a JWK may verify session tokens (behaviour.md
// §2.6): its use, when present, is exactly "sig", and its alg, when present,
// is RS256, RS384 or RS512. Any other key is ignored as if it were not
// published, so its kid is jwk-kid-mismatch.
func signingJWK(m jwkset.JWKMarshal) bool {
	if m.USE != "" && m.USE != jwkset.UseSig {
		return false
	}
	switch m.ALG {
	case "", jwkset.AlgRS256, jwkset.AlgRS384, jwkset.AlgRS512:
		return true
	}
	return false
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
