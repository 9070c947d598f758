package fetch_test

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
)

// TestHTTPCache checks Transport.HTTPCache against RFC 9111 and the
// recordings (cache-http-cache-fresh, cache-http-cache-no-store-mode,
// div-cache-mode-no-cache-http): how many of two GETs reach the server.
func TestHTTPCache(t *testing.T) {
	tests := []struct {
		name, anchor, reason string
		fields               []string // response header fields
		second               fetch.CacheMode
		method1              string
		wait                 time.Duration
		wantRequests         int
	}{
		{"fresh", "RFC 9111 #section-4.2", "a fresh stored response answers (cache-http-cache-fresh)",
			[]string{"Cache-Control", "max-age=60"}, fetch.CacheDefault, "GET", 0, 1},
		{"stale", "RFC 9111 #section-4.2", "a stale one does not",
			[]string{"Cache-Control", "max-age=60"}, fetch.CacheDefault, "GET", 61 * time.Second, 2},
		{"stale, force-cache", "#concept-request-cache-mode", "force-cache takes a stale answer",
			[]string{"Cache-Control", "max-age=60"}, fetch.CacheForceCache, "GET", time.Hour, 1},
		{"no-store mode", "#concept-request-cache-mode", "no-store does not read the cache (cache-http-cache-no-store-mode)",
			[]string{"Cache-Control", "max-age=60"}, fetch.CacheNoStore, "GET", 0, 2},
		{"no-cache mode", "#concept-request-cache-mode", "no-cache goes to the network (div-cache-mode-no-cache-http)",
			[]string{"Cache-Control", "max-age=60"}, fetch.CacheNoCache, "GET", 0, 2},
		{"no-store response", "RFC 9111 #section-5.2.2.5", "a no-store response is not stored",
			[]string{"Cache-Control", "no-store, max-age=60"}, fetch.CacheDefault, "GET", 0, 2},
		{"no freshness", "RFC 9111 #section-4.2.1", "without max-age or Expires nothing is stored (no heuristic freshness)",
			nil, fetch.CacheDefault, "GET", 0, 2},
		{"Vary: *", "RFC 9111 #section-4.1", "Vary: * never matches",
			[]string{"Cache-Control", "max-age=60", "Vary", "*"}, fetch.CacheDefault, "GET", 0, 2},
		{"Expires", "RFC 9111 #section-4.2.1", "Expires minus Date is the lifetime",
			[]string{"Date", "Mon, 01 Jan 2024 00:00:00 GMT", "Expires", "Mon, 01 Jan 2024 00:01:00 GMT"}, fetch.CacheDefault, "GET", 0, 1},
		{"POST first", "RFC 9111 #section-4.4", "a POST response is not stored and invalidates",
			[]string{"Cache-Control", "max-age=60"}, fetch.CacheDefault, "POST", 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header().Set("Access-Control-Allow-Origin", "*")
				for i := 0; i+1 < len(tt.fields); i += 2 {
					w.Header().Set(tt.fields[i], tt.fields[i+1])
				}
				w.Write([]byte("body " + strconv.Itoa(int(n.Load()))))
			})
			now := time.Unix(1e9, 0)
			tr := &fetch.Transport{Origin: page, HTTPCache: true, Now: func() time.Time { return now }}
			if _, err := do(t, tr, tt.method1, srv.URL+"/r", nil, fetch.Options{}); err != nil {
				t.Fatal(err)
			}
			now = now.Add(tt.wait)
			resp, err := do(t, tr, "GET", srv.URL+"/r", nil, fetch.Options{Cache: tt.second})
			if err != nil {
				t.Fatal(err)
			}
			if got := int(n.Load()); got != tt.wantRequests {
				t.Errorf("%s: the server saw %d requests, want %d (%s)", tt.anchor, got, tt.wantRequests, tt.reason)
			}
			if fetch.TypeOf(resp) != fetch.TypeCORS {
				t.Errorf("type %v, want cors: a cached answer is filtered like any other", fetch.TypeOf(resp))
			}
		})
	}
}

// TestHTTPCacheRechecksCORS checks that a stored response is CORS-checked
// again for the request that reuses it: an answer stored from a request
// without credentials, with ACAO *, fails a credentialed request.
func TestHTTPCacheRechecksCORS(t *testing.T) {
	srv := newServer(t, "127.0.0.2", answer(200, "x", "Access-Control-Allow-Origin", "*", "Cache-Control", "max-age=60"))
	tr := &fetch.Transport{Origin: page, HTTPCache: true}
	if _, err := do(t, tr, "GET", srv.URL, nil, fetch.Options{}); err != nil {
		t.Fatal(err)
	}
	_, err := do(t, tr, "GET", srv.URL, nil, fetch.Options{Credentials: fetch.CredentialsInclude})
	if err == nil || err.Reason != fetch.ReasonWildcardOriginNotAllowed {
		t.Fatalf("got %v, want %s from the cached answer", err, fetch.ReasonWildcardOriginNotAllowed)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests; the second was answered from the cache", n)
	}
}
