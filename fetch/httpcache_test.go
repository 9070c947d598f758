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
		{name: "fresh", anchor: "RFC 9111 #section-4.2", reason: "a fresh stored response answers (cache-http-cache-fresh)",
			fields: []string{"Cache-Control", "max-age=60"}, second: fetch.CacheDefault, method1: "GET", wait: 0, wantRequests: 1},
		{name: "stale", anchor: "RFC 9111 #section-4.2", reason: "a stale one does not",
			fields: []string{"Cache-Control", "max-age=60"}, second: fetch.CacheDefault, method1: "GET", wait: 61 * time.Second, wantRequests: 2},
		{name: "stale, force-cache", anchor: "#concept-request-cache-mode", reason: "force-cache takes a stale answer",
			fields: []string{"Cache-Control", "max-age=60"}, second: fetch.CacheForceCache, method1: "GET", wait: time.Hour, wantRequests: 1},
		{name: "no-store mode", anchor: "#concept-request-cache-mode", reason: "no-store does not read the cache (cache-http-cache-no-store-mode)",
			fields: []string{"Cache-Control", "max-age=60"}, second: fetch.CacheNoStore, method1: "GET", wait: 0, wantRequests: 2},
		{name: "no-cache mode", anchor: "#concept-request-cache-mode", reason: "no-cache goes to the network (div-cache-mode-no-cache-http)",
			fields: []string{"Cache-Control", "max-age=60"}, second: fetch.CacheNoCache, method1: "GET", wait: 0, wantRequests: 2},
		{name: "no-store response", anchor: "RFC 9111 #section-5.2.2.5", reason: "a no-store response is not stored",
			fields: []string{"Cache-Control", "no-store, max-age=60"}, second: fetch.CacheDefault, method1: "GET", wait: 0, wantRequests: 2},
		{name: "no freshness", anchor: "RFC 9111 #section-4.2.1", reason: "without max-age or Expires nothing is stored (no heuristic freshness)",
			fields: nil, second: fetch.CacheDefault, method1: "GET", wait: 0, wantRequests: 2},
		{name: "Vary: *", anchor: "RFC 9111 #section-4.1", reason: "Vary: * never matches",
			fields: []string{"Cache-Control", "max-age=60", "Vary", "*"}, second: fetch.CacheDefault, method1: "GET", wait: 0, wantRequests: 2},
		{name: "Expires", anchor: "RFC 9111 #section-4.2.1", reason: "Expires minus Date is the lifetime",
			fields: []string{"Date", "Mon, 01 Jan 2024 00:00:00 GMT", "Expires", "Mon, 01 Jan 2024 00:01:00 GMT"}, second: fetch.CacheDefault, method1: "GET", wait: 0, wantRequests: 1},
		{name: "POST first", anchor: "RFC 9111 #section-4.4", reason: "a POST response is not stored and invalidates",
			fields: []string{"Cache-Control", "max-age=60"}, second: fetch.CacheDefault, method1: "POST", wait: 0, wantRequests: 2},
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
