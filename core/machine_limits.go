package core

import (
	"crypto/sha256"
	"strings"
	"sync"
	"time"
)

// This file holds the bounds of behaviour.md §6.5 that sit in front of the
// Backend API: the format check, the cache of 404 answers and the rate
// limit. The in-flight limit and the cancellation of abandoned calls live
// with the calls, in backend.go.

// Bounds of an opaque token's body, the part after its prefix. The lower
// bound is only "not empty": Clerk's own reference tests use short secrets
// such as mt_secret_xxxxx, and a token too short to be real costs at most one
// rate-limited call whose 404 is then remembered. No Clerk token is anywhere
// near 256 characters.
const (
	minOpaqueBody = 1
	maxOpaqueBody = 256
)

// opaqueBody returns the part of token after its machine prefix (mt_, m2m_,
// oat_ or ak_, behaviour.md §6.2), and false when token has none.
func opaqueBody(token string) (string, bool) {
	for _, p := range [...]string{"mt_", "m2m_", "oat_", "ak_"} {
		if strings.HasPrefix(token, p) {
			return token[len(p):], true
		}
	}
	return "", false
}

// opaqueWellFormed is the format check of behaviour.md §6.5 and §6.9: a
// machine prefix, then 1 to 256 characters that form an RFC 6750 b64token
// (one or more of A-Z a-z 0-9 - . _ ~ + /, then any number of '='). Clerk
// fixes no alphabet: this is the widest one a Bearer credential may use, so
// a real token is never refused for its characters, while a space, a comma,
// a quote or a control character is. It never reads a body its length
// already refuses.
func opaqueWellFormed(token string) bool {
	body, ok := opaqueBody(token)
	if !ok || len(body) < minOpaqueBody || len(body) > maxOpaqueBody {
		return false
	}
	i := 0
	for i < len(body) && isB64TokenChar(body[i]) {
		i++
	}
	if i == 0 {
		return false // padding alone, or a first character outside the alphabet
	}
	for i < len(body) && body[i] == '=' {
		i++
	}
	return i == len(body)
}

// isB64TokenChar reports whether c may appear before the padding of an RFC
// 6750 b64token.
func isB64TokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '_', '~', '+', '/':
		return true
	}
	return false
}

// notFoundCache remembers the tokens the Backend API answered 404 for
// (behaviour.md §6.5), by SHA-256 (see hashCache), for one TTL shared by
// every entry.
type notFoundCache struct {
	ttl time.Duration
	set *hashCache[struct{}]
}

// newNotFoundCache returns nil (a cache that remembers nothing) when ttl or
// size is not positive.
func newNotFoundCache(ttl time.Duration, size int) *notFoundCache {
	if ttl <= 0 || size <= 0 {
		return nil
	}
	return &notFoundCache{ttl: ttl, set: newHashCache[struct{}](size)}
}

// has reports whether key was answered 404 less than the TTL before now.
func (c *notFoundCache) has(key [sha256.Size]byte, now time.Time) bool {
	if c == nil {
		return false
	}
	_, ok := c.set.get(key, now)
	return ok
}

// add remembers key until now plus the TTL.
func (c *notFoundCache) add(key [sha256.Size]byte, now time.Time) {
	if c != nil {
		c.set.put(key, struct{}{}, now.Add(c.ttl), now)
	}
}

// len is the number of entries held (tests).
func (c *notFoundCache) len() int {
	if c == nil {
		return 0
	}
	return c.set.len()
}

// tokenBucket limits the Backend API calls of one Authorizer (behaviour.md
// §6.5): burst calls at once, refilled at rate per second of the injected
// clock. It is kept as the theoretical arrival time of the generic cell rate
// algorithm, an exact integer form of the same bucket: each call moves tat
// one interval on, and a call is allowed while tat is at most
// (burst-1)*interval ahead of now. A clock that goes back refills nothing.
type tokenBucket struct {
	mu       sync.Mutex
	interval time.Duration // 1/rate
	ahead    time.Duration // (burst-1)*interval
	tat      time.Time
}

func newTokenBucket(burst int, perSecond float64, now time.Time) *tokenBucket {
	// Rates are positive and finite (validated in New); the interval is
	// clamped so that extreme ones neither overflow nor reach 0.
	interval := time.Duration(min(float64(time.Second)/perSecond, float64(24*time.Hour)))
	interval = max(interval, time.Nanosecond)
	return &tokenBucket{interval: interval, ahead: time.Duration(burst-1) * interval, tat: now}
}

// allow takes one call from the bucket if there is one at now.
func (b *tokenBucket) allow(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tat.Before(now) {
		b.tat = now
	}
	if b.tat.Sub(now) > b.ahead {
		return false
	}
	b.tat = b.tat.Add(b.interval)
	return true
}
