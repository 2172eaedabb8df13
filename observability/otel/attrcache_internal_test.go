package clerkotel

import (
	"strconv"
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

// behaviour.md §13.3: a seriesSet keeps maxSeries combinations, counts any
// further one in the overflow series, and its recent array never answers
// one key with another's series, even when their slots collide.
func TestSeriesSetBounds(t *testing.T) {
	c := newSeriesSet(func(k authKey) []attribute.KeyValue {
		return []attribute.KeyValue{AttrTokenSource.String(k.source)}
	}, func(authKey) uint32 { return 0 }) // every key in one slot: the worst collision
	for i := range maxSeries + 10 {
		k := authKey{source: "s" + strconv.Itoa(i)}
		s := c.get(k)
		s.n.Add(1)
		wantOver := i >= maxSeries
		if (s == c.over.s) != wantOver {
			t.Fatalf("key %d: overflow %v, want %v", i, s == c.over.s, wantOver)
		}
		if !wantOver && s.kv[0].Value.AsString() != k.source {
			t.Fatalf("key %d answered with the series of %q", i, s.kv[0].Value.AsString())
		}
	}
	if n := len(*c.m.Load()); n != maxSeries {
		t.Fatalf("%d series kept, want %d", n, maxSeries)
	}
	if n := c.over.s.n.Load(); n != 10 {
		t.Fatalf("overflow counted %d, want 10", n)
	}
	// Alternating keys in one slot: each still gets its own series.
	a, b := authKey{source: "s1"}, authKey{source: "s2"}
	for range 3 {
		if c.get(a).kv[0].Value.AsString() != "s1" || c.get(b).kv[0].Value.AsString() != "s2" {
			t.Fatal("a colliding key got another key's series")
		}
	}
}
