package core

import (
	"container/list"
	"strings"
	"sync"
	"time"
)

// maxCacheBytes bounds the memory held by cached token strings, whatever
// their count.
const maxCacheBytes = 32 << 20

// tokenCache remembers tokens whose signature verified, keyed by the whole
// token, least recently used first out. Entries never outlive the token's
// exp. The cached *Claims is shared and read-only.
type tokenCache struct {
	mu    sync.Mutex
	max   int
	bytes int
	ll    *list.List
	items map[string]*list.Element
}

type cacheEntry struct {
	token  string
	claims *Claims
	exp    time.Time
}

func newTokenCache(size int) *tokenCache {
	if size <= 0 {
		return nil
	}
	return &tokenCache{max: size, ll: list.New(), items: make(map[string]*list.Element)}
}

// get returns the cached claims for token, dropping the entry if the token
// has expired by now.
func (c *tokenCache) get(token string, now time.Time) (*Claims, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[token]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !now.Before(e.exp) {
		c.removeLocked(el)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return e.claims, true
}

// put stores claims for token until exp.
func (c *tokenCache) put(token string, claims *Claims, exp time.Time, now time.Time) {
	if c == nil || !now.Before(exp) || len(token) > maxCacheBytes/64 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[token]; ok {
		c.ll.MoveToFront(el)
		return
	}
	// The key outlives the request: copy it, in case the caller's string
	// aliases a reused buffer (fasthttp does that).
	token = strings.Clone(token)
	c.items[token] = c.ll.PushFront(&cacheEntry{token: token, claims: claims, exp: exp})
	c.bytes += len(token)
	for c.ll.Len() > c.max || c.bytes > maxCacheBytes {
		c.removeLocked(c.ll.Back())
	}
}

func (c *tokenCache) removeLocked(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.ll.Remove(el)
	delete(c.items, e.token)
	c.bytes -= len(e.token)
}
