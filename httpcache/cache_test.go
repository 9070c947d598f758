package httpcache

import (
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func TestParseCacheControl(t *testing.T) {
	tests := []struct {
		values []string
		want   Directives
		rfc    string
	}{
		{values: []string{"max-age=60"}, want: Directives{"max-age": "60"}, rfc: "5.2.2.1"},
		{values: []string{"No-Store, MAX-AGE=5"}, want: Directives{"no-store": "", "max-age": "5"}, rfc: "5.2: names are case-insensitive"},
		{values: []string{`private="Set-Cookie, X", max-age=1`}, want: Directives{"private": "Set-Cookie, X", "max-age": "1"}, rfc: "5.2.2.7: a quoted list with commas"},
		{values: []string{"max-age=60", "max-age=0"}, want: Directives{"max-age": "60"}, rfc: "4.2.1: the first of duplicates"},
		{values: []string{" , ,no-cache,"}, want: Directives{"no-cache": ""}, rfc: "5.2: empty elements"},
		{values: []string{`x="a\"b"`}, want: Directives{"x": `a"b`}, rfc: "RFC 9110 5.6.4: quoted-pair"},
		{values: []string{"bad name=1, ok"}, want: Directives{"ok": ""}, rfc: "5.2: a name must be a token"},
	}
	for _, tt := range tests {
		got := ParseCacheControl(tt.values)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("ParseCacheControl(%q) = %v; want %v (RFC 9111 %s)", tt.values, got, tt.want, tt.rfc)
		}
	}
}

func TestVaryNames(t *testing.T) {
	tests := []struct {
		vary  []string
		names []string
		star  bool
	}{
		{vary: []string{"Origin"}, names: []string{"Origin"}},
		{vary: []string{"origin, accept-encoding", "ORIGIN"}, names: []string{"Origin", "Accept-Encoding"}},
		{vary: []string{"Origin, *"}, names: []string{"Origin"}, star: true},
		{vary: nil},
	}
	for _, tt := range tests {
		names, star := VaryNames(http.Header{"Vary": tt.vary})
		if fmt.Sprint(names) != fmt.Sprint(tt.names) || star != tt.star {
			t.Errorf("VaryNames(%q) = %q, %v; want %q, %v", tt.vary, names, star, tt.names, tt.star)
		}
	}
}

// header builds a header from name, value pairs.
func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// TestFreshness checks storability and freshness over time (RFC 9111
// sections 3 and 4.2).
func TestFreshness(t *testing.T) {
	date := t0.Format(http.TimeFormat)
	tests := []struct {
		desc     string
		status   int
		header   http.Header
		storable bool
		freshFor time.Duration // fresh before, stale at and after; 0: stale at once
		rfc      string
	}{
		{desc: "max-age", status: 200, header: header("Cache-Control", "max-age=60"), storable: true, freshFor: time.Minute, rfc: "4.2.1"},
		{desc: "max-age beats Expires", status: 200, header: header("Cache-Control", "max-age=10", "Expires", t0.Add(time.Hour).Format(http.TimeFormat), "Date", date), storable: true, freshFor: 10 * time.Second, rfc: "4.2.1"},
		{desc: "s-maxage is for shared caches", status: 200, header: header("Cache-Control", "s-maxage=60", "Etag", `"a"`), storable: true, freshFor: 0, rfc: "5.2.2.10"},
		{desc: "Expires minus Date", status: 200, header: header("Expires", t0.Add(30*time.Second).Format(http.TimeFormat), "Date", date), storable: true, freshFor: 30 * time.Second, rfc: "4.2.1"},
		{desc: "invalid Expires is in the past", status: 200, header: header("Expires", "0", "Date", date), storable: true, freshFor: 0, rfc: "5.3"},
		{desc: "heuristic: 10% of the time since Last-Modified", status: 200, header: header("Last-Modified", t0.Add(-100*time.Hour).Format(http.TimeFormat), "Date", date), storable: true, freshFor: 10 * time.Hour, rfc: "4.2.2"},
		{desc: "no heuristic for 201", status: 201, header: header("Last-Modified", t0.Add(-100*time.Hour).Format(http.TimeFormat)), storable: false, rfc: "4.2.2"},
		{desc: "no-store", status: 200, header: header("Cache-Control", "no-store, max-age=60"), storable: false, rfc: "5.2.2.5"},
		{desc: "no-cache is stored, never fresh", status: 200, header: header("Cache-Control", "no-cache, max-age=60"), storable: true, freshFor: 0, rfc: "5.2.2.4"},
		{desc: "nothing to reuse it by", status: 200, header: header("Content-Type", "text/plain"), storable: false, rfc: "3"},
		{desc: "206 is not stored", status: 206, header: header("Cache-Control", "max-age=60"), storable: false, rfc: "3.3"},
		{desc: "Age counts", status: 200, header: header("Cache-Control", "max-age=60", "Age", "50"), storable: true, freshFor: 10 * time.Second, rfc: "4.2.3"},
		{desc: "huge max-age", status: 200, header: header("Cache-Control", "max-age=99999999999999999999"), storable: true, freshFor: (1 << 31) * time.Second, rfc: "1.2.2"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := New(nil)
			k := Key{Partition: "https://a.example", URL: "https://b.example/r"}
			if got := c.Store(k, nil, tt.status, "", tt.header, []byte("body"), t0, t0); got != tt.storable {
				t.Fatalf("Store = %v; want %v (RFC 9111 section %s)", got, tt.storable, tt.rfc)
			}
			if !tt.storable {
				return
			}
			if tt.freshFor > 0 {
				if s := c.Lookup(k, nil, t0.Add(tt.freshFor-time.Second)); s == nil || !s.Fresh {
					t.Errorf("%v after storing: not fresh; want fresh until %v (RFC 9111 section %s)", tt.freshFor-time.Second, tt.freshFor, tt.rfc)
				}
			}
			if s := c.Lookup(k, nil, t0.Add(tt.freshFor)); s == nil || s.Fresh {
				t.Errorf("%v after storing: fresh; want stale (RFC 9111 section %s)", tt.freshFor, tt.rfc)
			}
		})
	}
}

// TestVaryAndPartitions checks that a stored response answers only a
// request with the same values for its Vary names, in the same partition.
func TestVaryAndPartitions(t *testing.T) {
	c := New(nil)
	k := Key{Partition: "https://a.example", URL: "https://api.example/r"}
	sent := header("Origin", "https://a.example", "Accept", "*/*")
	c.Store(k, sent, 200, "200 OK", header("Cache-Control", "max-age=60", "Vary", "Origin"), []byte("x"), t0, t0)
	if c.Lookup(k, header("Origin", "https://a.example", "Accept", "text/html"), t0) == nil {
		t.Error("a field not in Vary made a difference")
	}
	if c.Lookup(k, header("Origin", "https://p.a.example"), t0) != nil {
		t.Error("another Origin matched Vary: Origin")
	}
	if c.Lookup(k, nil, t0) != nil {
		t.Error("a request without Origin matched Vary: Origin")
	}
	if c.Lookup(Key{Partition: "https://other.example", URL: k.URL}, sent, t0) != nil {
		t.Error("another partition found the entry")
	}
}

// TestFreshen checks that a 304 updates the stored fields, but those that
// describe the body, and makes the response fresh again (RFC 9111 section
// 4.3.4).
func TestFreshen(t *testing.T) {
	c := New(nil)
	k := Key{Partition: "p", URL: "https://b.example/r"}
	c.Store(k, nil, 200, "200 OK", header("Cache-Control", "max-age=0", "Etag", `"v1"`, "Content-Length", "4", "X-Old", "1", "Access-Control-Allow-Origin", "*"), []byte("body"), t0, t0)
	s := c.Lookup(k, nil, t0.Add(time.Second))
	if s == nil || s.Fresh || s.ETag != `"v1"` {
		t.Fatalf("Lookup = %+v; want a stale response with its ETag", s)
	}
	s = c.Freshen(k, header("Cache-Control", "max-age=60", "Content-Length", "0", "X-New", "2"), t0.Add(2*time.Second), t0.Add(2*time.Second))
	if s == nil || !s.Fresh || string(s.Body) != "body" {
		t.Fatalf("Freshen = %+v; want the stored body, fresh", s)
	}
	if s.Header.Get("Content-Length") != "4" || s.Header.Get("X-New") != "2" || s.Header.Get("X-Old") != "1" || s.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("freshened header %v; want the 304's fields merged in, Content-Length kept", s.Header)
	}
}

// TestBounds checks that the cache keeps within MaxBytes, dropping the least
// recently used entries, and refuses bodies over MaxBodyBytes.
func TestBounds(t *testing.T) {
	c := New(&Options{MaxBytes: 10 * (1000 + entryOverhead + 64), MaxBodyBytes: 2000})
	h := header("Cache-Control", "max-age=60")
	body := []byte(strings.Repeat("x", 1000))
	for i := range 20 {
		c.Store(Key{URL: fmt.Sprint(i)}, nil, 200, "", h, body, t0, t0)
		c.Lookup(Key{URL: "0"}, nil, t0) // keep the first one in use
	}
	if c.Bytes() > 10*(1000+entryOverhead+64) || c.Len() > 10 {
		t.Errorf("%d entries, %d bytes; over the bound", c.Len(), c.Bytes())
	}
	if c.Lookup(Key{URL: "0"}, nil, t0) == nil || c.Lookup(Key{URL: "1"}, nil, t0) != nil {
		t.Error("the least recently used entries were not the ones evicted")
	}
	if c.Store(Key{URL: "big"}, nil, 200, "", h, make([]byte, 2001), t0, t0) {
		t.Error("a body over MaxBodyBytes was stored")
	}
}

// TestConcurrent stores and looks up from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	c := New(&Options{MaxBytes: 64 << 10})
	h := header("Cache-Control", "max-age=60", "Vary", "Origin")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				k := Key{Partition: fmt.Sprint(g % 2), URL: fmt.Sprint(i % 50)}
				c.Store(k, header("Origin", "o"), 200, "", h, []byte("body"), t0, t0)
				c.Lookup(k, header("Origin", "o"), t0)
				if i%7 == 0 {
					c.Invalidate(k)
				}
			}
		}()
	}
	wg.Wait()
	if c.Bytes() > 64<<10 {
		t.Errorf("%d bytes over the bound", c.Bytes())
	}
}

func FuzzParseCacheControl(f *testing.F) {
	for _, s := range []string{"max-age=60, no-cache", `private="a,b", x="\"y"`, ",,=,", `a="`, "MAX-AGE=1", "no-\u017ftore, No-Cache"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseCacheControl([]string{s})
		for _, name := range []string{"no-store", "max-age", "no-cache"} {
			if _, ok := d[name]; ok != hasDirective([]string{s}, name) {
				t.Fatalf("hasDirective(%q, %q) = %v; ParseCacheControl finds it: %v", s, name, !ok, ok)
			}
		}
		for name := range d {
			if name != strings.ToLower(name) || !isToken(name) {
				t.Fatalf("directive name %q is not a lower-case token", name)
			}
		}
		if _, ok := d["max-age"]; ok {
			if age := deltaSeconds(d["max-age"]); age < 0 || age > (1<<31)*time.Second {
				t.Fatalf("max-age %q read as %v", d["max-age"], age)
			}
		}
	})
}

func FuzzVaryNames(f *testing.F) {
	for _, s := range []string{"Origin", "origin, *", " , x-a,X-A", "a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		names, _ := VaryNames(http.Header{"Vary": {s}})
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] || n != http.CanonicalHeaderKey(n) || !isToken(n) {
				t.Fatalf("VaryNames(%q) = %q: repeats or non-canonical names", s, names)
			}
			seen[n] = true
		}
	})
}

func BenchmarkLookupHit(b *testing.B) {
	c := New(nil)
	k := Key{Partition: "https://app.example", URL: "https://api.example/v1/items"}
	sent := header("Origin", "https://app.example", "Accept", "*/*")
	c.Store(k, sent, 200, "200 OK", header("Cache-Control", "max-age=600", "Vary", "Origin", "Content-Type", "application/json"), []byte(`{"items":[]}`), t0, t0)
	b.ReportAllocs()
	for b.Loop() {
		if s := c.Lookup(k, sent, t0); s == nil {
			b.Fatal("miss")
		}
	}
}

// BenchmarkLookupIntoHit is a hit as package fetch looks it up: the
// stored header shared, nothing allocated.
func BenchmarkLookupIntoHit(b *testing.B) {
	c := New(nil)
	k := Key{Partition: "https://app.example", URL: "https://api.example/v1/items"}
	sent := header("Origin", "https://app.example", "Accept", "*/*")
	c.Store(k, sent, 200, "200 OK", header("Cache-Control", "max-age=600", "Vary", "Origin", "Content-Type", "application/json"), []byte(`{"items":[]}`), t0, t0)
	var s Stored
	b.ReportAllocs()
	for b.Loop() {
		if !c.LookupInto(k, sent, t0, &s) {
			b.Fatal("miss")
		}
	}
}

// TestLookupIntoShares checks that LookupInto allocates nothing and lends
// the stored header itself, which a later Lookup still finds intact, and
// that Lookup's copy is the caller's to change.
func TestLookupIntoShares(t *testing.T) {
	c := New(nil)
	k := Key{URL: "https://api.example/r"}
	sent := header("Origin", "https://app.example")
	c.Store(k, sent, 200, "200 OK", header("Cache-Control", "max-age=600", "Vary", "Origin", "X-A", "1"), []byte("ok"), t0, t0)
	var s Stored
	if n := testing.AllocsPerRun(100, func() { c.LookupInto(k, sent, t0, &s) }); n != 0 {
		t.Errorf("LookupInto allocates %v times per hit; want 0", n)
	}
	if !c.LookupInto(k, sent, t0, &s) || !s.Fresh || s.Header.Get("X-A") != "1" {
		t.Fatalf("LookupInto = %+v; want the fresh stored response", s)
	}
	var s2 Stored
	c.LookupInto(k, sent, t0, &s2)
	if reflect.ValueOf(s.Header).UnsafePointer() != reflect.ValueOf(s2.Header).UnsafePointer() {
		t.Error("two LookupInto calls returned different maps; want the stored header shared")
	}
	if c.LookupInto(k, header("Origin", "https://evil.example"), t0, &s2) {
		t.Error("LookupInto matched a request whose Vary value differs")
	}
	cp := c.Lookup(k, sent, t0)
	cp.Header.Set("X-A", "2")
	if got := c.Lookup(k, sent, t0).Header.Get("X-A"); got != "1" {
		t.Errorf("after changing Lookup's copy the stored X-A is %q; want 1", got)
	}
}

func BenchmarkLookupMiss(b *testing.B) {
	c := New(nil)
	k := Key{Partition: "https://app.example", URL: "https://api.example/v1/items"}
	b.ReportAllocs()
	for b.Loop() {
		if s := c.Lookup(k, nil, t0); s != nil {
			b.Fatal("hit")
		}
	}
}

// TestConcurrentFreshen looks a response up from many goroutines while
// another freshens and replaces it: Lookup reads entries outside the lock,
// so Freshen must never change one in place (run with -race).
func TestConcurrentFreshen(t *testing.T) {
	c := New(nil)
	k := Key{URL: "https://api.example/r"}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{"Cache-Control": {"max-age=60"}, "Etag": {`"1"`}, "Vary": {"Accept"}}
	sent := http.Header{"Accept": {"*/*"}}
	c.Store(k, sent, 200, "200 OK", h, []byte("ok"), t0, t0)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				if s := c.Lookup(k, sent, t0); s != nil && s.Header.Get("Etag") == "" {
					t.Error("a stored response without its ETag")
				}
			}
		}()
	}
	for i := range 500 {
		c.Freshen(k, http.Header{"Cache-Control": {"max-age=" + strconv.Itoa(60+i)}}, t0, t0)
		if i%50 == 0 {
			c.Store(k, sent, 200, "200 OK", h, []byte("ok"), t0, t0)
		}
	}
	wg.Wait()
	if c.Len() != 1 {
		t.Errorf("%d entries, want 1", c.Len())
	}
}
