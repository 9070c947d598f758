package preflightcache_test

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/preflightcache"
)

var (
	benchMethods = []string{"PUT", "DELETE", "PATCH"}
	benchHeaders = []string{"Content-Type", "X-Request-Id", "X-Api-Key", "Authorization"}
	benchNeeded  = []string{"content-type", "x-api-key"}
)

// filled returns a cache holding n keys, each with benchMethods and
// benchHeaders for an hour from t0.
func filled(opts preflightcache.Options, n int) (*preflightcache.Cache, []preflightcache.Key) {
	c := preflightcache.New(opts)
	keys := make([]preflightcache.Key, n)
	for i := range keys {
		keys[i] = preflightcache.Key{
			Partition: "https://top.example",
			Origin:    "https://app.example",
			URL:       "https://api.example/v1/items/" + strconv.Itoa(i),
		}
		c.Store(keys[i], benchMethods, benchHeaders, time.Hour, t0)
	}
	return c, keys
}

// lookupCase is a look-up in the cache filled returns, with Lookup's
// outcome.
type lookupCase struct {
	desc   string
	k      preflightcache.Key
	method string
	names  []string
	now    time.Time
	want   preflightcache.Outcome
}

// lookupCases are look-ups of every outcome in a cache from filled, k one
// of its keys.
func lookupCases(k preflightcache.Key) []lookupCase {
	return []lookupCase{
		{desc: "hit", k: k, method: "PATCH", names: benchNeeded, now: t0, want: preflightcache.Hit},
		{desc: "hit, headers only", k: k, method: "", names: benchNeeded, now: t0, want: preflightcache.Hit},
		{desc: "hit, nothing needed", k: k, now: t0, want: preflightcache.Hit},
		{desc: "miss, unknown header", k: k, method: "PUT", names: []string{"x-unknown"}, now: t0, want: preflightcache.Miss},
		{desc: "miss, unknown key", k: preflightcache.Key{Origin: "https://x.example", URL: "https://y.example/"}, method: "PUT", names: nil, now: t0, want: preflightcache.Miss},
		{desc: "stale", k: k, method: "PUT", names: benchNeeded, now: t0.Add(2 * time.Hour), want: preflightcache.Stale},
	}
}

// TestLookupAllocs checks that look-ups allocate nothing, whatever they find.
func TestLookupAllocs(t *testing.T) {
	c, keys := filled(preflightcache.Options{}, 100)
	k := keys[7]
	for _, tc := range lookupCases(k) {
		var got preflightcache.Outcome
		n := testing.AllocsPerRun(200, func() { got = c.Lookup(tc.k, tc.method, tc.names, tc.now) })
		if got != tc.want || n != 0 {
			t.Errorf("%s: Lookup = %v with %v allocations per call; want %v with 0", tc.desc, got, n, tc.want)
		}
		n = testing.AllocsPerRun(200, func() { c.Covers(tc.k, tc.method, tc.names, tc.now) })
		if n != 0 {
			t.Errorf("%s: Covers allocates %v times per call; want 0", tc.desc, n)
		}
	}
	// Refreshing names a key already holds allocates nothing either.
	if n := testing.AllocsPerRun(200, func() { c.Store(k, benchMethods, benchHeaders, time.Hour, t0) }); n != 0 {
		t.Errorf("Store refreshing existing names allocates %v times per call; want 0", n)
	}
}

// TestLookupHit checks LookupHit against Lookup's outcomes: true for a hit
// only, a hit counted in Stats as Lookup counts it, any other outcome not
// counted at all (the caller looks it up again with Lookup), and no
// allocation.
func TestLookupHit(t *testing.T) {
	c, keys := filled(preflightcache.Options{}, 100)
	for _, tc := range lookupCases(keys[7]) {
		if got := c.Lookup(tc.k, tc.method, tc.names, tc.now); got != tc.want {
			t.Fatalf("%s: Lookup = %v; want %v", tc.desc, got, tc.want)
		}
		before := c.Stats()
		hit := c.LookupHit(tc.k, tc.method, tc.names, tc.now)
		after := c.Stats()
		wantStats := before
		if tc.want == preflightcache.Hit {
			wantStats.Hits++
		}
		if hit != (tc.want == preflightcache.Hit) || after != wantStats {
			t.Errorf("%s: LookupHit = %v, Stats %+v -> %+v; want %v, %+v", tc.desc, hit, before, after, tc.want == preflightcache.Hit, wantStats)
		}
		if n := testing.AllocsPerRun(100, func() { c.LookupHit(tc.k, tc.method, tc.names, tc.now) }); n != 0 {
			t.Errorf("%s: LookupHit allocates %v times per call; want 0", tc.desc, n)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	c, keys := filled(preflightcache.Options{}, preflightcache.DefaultMaxKeys)
	k := keys[17]
	for _, bc := range []struct {
		name   string
		method string
		names  []string
		now    time.Time
	}{
		{name: "hit", method: "PATCH", names: benchNeeded, now: t0},
		{name: "miss", method: "POST", names: benchNeeded, now: t0},
		{name: "stale", method: "PATCH", names: benchNeeded, now: t0.Add(2 * time.Hour)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Lookup(k, bc.method, bc.names, bc.now)
			}
		})
	}
}

func BenchmarkStore(b *testing.B) {
	b.Run("refresh", func(b *testing.B) {
		c, keys := filled(preflightcache.Options{}, preflightcache.DefaultMaxKeys)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			c.Store(keys[i%len(keys)], benchMethods, benchHeaders, time.Hour, t0)
			i++
		}
	})
	b.Run("new-key-evicting", func(b *testing.B) {
		c, _ := filled(preflightcache.Options{}, preflightcache.DefaultMaxKeys)
		urls := make([]string, 1<<16)
		for i := range urls {
			urls[i] = "https://api.example/v2/" + strconv.Itoa(i)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			k := preflightcache.Key{Origin: "https://app.example", URL: urls[i%len(urls)]}
			c.Store(k, benchMethods, benchHeaders, time.Hour, t0)
			i++
		}
	})
}

// BenchmarkLookupParallel measures hits from b.RunParallel goroutines; run
// it with -cpu 1,2,N. "spread" has every goroutine walk its own order over
// 1024 keys; "hot-key" has every goroutine hit the same key. The
// single-lock baseline is BenchmarkShards, an internal benchmark.
func BenchmarkLookupParallel(b *testing.B) {
	c, keys := filled(preflightcache.Options{}, preflightcache.DefaultMaxKeys)
	for _, bc := range []struct {
		name string
		c    *preflightcache.Cache
		keys []preflightcache.Key
		hot  bool
	}{
		{name: "spread", c: c, keys: keys, hot: false},
		{name: "hot-key", c: c, keys: keys, hot: true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var next atomic.Uint64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := int(next.Add(1) * 7919)
				for pb.Next() {
					k := &bc.keys[0]
					if !bc.hot {
						k = &bc.keys[i%len(bc.keys)]
						i++
					}
					if bc.c.Lookup(*k, "PATCH", benchNeeded, t0) != preflightcache.Hit {
						b.Error("miss")
						return
					}
				}
			})
		})
	}
}
