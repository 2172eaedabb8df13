package usersync

import (
	"sync"
	"time"
)

// Bounds of the Provisioner's memory of permanent failures.
const (
	// DefaultNegativeTTL is how long a Provisioner remembers that a user,
	// organization or membership does not exist in Clerk, or is deleted
	// (WithNegativeTTL): tokens naming it are refused from memory, with no
	// database query and no Backend API call, and it is logged once.
	DefaultNegativeTTL = time.Minute
	// MaxNegativeEntries bounds that memory; when it is full the expired
	// entries go first, then arbitrary ones.
	MaxNegativeEntries = 10_000
)

// negative remembers permanent provisioning failures (a 404 from the
// Backend API, a local tombstone) per object, for ttl, at most max entries.
type negative struct {
	mu  sync.Mutex
	m   map[string]negEntry
	ttl time.Duration
	max int
	now func() time.Time
}

type negEntry struct {
	until time.Time
	err   error
}

// get returns the remembered failure of key, if it has not expired.
func (n *negative) get(key string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	e, ok := n.m[key]
	if !ok {
		return nil
	}
	if !n.now().Before(e.until) {
		delete(n.m, key)
		return nil
	}
	return e.err
}

// put remembers err for key; it reports whether key was new (so the caller
// logs the failure once per TTL).
func (n *negative) put(key string, err error) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.now()
	if e, ok := n.m[key]; ok && now.Before(e.until) {
		return false
	}
	if n.m == nil {
		n.m = make(map[string]negEntry)
	}
	if len(n.m) >= n.max {
		for k, e := range n.m {
			if !now.Before(e.until) {
				delete(n.m, k)
			}
		}
		for k := range n.m {
			if len(n.m) < n.max {
				break
			}
			delete(n.m, k)
		}
	}
	n.m[key] = negEntry{until: now.Add(n.ttl), err: err}
	return true
}

func (n *negative) len() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.m)
}
