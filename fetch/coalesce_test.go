package fetch_test

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
)

// slowPreflightServer answers preflights after delay, counting them.
func slowPreflightServer(tb testing.TB, delay time.Duration, allow string) (*server, *atomic.Int32) {
	var n atomic.Int32
	srv := newServer(tb, "127.0.0.2", withPreflight(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		time.Sleep(delay)
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Methods", allow)
		w.Header().Set("Access-Control-Max-Age", "0") // nothing cached: only coalescing saves preflights
	}, echoOrigin()))
	return srv, &n
}

// burst sends n concurrent PUTs through tr and returns how many failed.
func burst(tr *fetch.Transport, url string, n int) int {
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPut, url, nil)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				failed.Add(1)
				return
			}
			resp.Body.Close()
		}()
	}
	wg.Wait()
	return int(failed.Load())
}

// TestCoalescePreflights checks that concurrent identical requests share
// one preflight with CoalescePreflights, and each sends its own without
// (as browsers do), for successful and failing preflights alike.
func TestCoalescePreflights(t *testing.T) {
	for _, tt := range []struct {
		allow      string
		coalesce   bool
		wantFailed int
	}{
		{allow: "PUT", coalesce: false, wantFailed: 0}, {allow: "PUT", coalesce: true, wantFailed: 0}, {allow: "GET", coalesce: true, wantFailed: 16}, {allow: "GET", coalesce: false, wantFailed: 16},
	} {
		srv, n := slowPreflightServer(t, 200*time.Millisecond, tt.allow)
		tr := &fetch.Transport{Origin: page, CoalescePreflights: tt.coalesce}
		failed := burst(tr, srv.URL, 16)
		want := int32(16)
		if tt.coalesce {
			want = 1
		}
		if got := n.Load(); got != want || failed != tt.wantFailed {
			t.Errorf("allow %s, coalesce %v: %d preflights and %d failures for 16 concurrent requests; want %d and %d",
				tt.allow, tt.coalesce, got, failed, want, tt.wantFailed)
		}
	}
}

// BenchmarkCoalescedPreflights sends bursts of 64 concurrent PUTs that need
// the same preflight and reports the preflights sent per burst, with and
// without CoalescePreflights.
func BenchmarkCoalescedPreflights(b *testing.B) {
	for _, coalesce := range []bool{false, true} {
		name := "per-request"
		if coalesce {
			name = "coalesced"
		}
		b.Run(name, func(b *testing.B) {
			srv, n := slowPreflightServer(b, 5*time.Millisecond, "PUT")
			tr := &fetch.Transport{Origin: page, CoalescePreflights: coalesce, Base: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.ReportAllocs()
			for range b.N {
				if failed := burst(tr, srv.URL, 64); failed != 0 {
					b.Fatalf("%d requests failed", failed)
				}
			}
			b.ReportMetric(float64(n.Load())/float64(b.N), "preflights/burst")
		})
	}
}
