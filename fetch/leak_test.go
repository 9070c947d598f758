package fetch_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
)

// TestBlockedResponsesReuseConnections checks that the body of a response
// the page may not read is drained and closed, so that its connection
// serves the next request: twenty blocked fetches and twenty opaque ones use
// one connection.
func TestBlockedResponsesReuseConnections(t *testing.T) {
	srv := newServer(t, "127.0.0.2", answer(200, strings.Repeat("x", 4096)))
	base := &http.Transport{}
	defer base.CloseIdleConnections()
	tr := &fetch.Transport{Origin: page, Base: base}
	for i := 0; i < 20; i++ {
		if _, err := do(t, tr, "GET", srv.URL, nil, fetch.Options{}); err == nil || err.Reason != fetch.ReasonMissingAllowOriginHeader {
			t.Fatalf("got %v, want a blocked fetch", err)
		}
		resp, err := do(t, tr, "GET", srv.URL, nil, fetch.Options{Mode: fetch.ModeNoCORS})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if n := srv.connections(); n != 1 {
		t.Errorf("%d connections for 40 sequential requests; want 1", n)
	}
}

// TestConcurrentUse runs many goroutines of mixed requests through one
// Transport (run it with -race), then checks that no goroutine is left
// behind once idle connections are closed.
func TestConcurrentUse(t *testing.T) {
	srv := newServer(t, "127.0.0.2", withPreflight(
		echoOrigin("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x-n"),
		func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/blocked" {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			}
			io.WriteString(w, "ok")
		}))
	before := runtime.NumGoroutine()
	base := &http.Transport{MaxIdleConnsPerHost: 8}
	tr := &fetch.Transport{Origin: page, Base: base}
	const n = 400
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var req *http.Request
			wantOK := true
			switch i % 4 {
			case 0:
				req, _ = http.NewRequest("PUT", fmt.Sprintf("%s/r%d", srv.URL, i%7), strings.NewReader("b"))
				req.Header.Set("X-N", "1")
			case 1:
				req, _ = http.NewRequest("GET", srv.URL+"/simple", nil)
			case 2:
				req, _ = http.NewRequest("GET", srv.URL+"/blocked", nil)
				wantOK = false
			case 3:
				req, _ = http.NewRequest("GET", srv.URL+"/blocked", nil)
				req = fetch.WithOptions(req, fetch.Options{Mode: fetch.ModeNoCORS})
			}
			resp, err := tr.RoundTrip(req)
			if (err == nil) != wantOK {
				errs <- fmt.Errorf("request %d: error %v, want ok %v", i, err, wantOK)
				return
			}
			if resp != nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	base.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after, %d before:\n%s", g, before, buf[:runtime.Stack(buf, true)])
	}
}
