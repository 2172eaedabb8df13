package core

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/big"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkguard/clerkguard/core/internal/jwtdecode"
)

// bigPermissionToken builds a token (header, v2 payload, a signature-shaped
// third part) whose claims decode to features × names org permissions, and
// decodes it exactly as verify does after the signature check.
func bigPermissionToken(t testing.TB, i, features, names int, exp time.Time) (string, *Claims) {
	t.Helper()
	fea := make([]string, features)
	fpm := make([]string, features)
	all := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(names)), big.NewInt(1)).String()
	for f := range fea {
		fea[f] = fmt.Sprintf("o:feature%02d", f)
		fpm[f] = all
	}
	per := make([]string, names)
	for n := range per {
		per[n] = fmt.Sprintf("permission%03d", n)
	}
	payload := fmt.Sprintf(`{"sub":"user_%d","sid":"sess_%d","exp":%d,"iat":%d,"v":2,"fea":%q,"o":{"id":"org_1","rol":"admin","slg":"acme","per":%q,"fpm":%q}}`,
		i, i, exp.Unix(), exp.Unix()-60, strings.Join(fea, ","), strings.Join(per, ","), strings.Join(fpm, ","))
	enc := base64.RawURLEncoding.EncodeToString
	sig := make([]byte, 256) // distinct per token, as real signatures are
	binary.BigEndian.PutUint64(sig[len(sig)-8:], uint64(i))
	tok := enc([]byte(`{"alg":"RS256","kid":"ins_1","typ":"JWT"}`)) + "." + enc([]byte(payload)) + "." + enc(sig)
	var j jwtdecode.Parts
	if err := j.Split(tok, nil); err != nil || j.DecodeErr != nil {
		t.Fatalf("token %d does not decode: %v %v", i, err, j.DecodeErr)
	}
	c := sessionClaims(&j.P, j.PayJSON, j.Sub)
	if len(c.OrgPermissions) != features*names {
		t.Fatalf("token %d decodes to %d permissions, want %d", i, len(c.OrgPermissions), features*names)
	}
	return tok, c
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// behaviour.md §2.7: the cache's memory budget counts whole entries (token,
// raw payload, decoded claims), so 2 000 valid tokens of 1 000 org
// permissions each keep the heap within the budget plus a small margin.
func TestTokenCacheMemoryBudgetCountsWholeEntries(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	exp := now.Add(time.Hour)
	before := heapInUse()
	c := newTokenCache(10_000)
	for i := range 2000 {
		tok, claims := bigPermissionToken(t, i, 10, 100, exp)
		c.put(tok, claims, exp, now)
	}
	held := int64(heapInUse()) - int64(before)
	runtime.KeepAlive(c)
	const margin = 4 << 20
	if held > maxCacheBytes+margin {
		t.Fatalf("the token cache holds %.1f MiB of heap for a %d MiB budget: the budget must count the whole entry (token, raw payload, decoded claims), so the heap stays within it plus %d MiB (behaviour.md §2.7)",
			float64(held)/(1<<20), maxCacheBytes>>20, margin>>20)
	}
	if held < maxCacheBytes/4 {
		t.Fatalf("the cache holds only %.1f MiB: it should fill a good part of its %d MiB budget with these entries", float64(held)/(1<<20), maxCacheBytes>>20)
	}
	t.Logf("heap held by the cache: %.1f MiB (budget %d MiB)", float64(held)/(1<<20), maxCacheBytes>>20)
}

// checkInvariants verifies the bookkeeping: ring and map agree, slots are
// indices, and the entry and byte bounds hold.
func (c *tokenCache) checkInvariants(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ring) > c.max {
		t.Fatalf("%d entries for a bound of %d", len(c.ring), c.max)
	}
	sum := 0
	for i, e := range c.ring {
		if e.slot != i {
			t.Fatalf("entry at %d says slot %d", i, e.slot)
		}
		if v, ok := c.m.Load(cacheKey(e.token)); !ok || v.(*cacheEntry) != e {
			t.Fatalf("entry at %d is not the map's entry for its token", i)
		}
		sum += e.size
	}
	if sum != c.bytes || c.bytes > c.maxBytes {
		t.Fatalf("bytes %d, sum of entry sizes %d, budget %d", c.bytes, sum, c.maxBytes)
	}
	n := 0
	c.m.Range(func(any, any) bool { n++; return true })
	if n != len(c.ring) {
		t.Fatalf("the map holds %d entries, the ring %d", n, len(c.ring))
	}
}

// The cache stays within its entry and byte bounds, and its map and clock
// ring agree, under concurrent hits, inserts, expiries and evictions.
func TestTokenCacheBoundsUnderConcurrency(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, tc := range []struct {
		name          string
		max, maxBytes int
	}{
		{"EntryBound", 50, maxCacheBytes},
		{"ByteBound", 10_000, 64 * entrySize(strings.Repeat("x", 600), &Claims{Subject: "user_1"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTokenCache(tc.max)
			c.maxBytes = tc.maxBytes
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(g), 1))
					for range 3000 {
						k := rng.IntN(300)
						tok := fmt.Sprintf("%s-%03d", strings.Repeat("x", 600), k)
						at := now.Add(time.Duration(rng.IntN(3)) * time.Second)
						if _, ok := c.get(tok, at); !ok {
							c.put(tok, &Claims{Subject: fmt.Sprintf("user_%d", k)}, now.Add(time.Duration(1+rng.IntN(3))*time.Second), now)
						}
					}
				}()
			}
			wg.Wait()
			c.checkInvariants(t)
		})
	}
}

// Recency is a CLOCK bit: an entry used since the hand last passed survives
// an eviction that takes an unused one.
func TestTokenCacheEvictsUnusedBeforeUsed(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	exp := now.Add(time.Hour)
	c := newTokenCache(3)
	for _, tok := range []string{"a", "b", "c"} {
		c.put(tok, &Claims{Subject: tok}, exp, now)
	}
	if _, ok := c.get("a", now); !ok {
		t.Fatal("a is cached")
	}
	c.put("d", &Claims{Subject: "d"}, exp, now)
	for tok, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok := c.get(tok, now); ok != want {
			t.Errorf("after inserting d into a full cache of a (used), b, c: %s cached = %v, want %v", tok, ok, want)
		}
	}
	c.checkInvariants(t)
}

// The map hashes only a token's tail, but a hit needs the whole token: a
// token that copies a cached token's tail (a forgery with another payload) is
// a miss, and never evicts the cached one.
func TestTokenCacheTailCopyIsNotAHit(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	c := newTokenCache(10)
	tail := strings.Repeat("s", 64)
	valid, forged := "header.payload-of-user_1."+tail, "header.payload-of-admin."+tail
	c.put(valid, &Claims{Subject: "user_1"}, now.Add(time.Hour), now)
	if cl, ok := c.get(forged, now); ok {
		t.Fatalf("a token sharing only the signature tail of a cached token was served its claims (%s)", cl.Subject)
	}
	if cl, ok := c.get(valid, now); !ok || cl.Subject != "user_1" {
		t.Fatal("the cached token must still be served after a look-up of a token sharing its tail")
	}
	c.checkInvariants(t)
}

// A hit allocates nothing, whatever the key-set check has to do.
func TestTokenCacheHitAllocatesNothing(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	c := newTokenCache(10)
	tok := strings.Repeat("t", 800)
	c.put(tok, &Claims{Subject: "user_1"}, now.Add(time.Hour), now)
	if n := testing.AllocsPerRun(100, func() {
		if _, ok := c.get(tok, now); !ok {
			t.Fatal("miss")
		}
	}); n != 0 {
		t.Fatalf("a cache hit allocates %.1f times, want 0", n)
	}
}

// BenchmarkTokenCacheGet measures cache hits alone, on one hot token and on
// 1000 tokens, from as many goroutines as -cpu says:
//
//	go test -run '^$' -bench TokenCacheGet -benchmem -cpu 1,2 ./core
func BenchmarkTokenCacheGet(b *testing.B) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("Tokens%d", n), func(b *testing.B) {
			c := newTokenCache(10_000)
			toks := make([]string, n)
			for i := range toks {
				toks[i] = fmt.Sprintf("%s%04d", strings.Repeat("t", 800), i)
				c.put(toks[i], &Claims{Subject: "user_1"}, now.Add(time.Hour), now)
			}
			var next atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := int(next.Add(397))
				for pb.Next() {
					i++
					if _, ok := c.get(toks[i%n], now); !ok {
						b.Error("miss")
						return
					}
				}
			})
		})
	}
}
