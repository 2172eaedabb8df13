package jwtdecode

import (
	"fmt"
	"strings"
	"testing"
)

// The header cache holds at most maxCachedHeaders well-formed headers of at
// most 1024 characters: headers are attacker-controlled, so once full, or for
// a larger or malformed header, Parse decodes every time and still answers
// correctly.
func TestHeaderCacheBounded(t *testing.T) {
	var hc HeaderCache
	for i := range maxCachedHeaders + 10 {
		h64 := enc(fmt.Appendf(nil, `{"alg":"RS256","kid":"ins_%d"}`, i))
		h, err := hc.Parse(h64)
		if err != nil || h.Kid != fmt.Sprintf("ins_%d", i) || h.Alg != "RS256" {
			t.Fatalf("header %d: %+v, %v", i, h, err)
		}
	}
	if n := hc.n.Load(); n != maxCachedHeaders {
		t.Fatalf("cache holds %d headers, want the bound %d", n, maxCachedHeaders)
	}
	var small HeaderCache
	long := enc([]byte(`{"alg":"RS256","kid":"` + strings.Repeat("k", 800) + `"}`))
	if _, err := small.Parse(long); err != nil || small.n.Load() != 0 {
		t.Fatalf("a %d-character header: err %v, cached %d", len(long), err, small.n.Load())
	}
	if _, err := small.Parse(enc([]byte(`{"kid":1}`))); err == nil || small.n.Load() != 0 {
		t.Fatalf("a malformed header: err %v, cached %d", err, small.n.Load())
	}
	var nilCache *HeaderCache
	if h, err := nilCache.Parse(enc([]byte(`{"typ":"JWT","cat":"c"}`))); err != nil || !h.TypSet || h.Typ != "JWT" || !h.CatSet || h.Cat != "c" {
		t.Fatalf("nil cache: %+v, %v", h, err)
	}
}

// A cached header costs no allocation.
func TestHeaderCacheHitAllocatesNothing(t *testing.T) {
	var hc HeaderCache
	h64 := enc([]byte(`{"alg":"RS256","kid":"ins_1","typ":"JWT"}`))
	if _, err := hc.Parse(h64); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = hc.Parse(h64) }); n != 0 {
		t.Fatalf("a cached header allocates %.0f times", n)
	}
}
