package webhooks

import (
	"container/list"
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// Claim is the answer of Deduplicator.Claim.
type Claim int

const (
	// Claimed: the caller now owns the delivery and must call Complete after
	// its handler succeeded or Release after it failed. (The zero Claim is
	// none of the three: a Deduplicator that returns it without an error is
	// treated as failing.)
	Claimed Claim = iota + 1
	// AlreadyProcessed: a delivery with this id completed; do not run the
	// handler again.
	AlreadyProcessed
	// InFlight: another delivery with this id is being handled right now
	// (its claim has not expired); ask the sender to retry later.
	InFlight
)

// String returns "claimed", "already-processed" or "in-flight".
func (c Claim) String() string {
	switch c {
	case Claimed:
		return "claimed"
	case AlreadyProcessed:
		return "already-processed"
	case InFlight:
		return "in-flight"
	default:
		return "unknown"
	}
}

// Deduplicator remembers which deliveries were handled, keyed by the svix-id
// (Svix delivers at least once, and retries a message with the same id).
//
// The life of one delivery: Claim; if Claimed, run the handler; then Complete
// on success (later Claims answer AlreadyProcessed until the TTL passes) or
// Release on failure (the next delivery claims it again). A claim that is
// neither completed nor released (the process died) expires after its lease.
// Implementations must be safe for concurrent use, and Claim must be atomic:
// of concurrent Claims for one id, at most one answers Claimed. Complete and
// Release carry no owner token: when a claim outlived its lease and another
// delivery took it over, the first one's Release frees the second one's
// claim too. Keep the lease above your slowest handler.
type Deduplicator interface {
	Claim(ctx context.Context, id string) (Claim, error)
	Complete(ctx context.Context, id string) error
	Release(ctx context.Context, id string) error
}

// MemoryDeduplicator is the default Deduplicator: a bounded in-process map
// with expiry. It does not survive a restart and is not shared between
// instances; use NewSQLDeduplicator for that.
type MemoryDeduplicator struct {
	cfg     dedupConfig
	mu      sync.Mutex
	entries map[string]*list.Element
	order   *list.List // of *memEntry, oldest first

	nextSweep time.Time
}

type memEntry struct {
	id      string
	done    bool
	expires time.Time
}

// NewMemoryDeduplicator returns a MemoryDeduplicator. Options: WithTTL,
// WithLease, WithMaxEntries, WithDedupClock. When it is full, expired entries
// are dropped first, then the oldest entries (a dropped id could then be
// handled a second time: size it above the number of deliveries per TTL).
func NewMemoryDeduplicator(opts ...DedupOption) (*MemoryDeduplicator, error) {
	cfg := defaultDedupConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	return &MemoryDeduplicator{cfg: cfg, entries: map[string]*list.Element{}, order: list.New()}, nil
}

var errEmptyID = errors.New("webhooks: empty delivery id")

// Claim implements Deduplicator.
func (m *MemoryDeduplicator) Claim(_ context.Context, id string) (Claim, error) {
	if id == "" {
		return 0, errEmptyID
	}
	now := m.cfg.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[id]; ok {
		e := el.Value.(*memEntry)
		if now.Before(e.expires) {
			if e.done {
				return AlreadyProcessed, nil
			}
			return InFlight, nil
		}
		m.remove(el)
	}
	m.evict(now)
	id = strings.Clone(id) // a map key must not alias a caller's reused buffer
	m.entries[id] = m.order.PushBack(&memEntry{id: id, expires: now.Add(m.cfg.lease)})
	return Claimed, nil
}

// Complete implements Deduplicator.
func (m *MemoryDeduplicator) Complete(_ context.Context, id string) error {
	if id == "" {
		return errEmptyID
	}
	now := m.cfg.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[id]; ok {
		m.remove(el)
	} else {
		m.evict(now)
	}
	id = strings.Clone(id)
	m.entries[id] = m.order.PushBack(&memEntry{id: id, done: true, expires: now.Add(m.cfg.ttl)})
	return nil
}

// Release implements Deduplicator. It forgets an in-flight claim; a completed
// id stays completed.
func (m *MemoryDeduplicator) Release(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[id]; ok && !el.Value.(*memEntry).done {
		m.remove(el)
	}
	return nil
}

// Len returns the number of remembered ids, expired ones included until they
// are swept.
func (m *MemoryDeduplicator) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

func (m *MemoryDeduplicator) remove(el *list.Element) {
	delete(m.entries, el.Value.(*memEntry).id)
	m.order.Remove(el)
}

// evict makes room for one entry. Called with mu held.
func (m *MemoryDeduplicator) evict(now time.Time) {
	if len(m.entries) < m.cfg.maxEntries {
		return
	}
	// Expired entries first; the full sweep runs at most once a second so a
	// flood of new ids keeps Claim O(1) amortised...
	if !now.Before(m.nextSweep) {
		m.nextSweep = now.Add(time.Second)
		for el := m.order.Front(); el != nil; {
			next := el.Next()
			if !now.Before(el.Value.(*memEntry).expires) {
				m.remove(el)
			}
			el = next
		}
	}
	// ...then the oldest.
	for len(m.entries) >= m.cfg.maxEntries {
		m.remove(m.order.Front())
	}
}
