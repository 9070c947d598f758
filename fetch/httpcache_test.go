package fetch_test

import (
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
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

// TestHTTPCacheHitIsCallers checks that a response from the HTTP cache,
// which lends its stored header to the fetch, hands the caller a filtered
// copy (#concept-filtered-response-cors): changing it, or its values, does
// not change what later hits see, a hidden field stays hidden, and an
// opaque hit (#concept-filtered-response-opaque: status 0, no fields)
// leaves the stored header whole.
func TestHTTPCacheHitIsCallers(t *testing.T) {
	srv := newServer(t, "127.0.0.2", answer(200, "x", "Access-Control-Allow-Origin", "*", "Cache-Control", "max-age=60",
		"Access-Control-Expose-Headers", "X-A", "X-A", "1", "X-Secret", "s"))
	tr := &fetch.Transport{Origin: page, HTTPCache: true}
	check := func(step string) {
		t.Helper()
		resp, err := do(t, tr, "GET", srv.URL, nil, fetch.Options{})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := resp.Header.Get("X-A"); got != "1" || resp.Header.Get("X-Secret") != "" || string(body) != "x" {
			t.Errorf("%s: X-A %q, X-Secret %q, body %q; want the exposed field, the other hidden, the stored body", step, got, resp.Header.Get("X-Secret"), body)
		}
		resp.Header["X-A"][0] = "changed"
		resp.Header.Set("X-Secret", "leak")
	}
	check("network")
	check("first hit")
	check("second hit, after the caller changed the first")
	resp, err := do(t, tr, "GET", srv.URL, nil, fetch.Options{Mode: fetch.ModeNoCORS})
	if err != nil {
		t.Fatal(err)
	}
	if fetch.TypeOf(resp) != fetch.TypeOpaque || resp.StatusCode != 0 || len(resp.Header) != 0 {
		t.Errorf("no-cors hit: type %v, status %d, %d fields; want opaque, 0, none", fetch.TypeOf(resp), resp.StatusCode, len(resp.Header))
	}
	check("hit after an opaque hit")
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests reached the server; want 1, the rest answered by the cache", n)
	}
}

// TestHTTPCacheRevalidation checks the validation of a stale stored
// response: the conditional request carries its validator without making
// the request preflighted (the cache adds it after the CORS-preflight
// decision, #concept-http-network-or-cache-fetch), a 304 is answered with
// the stored body, the 304's fields freshen the stored response (RFC 9111
// #section-4.3.4) and its cookies are stored.
func TestHTTPCacheRevalidation(t *testing.T) {
	var n atomic.Int32
	// Same site, another origin: the cookie is first-party.
	srv := newServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Access-Control-Allow-Origin", "http://127.0.0.1:8000")
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.Header().Set("Set-Cookie", "revalidated=1; Path=/")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("stored body"))
	})
	now := time.Unix(1e9, 0)
	b := &fetch.Browser{Now: func() time.Time { return now }}
	tr := b.Page(page)
	include := fetch.Options{Credentials: fetch.CredentialsInclude}
	if _, err := do(t, tr, "GET", srv.URL+"/r", nil, include); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	resp, err := do(t, tr, "GET", srv.URL+"/r", nil, include)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d; a validated stored response keeps its status, 200", resp.StatusCode)
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != "stored body" {
		t.Errorf("body %q; want the stored body", body)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[1].Method != http.MethodGet {
		t.Fatalf("requests %v; want two GETs and no preflight", reqs)
	}
	if got := reqs[1].Header.Get("If-None-Match"); got != `"v1"` {
		t.Errorf("If-None-Match %q; want the stored ETag", got)
	}
	// Freshened by the 304's Cache-Control: the third is answered by the cache.
	now = now.Add(30 * time.Second)
	if _, err := do(t, tr, "GET", srv.URL+"/r", nil, include); err != nil {
		t.Fatal(err)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("%d requests reached the server; want 2, the 304 having freshened the stored response", got)
	}
	if got := b.CookieStore().Len(); got != 1 {
		t.Errorf("%d cookies stored; want the one the 304 set", got)
	}
}

// TestHTTPCacheRules checks the profiles' HTTP-cache rules: how many of two
// requests from pages of one Browser reach the server.
func TestHTTPCacheRules(t *testing.T) {
	include := fetch.Options{Credentials: fetch.CredentialsInclude}
	tests := []struct {
		name, scenario, reason string
		profile                fetch.Profile
		page2                  string // origin of the second page
		method1                string
		opts1, opts2           fetch.Options
		wantRequests           int
	}{
		{name: "partitioned", scenario: "page-httpcache-partition", reason: "another site's page has a partition of its own (#determine-the-http-cache-partition)",
			profile: fetch.Chrome, page2: "http://127.0.0.4:8000", method1: "GET", opts1: fetch.Options{}, opts2: fetch.Options{}, wantRequests: 2},
		{name: "unpartitioned", scenario: "page-httpcache-partition", reason: "WebKitGTK's cache serves every site's pages",
			profile: fetch.Safari, page2: "http://127.0.0.4:8000", method1: "GET", opts1: fetch.Options{}, opts2: fetch.Options{}, wantRequests: 1},
		{name: "one entry for credentials or not", scenario: "httpcache-credentials-include-then-omit", reason: "Chromium's key ignores credentials",
			profile: fetch.Chrome, page2: "http://127.0.0.1:8000", method1: "GET", opts1: include, opts2: fetch.Options{}, wantRequests: 1},
		{name: "keyed by credentials", scenario: "httpcache-credentials-include-then-omit", reason: "Firefox keeps anonymous loads apart",
			profile: fetch.Firefox, page2: "http://127.0.0.1:8000", method1: "GET", opts1: include, opts2: fetch.Options{}, wantRequests: 2},
		{name: "POST invalidates", scenario: "httpcache-post-invalidates", reason: "RFC 9111 #section-4.4",
			profile: fetch.Chrome, page2: "http://127.0.0.1:8000", method1: "POST", opts1: fetch.Options{}, opts2: fetch.Options{}, wantRequests: 3},
		{name: "POST keeps the GET", scenario: "httpcache-post-invalidates", reason: "Firefox does not invalidate",
			profile: fetch.Firefox, page2: "http://127.0.0.1:8000", method1: "POST", opts1: fetch.Options{}, opts2: fetch.Options{}, wantRequests: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
				// The stored answer must pass for the second page's origin.
				acao := r.Header.Get("Origin")
				if tt.page2 != page.String() {
					acao = "*"
				}
				w.Header().Set("Access-Control-Allow-Origin", acao)
				w.Header().Set("Access-Control-Allow-Credentials", "true")
				w.Header().Set("Cache-Control", "max-age=60")
				io.WriteString(w, r.Method)
			})
			b := &fetch.Browser{Profile: tt.profile}
			first := b.Page(page)
			second := b.Page(origin.MustParse(tt.page2))
			if _, err := do(t, first, "GET", srv.URL+"/r", nil, tt.opts1); err != nil {
				t.Fatal(err)
			}
			if tt.method1 != "GET" {
				if _, err := do(t, first, tt.method1, srv.URL+"/r", nil, fetch.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := do(t, second, "GET", srv.URL+"/r", nil, tt.opts2); err != nil {
				t.Fatal(err)
			}
			if got := len(srv.requests()); got != tt.wantRequests {
				t.Errorf("%s: %d requests reached the server, want %d (%s)", tt.scenario, got, tt.wantRequests, tt.reason)
			}
		})
	}
}
