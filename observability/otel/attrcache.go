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
type seriesSet[K comparable] struct {
	build func(K) []attribute.KeyValue
	m     atomic.Pointer[map[K]*series]
	mu    sync.Mutex
	over  *series
}

func newSeriesSet[K comparable](build func(K) []attribute.KeyValue) *seriesSet[K] {
	return &seriesSet[K]{build: build, over: newSeries(overflow)}
}

func (c *seriesSet[K]) get(k K) *series {
	if m := c.m.Load(); m != nil {
		if s, ok := (*m)[k]; ok {
			return s
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	var m map[K]*series
	if old != nil {
		if s, ok := (*old)[k]; ok {
			return s
		}
		if len(*old) >= maxSeries {
			return c.over
		}
		m = make(map[K]*series, len(*old)+1)
		for k, v := range *old {
			m[k] = v
		}
	} else {
		m = make(map[K]*series, 1)
	}
	s := newSeries(c.build(k))
	m[k] = s
	c.m.Store(&m)
	return s
}

// observe reports the count of every series with a count to o as
// counter.
func (c *seriesSet[K]) observe(o metric.Observer, counter metric.Int64Observable) {
	if m := c.m.Load(); m != nil {
		for _, s := range *m {
			o.ObserveInt64(counter, s.n.Load(), s.obs...)
		}
	}
	if n := c.over.n.Load(); n > 0 {
		o.ObserveInt64(counter, n, c.over.obs...)
	}
}
