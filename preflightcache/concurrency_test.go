package preflightcache_test

import (
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/preflightcache"
)

// TestConcurrentOwnKeys has many goroutines store, look up and clear keys
// of their own next to a hot key everyone reads, and checks every answer:
// with MaxKeys far above the keys in use nothing is evicted, so a goroutine
// always sees its own writes. Run it with -race.
func TestConcurrentOwnKeys(t *testing.T) {
	const (
		goroutines = 64
		rounds     = 300
	)
	c := preflightcache.New(preflightcache.Options{MaxKeys: 1 << 16})
	hot := preflightcache.Key{Origin: "https://app.example", URL: "https://api.example/hot"}
	c.Store(hot, []string{"PUT"}, []string{"X-Hot"}, time.Hour, t0)

	var lookups atomic.Uint64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				now := t0.Add(time.Duration(i) * time.Millisecond)
				k := preflightcache.Key{
					Origin:      "https://app.example",
					URL:         "https://api.example/g" + strconv.Itoa(g) + "/" + strconv.Itoa(i%10),
					Credentials: i%2 == 0,
				}
				c.Store(k, []string{"DELETE"}, []string{"X-Own"}, time.Minute, now)
				if got := c.Lookup(k, "DELETE", []string{"x-own"}, now); got != preflightcache.Hit {
					t.Errorf("goroutine %d round %d: Lookup(own key) right after Store = %v; want hit", g, i, got)
					return
				}
				if got := c.Lookup(hot, "PUT", []string{"x-hot"}, now); got != preflightcache.Hit {
					t.Errorf("goroutine %d round %d: Lookup(hot key) = %v; want hit", g, i, got)
					return
				}
				c.Clear(k)
				if got := c.Lookup(k, "DELETE", nil, now); got != preflightcache.Miss {
					t.Errorf("goroutine %d round %d: Lookup(own key) after Clear = %v; want miss", g, i, got)
					return
				}
				lookups.Add(3)
			}
		}()
	}
	wg.Wait()
	st := c.Stats()
	if total := st.Hits + st.Misses + st.StaleHits; total != lookups.Load() {
		t.Errorf("Stats() counts %d look-ups (%+v); want %d", total, st, lookups.Load())
	}
	if st.Hits != 2*lookups.Load()/3 || st.Keys != 1 || st.Evictions != 0 {
		t.Errorf("Stats() = %+v; want %d hits, 1 key, no evictions", st, 2*lookups.Load()/3)
	}
}

// TestConcurrentBound has many goroutines store distinct keys into a small
// cache while others look up and clear, and checks the bound while they
// run and the counters after.
func TestConcurrentBound(t *testing.T) {
	const (
		maxKeys    = 300
		goroutines = 32
		stores     = 2000
	)
	c := preflightcache.New(preflightcache.Options{MaxKeys: maxKeys})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var watched atomic.Int64
	go func() { // the watcher
		for {
			select {
			case <-stop:
				return
			default:
			}
			if st := c.Stats(); st.Keys > maxKeys {
				t.Errorf("Stats().Keys = %d while storing; want at most %d", st.Keys, maxKeys)
				return
			}
			watched.Add(1)
			runtime.Gosched()
		}
	}()
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range stores {
				now := t0.Add(time.Duration(i) * time.Millisecond)
				k := preflightcache.Key{Origin: "https://app.example", URL: "https://api.example/" + strconv.Itoa(g) + "/" + strconv.Itoa(i)}
				// Short max-ages make some keys expire and be reclaimed.
				c.Store(k, []string{"PUT", "PATCH"}, []string{"X-A"}, time.Duration(1+i%50)*time.Millisecond, now)
				c.Lookup(k, "PUT", []string{"x-a"}, now)
				if i%7 == 0 {
					c.Clear(k)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	st := c.Stats()
	if st.Keys > maxKeys {
		t.Errorf("Stats().Keys = %d after storing; want at most %d", st.Keys, maxKeys)
	}
	if st.Hits+st.Misses+st.StaleHits != goroutines*stores {
		t.Errorf("Stats() = %+v: %d look-ups counted; want %d", st, st.Hits+st.Misses+st.StaleHits, goroutines*stores)
	}
	// Every stored key is still held, was evicted, was reclaimed once
	// expired, or was cleared; a Clear may find its key already evicted,
	// so the keys gone by Clear are between none and the Clear calls.
	clears := int64(goroutines * ((stores + 6) / 7))
	byClear := int64(goroutines*stores) - int64(st.Keys) - int64(st.Evictions) - int64(st.Expired)
	if byClear < 0 || byClear > clears {
		t.Errorf("Stats() = %+v: %d keys unaccounted for after %d Clear calls", st, byClear, clears)
	}
	t.Logf("%+v; bound checked %d times while storing", st, watched.Load())
}
