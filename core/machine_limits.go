package core

import (
	"container/list"
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
// near 256 characters. The alphabet is base64url's without padding (A-Z, a-z, 0-9, '-', '_'),
// a superset of the base62 and hex of Clerk's tokens and of its mt_secret_…
// style; a '.', '=', '+', '/', space or control character is never part of
// one.
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

// opaqueWellFormed is the format check of behaviour.md §6.5: a machine
// prefix, then 1 to 256 token characters. It never reads
// a body its length already refuses.
func opaqueWellFormed(token string) bool {
	body, ok := opaqueBody(token)
	if !ok || len(body) < minOpaqueBody || len(body) > maxOpaqueBody {
		return false
	}
	for i := 0; i < len(body); i++ {
		if !isTokenChar(body[i]) {
			return false
		}
	}
	return true
}

func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// notFoundCache remembers the tokens the Backend API answered 404 for
// (behaviour.md §6.5), by SHA-256 so that it never holds a token and every
// entry has the same size: the entry bound is the memory bound. All entries
// share one TTL, so insertion order is expiry order and the oldest entry is
// the first out, whether it expired or the cache is full.
type notFoundCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	order *list.List // of *notFoundEntry, oldest first
	items map[[sha256.Size]byte]*list.Element
}

type notFoundEntry struct {
	key [sha256.Size]byte
	exp time.Time
}

// newNotFoundCache returns nil (a cache that remembers nothing) when ttl or
// size is not positive.
func newNotFoundCache(ttl time.Duration, size int) *notFoundCache {
	if ttl <= 0 || size <= 0 {
		return nil
	}
	return &notFoundCache{ttl: ttl, max: size, order: list.New(), items: make(map[[sha256.Size]byte]*list.Element)}
}

func notFoundKey(token string) [sha256.Size]byte { return sha256.Sum256([]byte(token)) }

// has reports whether key was answered 404 less than the TTL before now.
func (c *notFoundCache) has(key [sha256.Size]byte, now time.Time) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	return ok && now.Before(el.Value.(*notFoundEntry).exp)
}

// add remembers key until now plus the TTL, dropping expired entries and,
// past the size bound, the oldest ones.
func (c *notFoundCache) add(key [sha256.Size]byte, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el) // re-added at the back with a fresh expiry
	}
	c.items[key] = c.order.PushBack(&notFoundEntry{key: key, exp: now.Add(c.ttl)})
	for front := c.order.Front(); front != nil; front = c.order.Front() {
		if c.order.Len() <= c.max && now.Before(front.Value.(*notFoundEntry).exp) {
			break
		}
		c.remove(front)
	}
}

func (c *notFoundCache) remove(el *list.Element) {
	c.order.Remove(el)
	delete(c.items, el.Value.(*notFoundEntry).key)
}

// len is the number of entries held (tests).
func (c *notFoundCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
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
