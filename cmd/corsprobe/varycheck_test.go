package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestVaryCheck probes servers that cache their answers in the ways
// common middlewares do, and checks when the Vary check runs, what it
// sends and when it warns.
func TestVaryCheck(t *testing.T) {
	t.Parallel()
	const lastModified = "Mon, 02 Jan 2006 15:04:05 GMT"
	for _, tt := range []struct {
		name    string
		cache   string // Cache-Control, or "" for none
		lm      bool   // Last-Modified set
		vary    bool   // Vary: Origin on every response
		acao    string // "echo" for an allow-list, "*"
		always  bool   // CORS headers without an Origin too
		args    []string
		ran     bool // vary_check is set
		blocks  bool // would_block, and the warning
		allowed string
	}{
		{name: "allow-list, max-age, no Vary", cache: "max-age=600", acao: "echo", ran: true, blocks: true, allowed: ""},
		{name: "allow-list, max-age, Vary: Origin", cache: "max-age=600", acao: "echo", vary: true},
		{name: "star only with an Origin", cache: "public, max-age=600", acao: "*", ran: true, blocks: true, allowed: ""},
		{name: "star on every response", cache: "max-age=600", acao: "*", always: true, ran: true, allowed: "*"},
		{name: "heuristic freshness", lm: true, acao: "echo", ran: true, blocks: true},
		{name: "no-store", cache: "no-store, max-age=600", acao: "echo"},
		{name: "no-cache", cache: "no-cache", acao: "echo"},
		{name: "max-age=0", cache: "max-age=0", acao: "echo"},
		{name: "not cacheable", acao: "echo"},
		{name: "POST", cache: "max-age=600", acao: "echo", args: []string{"-X", "POST"}},
		{name: "no-cors probe", cache: "max-age=600", acao: "echo", args: []string{"-mode", "no-cors"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var seen []http.Header
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				seen = append(seen, r.Header.Clone())
				mu.Unlock()
				if tt.cache != "" {
					w.Header().Set("Cache-Control", tt.cache)
				}
				if tt.lm {
					w.Header().Set("Last-Modified", lastModified)
				}
				if tt.vary {
					w.Header().Set("Vary", "Origin")
				}
				switch o := r.Header.Get("Origin"); {
				case tt.acao == "*" && (o != "" || tt.always):
					w.Header().Set("Access-Control-Allow-Origin", "*")
				case tt.acao == "echo" && o == testPage:
					w.Header().Set("Access-Control-Allow-Origin", o)
				}
			}))
			defer srv.Close()
			args := append(append([]string{"-json", "-origin", testPage}, tt.args...), srv.URL+"/data")
			_, out, errOut := runCORS(t, args...)
			var r Report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v\n%s%s", err, out, errOut)
			}
			vc := r.VaryCheck
			if (vc != nil) != tt.ran {
				t.Fatalf("vary_check = %+v; want it run: %v", vc, tt.ran)
			}
			warned := hasWarning(r, warnCacheableWithoutVary)
			if warned != tt.blocks || vc != nil && vc.WouldBlock != tt.blocks {
				t.Errorf("warning %v, vary_check %+v; want a warning and would_block: %v", warned, vc, tt.blocks)
			}
			if vc == nil {
				return
			}
			if vc.Requests != 1 || vc.Status != http.StatusOK || vc.AllowOrigin != tt.allowed || vc.Cacheable == "" {
				t.Errorf("vary_check = %+v; want 1 request answered 200 with Access-Control-Allow-Origin %q", vc, tt.allowed)
			}
			mu.Lock()
			defer mu.Unlock()
			last := seen[len(seen)-1]
			if last.Get("Origin") != "" || last.Get("Cookie") != "" || last.Get("Sec-Fetch-Mode") != "no-cors" {
				t.Errorf("the check sent Origin %q, Cookie %q, Sec-Fetch-Mode %q; want no Origin, no cookies, no-cors",
					last.Get("Origin"), last.Get("Cookie"), last.Get("Sec-Fetch-Mode"))
			}
		})
	}
}

func hasWarning(r Report, code string) bool {
	for _, w := range r.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

// TestServedFromCache checks the gate of the Vary check: when the
// browser's HTTP cache would serve a stored answer to a later request
// without asking the server (package httpcache decides; RFC 9111).
func TestServedFromCache(t *testing.T) {
	t.Parallel()
	now := time.Now()
	at := func(d time.Duration) string { return now.Add(d).UTC().Format(http.TimeFormat) }
	withOrigin, without := http.Header{"Origin": {testPage}}, http.Header{}
	for _, tt := range []struct {
		name         string
		status       int
		h            http.Header
		stored, sent http.Header
		want         bool
		why          string // freshBecause, when served
	}{
		{name: "max-age", status: 200, h: http.Header{"Cache-Control": {"public, max-age=60"}}, want: true, why: "Cache-Control: max-age=60"},
		{name: "max-age=0", status: 200, h: http.Header{"Cache-Control": {"max-age=0"}}},
		{name: "no-store", status: 200, h: http.Header{"Cache-Control": {"max-age=60, no-store"}}},
		{name: "no-cache: validated first", status: 200, h: http.Header{"Cache-Control": {"no-cache, max-age=60"}}},
		{name: "s-maxage is for shared caches", status: 200, h: http.Header{"Cache-Control": {"s-maxage=60"}}},
		{name: "Vary: Origin, another Origin", status: 200, h: http.Header{"Cache-Control": {"max-age=60"}, "Vary": {"Origin"}}, stored: withOrigin, sent: without},
		{name: "Vary: Origin, the same Origin", status: 200, h: http.Header{"Cache-Control": {"max-age=60"}, "Vary": {"Origin"}}, stored: withOrigin, sent: withOrigin, want: true, why: "Cache-Control: max-age=60"},
		{name: "Vary: *", status: 200, h: http.Header{"Cache-Control": {"max-age=60"}, "Vary": {"*"}}},
		{name: "Expires", status: 200, h: http.Header{"Expires": {at(time.Hour)}, "Date": {at(0)}}, want: true, why: "Expires: " + at(time.Hour)},
		{name: "Expires in the past", status: 200, h: http.Header{"Expires": {at(-time.Hour)}, "Date": {at(0)}}},
		{name: "heuristic", status: 200, h: http.Header{"Last-Modified": {at(-24 * time.Hour)}, "Date": {at(0)}}, want: true, why: "Last-Modified: " + at(-24*time.Hour) + ", without max-age or Expires, so heuristically fresh"},
		{name: "no heuristic for 500", status: 500, h: http.Header{"Last-Modified": {at(-24 * time.Hour)}}},
		{name: "nothing", status: 200, h: http.Header{}},
	} {
		got := servedFromCache(&RawResponse{Status: tt.status, Headers: tt.h}, tt.stored, tt.sent)
		if (got != nil) != tt.want {
			t.Errorf("%s: served = %v; want %v", tt.name, got != nil, tt.want)
		}
		if got != nil && freshBecause(tt.h) != tt.why {
			t.Errorf("%s: freshBecause = %q; want %q", tt.name, freshBecause(tt.h), tt.why)
		}
	}
}
