package preflightcache_test

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/preflightcache"
)

// TestMillionsOfKeys stores millions of distinct URLs, a few names each,
// into a default cache and checks that the number of keys never exceeds
// the bound and that the heap after the flood is about what it was after
// the first fill. An unbounded cache would grow by hundreds of megabytes.
func TestMillionsOfKeys(t *testing.T) {
	keys := 2_000_000
	if raceEnabled {
		keys = 500_000 // the race detector makes each Store several times slower
	}
	c := preflightcache.New(preflightcache.Options{})
	hot := preflightcache.Key{Origin: "https://app.example", URL: "https://api.example/hot"}
	methods := []string{"PUT", "DELETE"}
	headers := []string{"X-Request-Id", "Content-Type"}
	buf := []byte("https://api.example/items/")
	prefix := len(buf)
	now := t0

	store := func(i int) {
		buf = strconv.AppendInt(buf[:prefix], int64(i), 10)
		k := preflightcache.Key{Origin: hot.Origin, URL: string(buf)}
		c.Store(k, methods, headers, time.Hour, now)
		if i%64 == 0 { // a key in steady use
			c.Store(hot, methods, headers, time.Hour, now)
			if !c.Covers(hot, "PUT", headers, now) {
				t.Fatalf("after %d keys: the key in use was evicted", i)
			}
		}
		now = now.Add(time.Millisecond)
	}

	warm := 4 * preflightcache.DefaultMaxKeys
	for i := range warm {
		store(i)
	}
	before := heapInUse()
	for i := warm; i < keys; i++ {
		store(i)
		if i%(1<<16) == 0 {
			if n := c.Stats().Keys; n > preflightcache.DefaultMaxKeys {
				t.Fatalf("after %d keys: Stats().Keys = %d; want at most %d", i, n, preflightcache.DefaultMaxKeys)
			}
		}
	}
	after := heapInUse()
	st := c.Stats()
	if st.Keys > preflightcache.DefaultMaxKeys {
		t.Errorf("Stats().Keys = %d; want at most %d", st.Keys, preflightcache.DefaultMaxKeys)
	}
	if want := uint64(keys + 1 - st.Keys); st.Evictions+st.Expired != want {
		t.Errorf("Stats() = %+v: %d keys evicted or expired; want %d", st, st.Evictions+st.Expired, want)
	}
	// The cache's own data is under 1 MiB (1024 keys of a few hundred
	// bytes); allow 4 MiB of noise from the runtime.
	const slack = 4 << 20
	if after > before+slack {
		t.Errorf("heap in use grew from %d to %d bytes over %d keys; want at most %d more", before, after, keys-warm, slack)
	}
	t.Logf("%d keys: heap in use %d -> %d bytes; %+v", keys, before, after, st)
	runtime.KeepAlive(c)
}

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
