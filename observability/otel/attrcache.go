package clerkotel

import (
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// attrs are the attributes of one combination of event fields, in the
// forms the instruments and spans take, built once: recording a measurement
// with them allocates nothing.
type attrs struct {
	kv     []attribute.KeyValue
	add    []metric.AddOption
	record []metric.RecordOption
}

func newAttrs(kv []attribute.KeyValue) *attrs {
	set := attribute.NewSet(kv...)
	opt := metric.WithAttributeSet(set)
	return &attrs{kv: kv, add: []metric.AddOption{opt}, record: []metric.RecordOption{opt}}
}

// attrCache maps event fields to their attrs. Reads take no lock (a
// copy-on-write map); a new combination copies the map, which happens a few
// dozen times in the life of a process. At most maxCachedAttributes
// combinations are kept; the attributes of any other are built per event.
type attrCache[K comparable] struct {
	build func(K) []attribute.KeyValue
	m     atomic.Pointer[map[K]*attrs]
	mu    sync.Mutex
}

func (c *attrCache[K]) get(k K) *attrs {
	if m := c.m.Load(); m != nil {
		if a, ok := (*m)[k]; ok {
			return a
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if a, ok := (*old)[k]; ok {
			return a
		}
	}
	a := newAttrs(c.build(k))
	if old != nil && len(*old) >= maxCachedAttributes {
		return a
	}
	m := make(map[K]*attrs, 1)
	if old != nil {
		m = make(map[K]*attrs, len(*old)+1)
		for k, v := range *old {
			m[k] = v
		}
	}
	m[k] = a
	c.m.Store(&m)
	return a
}
