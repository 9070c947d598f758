package httpcache

import (
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkMemory measures the heap one stored response takes, against
// what the cache charges it towards MaxBytes (entry.charge), for a small JSON answer with seven header fields and for
// a 10 KiB one: heap-B/entry is the growth of the live heap per entry,
// after a collection, with 2000 entries stored (the header maps handed to
// Store made for each, as responses are); charged-B/entry is Bytes() per
// entry. MaxBytes bounds the heap while the charge covers it, which the
// benchmark checks. See BENCHMARKS.md.
func BenchmarkMemory(b *testing.B) {
	for _, size := range []int{64, 10 << 10} {
		b.Run(strconv.Itoa(size)+"B-body", func(b *testing.B) {
			const n = 2000
			var heap, charged float64
			for b.Loop() {
				heap, charged = storedBytes(n, size)
			}
			b.ReportMetric(heap, "heap-B/entry")
			b.ReportMetric(charged, "charged-B/entry")
			if heap > charged {
				b.Errorf("an entry takes %.0f bytes of heap but is charged %.0f: MaxBytes does not bound the heap", heap, charged)
			}
		})
	}
}

// storedBytes stores n responses with bodies of size bytes in a new Cache
// and returns the live heap and the bytes charged per entry.
func storedBytes(n, size int) (heap, charged float64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := New(&Options{MaxBytes: 1 << 30})
	sent := http.Header{"Origin": {"https://app.example"}, "Accept": {"*/*"}}
	body := strings.Repeat("x", size)
	for i := range n {
		u := "https://api.example/v1/items/" + strconv.Itoa(i)
		h := http.Header{
			"Access-Control-Allow-Origin": {"https://app.example"},
			"Cache-Control":               {"max-age=600"},
			"Content-Type":                {"application/json"},
			"Content-Length":              {strconv.Itoa(size)},
			"Date":                        {"Sun, 29 Nov 2026 23:00:00 GMT"},
			"Etag":                        {`"` + strconv.Itoa(i) + `-abcdef"`},
			"Vary":                        {"Origin"},
		}
		c.Store(Key{Partition: "https://app.example", URL: u}, sent, 200, "200 OK", h, []byte(body), t0, t0)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap = float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
	charged = float64(c.Bytes()) / float64(n)
	runtime.KeepAlive(c)
	return heap, charged
}
