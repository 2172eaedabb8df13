package core

import (
	"container/list"
	"crypto/sha256"
	"sync"
	"time"
)

// hashCache maps the SHA-256 of a token to a value until a deadline
// (behaviour.md §6.5, §6.6). It never holds a token: every key has the same
// size, so the entry bound is the memory bound (plus whatever V holds).
// Entries leave oldest-inserted first once the cache is full; an expired
// entry is dropped when it is looked up or reaches the front.
type hashCache[V any] struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *hashEntry[V], oldest insertion first
	items map[[sha256.Size]byte]*list.Element
}

type hashEntry[V any] struct {
	key [sha256.Size]byte
	exp time.Time
	v   V
}

// newHashCache returns nil (a cache that holds nothing) when size is not
// positive.
func newHashCache[V any](size int) *hashCache[V] {
	if size <= 0 {
		return nil
	}
	return &hashCache[V]{max: size, order: list.New(), items: make(map[[sha256.Size]byte]*list.Element)}
}

// tokenHash is the key of a token in a hashCache.
func tokenHash(token string) [sha256.Size]byte { return sha256.Sum256([]byte(token)) }

// get returns the value of key if it is held and now is before its deadline.
func (c *hashCache[V]) get(key [sha256.Size]byte, now time.Time) (V, bool) {
	var zero V
	if c == nil {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return zero, false
	}
	e := el.Value.(*hashEntry[V])
	if !now.Before(e.exp) {
		c.drop(el)
		return zero, false
	}
	return e.v, true
}

// put holds v for key until exp, replacing any earlier value, and drops
// expired entries at the front and, past the size bound, the oldest ones.
func (c *hashCache[V]) put(key [sha256.Size]byte, v V, exp, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.drop(el) // re-added at the back
	}
	c.items[key] = c.order.PushBack(&hashEntry[V]{key: key, exp: exp, v: v})
	for front := c.order.Front(); front != nil; front = c.order.Front() {
		if c.order.Len() <= c.max && now.Before(front.Value.(*hashEntry[V]).exp) {
			break
		}
		c.drop(front)
	}
}

// remove forgets key.
func (c *hashCache[V]) remove(key [sha256.Size]byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.drop(el)
	}
}

func (c *hashCache[V]) drop(el *list.Element) {
	c.order.Remove(el)
	delete(c.items, el.Value.(*hashEntry[V]).key)
}

// len is the number of entries held (tests).
func (c *hashCache[V]) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
