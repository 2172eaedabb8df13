package clerkotel

import (
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// series is one combination of event fields: its attributes in the forms
// the instruments and spans take, built once, so that recording with them
// allocates nothing, and its count for the observable counters.
type series struct {
	kv     []attribute.KeyValue
	set    attribute.Set
	add    []metric.AddOption
	record []metric.RecordOption
	obs    []metric.ObserveOption
	n      atomic.Int64
}

func newSeries(kv []attribute.KeyValue) *series {
	set := attribute.NewSet(kv...)
	opt := metric.WithAttributeSet(set)
	return &series{kv: kv, set: set, add: []metric.AddOption{opt}, record: []metric.RecordOption{opt},
		obs: []metric.ObserveOption{opt}}
}

// overflow is the attribute of the series every combination beyond
// maxSeries is counted in, as the OpenTelemetry SDK names its own.
var overflow = []attribute.KeyValue{attribute.Bool("otel.metric.overflow", true)}

// seriesSet maps event fields to their series. Reads take no lock (a
// copy-on-write map); a new combination copies the map, which happens a few
// dozen times in the life of a process. At most maxSeries combinations are
// kept; any other is counted in the overflow series.
//
// In front of the map, when slot is set, a direct-mapped array of recent
// series answers the request path without hashing the key's strings: slot
// picks a place from the key's string lengths, and the key's strings, which
// are nearly always the same constants, compare equal by pointer.
type seriesSet[K comparable] struct {
	build  func(K) []attribute.KeyValue
	slot   func(K) uint32
	recent [recentSlots]atomic.Pointer[keyed[K]]
	m      atomic.Pointer[map[K]*keyed[K]]
	mu     sync.Mutex
	over   *keyed[K] // k is the zero K, never stored in recent
}

const recentSlots = 64

type keyed[K comparable] struct {
	k K
	s *series
}

func newSeriesSet[K comparable](build func(K) []attribute.KeyValue, slot func(K) uint32) *seriesSet[K] {
	return &seriesSet[K]{build: build, slot: slot, over: &keyed[K]{s: newSeries(overflow)}}
}

func (c *seriesSet[K]) get(k K) *series {
	if c.slot == nil {
		return c.lookup(k)
	}
	r := &c.recent[c.slot(k)%recentSlots]
	if e := r.Load(); e != nil && e.k == k {
		return e.s
	}
	e := c.lookupKeyed(k)
	if e.k == k { // not the overflow
		r.Store(e)
	}
	return e.s
}

func (c *seriesSet[K]) lookup(k K) *series { return c.lookupKeyed(k).s }

// lookupKeyed returns k's entry of the map, created once per key (so the
// recent array stores it without allocating), or the overflow entry.
func (c *seriesSet[K]) lookupKeyed(k K) *keyed[K] {
	if m := c.m.Load(); m != nil {
		if e, ok := (*m)[k]; ok {
			return e
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	var m map[K]*keyed[K]
	if old != nil {
		if e, ok := (*old)[k]; ok {
			return e
		}
		if len(*old) >= maxSeries {
			return c.over
		}
		m = make(map[K]*keyed[K], len(*old)+1)
		for k, v := range *old {
			m[k] = v
		}
	} else {
		m = make(map[K]*keyed[K], 1)
	}
	e := &keyed[K]{k: k, s: newSeries(c.build(k))}
	m[k] = e
	c.m.Store(&m)
	return e
}

// observe reports the count of every series with a count to o as
// counter.
func (c *seriesSet[K]) observe(o metric.Observer, counter metric.Int64Observable) {
	if m := c.m.Load(); m != nil {
		for _, e := range *m {
			o.ObserveInt64(counter, e.s.n.Load(), e.s.obs...)
		}
	}
	if n := c.over.s.n.Load(); n > 0 {
		o.ObserveInt64(counter, n, c.over.s.obs...)
	}
}
