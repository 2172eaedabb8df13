package core

import (
	"crypto/rsa"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// maxCacheBytes bounds the memory held by a token cache: every entry's token,
// raw payload and decoded claims together (behaviour.md §2.7), whatever the
// number of entries.
const maxCacheBytes = 32 << 20

// tokenCache remembers tokens whose signature verified, keyed by the whole
// token. The cached *Claims is shared and read-only.
//
// Hits take no lock and write no shared memory in the steady state: the map is
// a sync.Map (lock-free loads) and recency is a CLOCK bit set at most once per
// sweep of the clock hand, so hits scale across cores. Inserts, evictions and
// removals take mu; every write to m happens under it, so m and ring agree.
//
// An entry is never served at or after its deadline: the token's exp and,
// when the cache is bound to a remote key set, the key-set TTL after it was
// verified. Bound to a key set, an entry is also dropped as soon as a refresh
// no longer publishes the key that verified it (behaviour.md §2.7).
type tokenCache struct {
	m sync.Map // cacheKey(token) → *cacheEntry

	// view is the remote key set the entries are bound to (nil: entries are
	// not tied to a key set, as with a networkless PEM key or machine-token
	// results); ttl is then its refresh TTL.
	view *atomic.Pointer[keyView]
	ttl  time.Duration

	mu       sync.Mutex
	max      int // entries
	maxBytes int // estimated bytes of all entries (entrySize)
	bytes    int
	ring     []*cacheEntry // CLOCK ring over the entries; slot is the index
	hand     int
}

type cacheEntry struct {
	token    string
	claims   *Claims
	deadline time.Time // never served at or after it
	// kid and key verified the token; gen is a key-set generation known to
	// still publish them (only read when the cache is bound to a key set).
	kid string
	key *rsa.PublicKey
	gen atomic.Uint64
	ref atomic.Bool // used since the clock hand last passed it
	// size is the entrySize counted in bytes; slot is the index in ring, -1
	// once removed. Both are guarded by mu.
	size int
	slot int
}

// keyStamp says which key verified a token, and at which key-set generation
// it was looked up.
type keyStamp struct {
	kid string
	key *rsa.PublicKey
	gen uint64
}

func newTokenCache(size int) *tokenCache {
	if size <= 0 {
		return nil
	}
	return &tokenCache{max: size, maxBytes: maxCacheBytes}
}

// bindKeys ties the entries to a remote key set: an entry is served only
// while view still publishes its key, and at most ttl after it was verified.
func (c *tokenCache) bindKeys(view *atomic.Pointer[keyView], ttl time.Duration) {
	if c != nil {
		c.view, c.ttl = view, ttl
	}
}

// get returns the cached claims for token. An entry past its deadline, or
// whose key has left the bound key set, is dropped: the caller verifies the
// token again.
func (c *tokenCache) get(token string, now time.Time) (*Claims, bool) {
	e := c.lookup(token)
	if e == nil {
		return nil, false
	}
	return c.serve(e, now)
}

// lookup returns the entry of token, or nil, without any time check: serve
// decides whether it may still be used.
func (c *tokenCache) lookup(token string) *cacheEntry {
	if c == nil {
		return nil
	}
	v, ok := c.m.Load(cacheKey(token))
	if !ok {
		return nil
	}
	e := v.(*cacheEntry)
	if e.token != token {
		return nil // another token with the same tail
	}
	return e
}

// serve returns the claims of e, found by lookup, unless it is past its
// deadline or its key left the bound key set, in which case e is dropped.
func (c *tokenCache) serve(e *cacheEntry, now time.Time) (*Claims, bool) {
	if !now.Before(e.deadline) || !c.keyPublished(e) {
		c.remove(e)
		return nil, false
	}
	if !e.ref.Load() { // write only when it changes: hot entries stay read-only
		e.ref.Store(true)
	}
	return e.claims, true
}

// keyPublished reports whether the key that verified e is still in the bound
// key set. The common case, no refresh since e's key was last seen, is one
// atomic load and a compare.
func (c *tokenCache) keyPublished(e *cacheEntry) bool {
	if c.view == nil {
		return true
	}
	cur := c.view.Load()
	if e.gen.Load() == cur.gen {
		return true
	}
	k := cur.keys[e.kid]
	if k == nil || (k != e.key && !k.Equal(e.key)) {
		return false
	}
	e.gen.Store(cur.gen)
	return true
}

// put stores claims for token until exp, not tied to any key (machine-token
// results).
func (c *tokenCache) put(token string, claims *Claims, exp time.Time, now time.Time) {
	c.insert(token, claims, exp, now, keyStamp{})
}

// putVerified stores the claims of a token that st's key just verified: until
// the token's exp and, when the cache is bound to a key set, no longer than
// its TTL.
func (c *tokenCache) putVerified(token string, claims *Claims, now time.Time, st keyStamp) {
	if c == nil {
		return
	}
	deadline := claims.Expiry
	if c.view != nil && c.ttl > 0 {
		if d := now.Add(c.ttl); d.Before(deadline) {
			deadline = d
		}
	}
	c.insert(token, claims, deadline, now, st)
}

func (c *tokenCache) insert(token string, claims *Claims, deadline, now time.Time, st keyStamp) {
	if c == nil || !now.Before(deadline) {
		return
	}
	size := entrySize(token, claims)
	if size > c.maxBytes/64 {
		return // one entry may not take a large share of the budget
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m.Load(cacheKey(token)); ok {
		// Verified again (its entry expired, or two requests raced), or
		// another token with the same tail: the newest entry wins.
		c.removeLocked(v.(*cacheEntry))
	}
	for len(c.ring) > 0 && (len(c.ring) >= c.max || c.bytes+size > c.maxBytes) {
		c.evictLocked(now)
	}
	// The key outlives the request: copy it, in case the caller's string
	// aliases a reused buffer (fasthttp does that).
	token = strings.Clone(token)
	e := &cacheEntry{token: token, claims: claims, deadline: deadline, kid: st.kid, key: st.key, size: size, slot: len(c.ring)}
	e.gen.Store(st.gen)
	c.ring = append(c.ring, e)
	c.bytes += size
	c.m.Store(cacheKey(token), e)
}

// cacheKey is the part of a token the cache's map hashes: its last 32 bytes,
// the end of a JWT's signature or of an opaque token's random part, which
// distinct verified tokens do not share in practice. Hashing 32 bytes rather
// than the whole token (often over 1 KiB) is most of what a hit would cost.
// get compares the whole token, so a token that copies another's tail is
// never taken for it.
func cacheKey(token string) string {
	if len(token) > 32 {
		return token[len(token)-32:]
	}
	return token
}

// evictLocked removes one entry: the first the clock hand finds past its
// deadline or unused since the hand last passed it (a second chance, which
// approximates least-recently-used without touching hits).
func (c *tokenCache) evictLocked(now time.Time) {
	for range 2*len(c.ring) + 1 {
		if c.hand >= len(c.ring) {
			c.hand = 0
		}
		e := c.ring[c.hand]
		if !e.ref.Load() || !now.Before(e.deadline) {
			c.removeLocked(e)
			return
		}
		e.ref.Store(false)
		c.hand++
	}
	// Every entry was used again while the hand went round twice: take the
	// one under the hand.
	c.removeLocked(c.ring[c.hand%len(c.ring)])
}

// remove drops e unless it is already gone.
func (c *tokenCache) remove(e *cacheEntry) {
	c.mu.Lock()
	c.removeLocked(e)
	c.mu.Unlock()
}

func (c *tokenCache) removeLocked(e *cacheEntry) {
	if e.slot < 0 {
		return
	}
	last := len(c.ring) - 1
	moved := c.ring[last]
	c.ring[e.slot], moved.slot = moved, e.slot
	c.ring[last] = nil
	c.ring = c.ring[:last]
	e.slot = -1
	c.bytes -= e.size
	c.m.CompareAndDelete(cacheKey(e.token), e)
}

// entryOverhead estimates what an entry costs beyond its strings and slices:
// the cacheEntry, the Claims struct, the map's node and the ring slot.
const entryOverhead = int(unsafe.Sizeof(cacheEntry{})+unsafe.Sizeof(Claims{})) + 160

// entrySize estimates the heap an entry holds (behaviour.md §2.7): the token,
// the raw payload and every string and slice of the decoded claims, each
// rounded up as the allocator does. Strings that share memory are counted
// once each, so the estimate errs on the high side.
func entrySize(token string, c *Claims) int {
	n := entryOverhead + allocSize(len(token))
	if c == nil {
		return n
	}
	n += allocSize(cap(c.raw))
	for _, s := range [...]string{c.Subject, c.SessionID, c.AuthorizedParty, c.Issuer, c.SessionStatus,
		c.OrgID, c.OrgSlug, c.OrgRole, c.TokenID, c.Name, c.ClientID} {
		n += allocSize(len(s))
	}
	for _, l := range [...][]string{c.OrgPermissions, c.OrgFeatures, c.UserFeatures, c.OrgPlans, c.UserPlans, c.Scopes} {
		n += allocSize(cap(l) * int(unsafe.Sizeof("")))
		for _, s := range l {
			n += allocSize(len(s))
		}
	}
	if c.FactorVerificationAge != nil {
		n += allocSize(int(unsafe.Sizeof([2]int{})))
	}
	if a := c.Actor; a != nil {
		n += allocSize(int(unsafe.Sizeof(Actor{}))) + allocSize(len(a.Subject)) + allocSize(len(a.SessionID)) +
			allocSize(len(a.Issuer)) + allocSize(len(a.Type))
	}
	return n
}

// allocSize rounds n up roughly as Go's allocator does (size classes 16 bytes
// apart up to 256 bytes, then at most 12.5% apart); it never rounds down.
func allocSize(n int) int {
	switch {
	case n == 0:
		return 0
	case n <= 8:
		return 8
	case n <= 256:
		return (n + 15) &^ 15
	default:
		return n + n/8
	}
}
