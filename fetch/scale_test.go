package fetch_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/httpcache"
	"github.com/corsfetch/corsfetch/origin"
)

// BenchmarkBrowserParallel measures one Browser's throughput with many
// pages of many origins requesting at once (RunParallel; run it with
// -cpu 1,2 and more where there are cores): a simple GET, a PUT its
// origin's cached preflight serves, and a GET the HTTP cache answers. The
// pages share the browser's cookie store, preflight cache and HTTP cache,
// so a lock that serialised them would show as time/op that does not fall
// with more CPUs. See BENCHMARKS.md.
func BenchmarkBrowserParallel(b *testing.B) {
	const origins = 64
	pages := make([]origin.Origin, origins)
	for i := range pages {
		pages[i] = origin.MustParse("https://app" + strconv.Itoa(i) + ".example")
	}
	cases := []struct {
		name   string
		base   http.RoundTripper
		method string
		header http.Header
	}{
		{name: "simple-get", base: cannedBase{}, method: http.MethodGet},
		{name: "preflight-hit", base: cannedBase{}, method: http.MethodPut, header: http.Header{"Content-Type": {"application/json"}}},
		{name: "http-cache-hit", base: cacheableBase{}, method: http.MethodGet},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			br := &fetch.Browser{Base: c.base}
			trs := make([]*fetch.Transport, origins)
			for i, p := range pages {
				trs[i] = br.Page(p)
				fetch.TrustFreshHeaders(trs[i])
				// The first request of each page stores what the others reuse.
				if _, err := trs[i].RoundTrip(benchRequest(c.method, i, c.header)); err != nil {
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := int(next.Add(1))
				reqs := make([]*http.Request, origins)
				for j := range reqs {
					reqs[j] = benchRequest(c.method, j, c.header)
				}
				for pb.Next() {
					i++
					resp, err := trs[i%origins].RoundTrip(reqs[i%origins])
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		})
	}
}

// benchRequest returns a request of page i's to its API: one URL per page
// origin, so that the pages share the browser's caches but not entries.
func benchRequest(method string, i int, h http.Header) *http.Request {
	req, _ := http.NewRequest(method, "https://api.example/r/"+strconv.Itoa(i), nil)
	for k, v := range h {
		req.Header[k] = v
	}
	return req
}

// crawlBase answers every request with a cacheable page of 512 bytes and a
// cookie of the request's site, as a crawl meets them.
type crawlBase struct{}

var crawlBody = strings.Repeat("x", 512)

func (crawlBase) RoundTrip(req *http.Request) (*http.Response, error) {
	h := http.Header{
		"Cache-Control":  {"max-age=3600"},
		"Content-Type":   {"text/html"},
		"Content-Length": {"512"},
		"Set-Cookie":     {"visit=" + req.URL.Host + "; Path=/; Max-Age=3600"},
	}
	return &http.Response{StatusCode: http.StatusOK, Header: h, Body: io.NopCloser(strings.NewReader(crawlBody)), ContentLength: 512, Request: req}, nil
}

// crawlSites is the number of sites of BenchmarkCrawlMemory.
const crawlSites = 100_000

// BenchmarkCrawlMemory crawls b.N URLs over at most crawlSites sites with
// one Browser of the Chrome profile (a page per site, a same-origin GET of
// a new URL each time, every answer cacheable and setting a cookie) and
// reports the heap the browser's state holds at the end (heap-B, after a
// garbage collection, less the heap before it was made), the cookies it
// keeps and the HTTP cache's bytes. Run with -benchtime 1000000x for the
// crawl of BENCHMARKS.md.
//
// chrome keeps Chrome's cookie limits as they are: Chromium spares the
// cookies used in the last 30 days from its 3300-cookie purge
// (kSafeFromGlobalPurgeDays), so a crawl of a day keeps one cookie per
// site, as Chromium would. bounded gives the browser a cookie store with
// the same limits but no such protection, the setting for a crawler that
// wants a hard bound: 3300 cookies at most.
func BenchmarkCrawlMemory(b *testing.B) {
	for _, c := range []struct {
		name     string
		store    func() *cookiestore.Store
		maxCooks int
	}{
		{name: "chrome", store: func() *cookiestore.Store { return nil }, maxCooks: crawlSites},
		{name: "bounded", store: func() *cookiestore.Store {
			l := fetch.Chrome.Cookies.Limits
			l.KeepRecent = 0
			return cookiestore.New(&cookiestore.Options{Limits: l})
		}, maxCooks: fetch.Chrome.Cookies.Limits.Total},
	} {
		b.Run(c.name, func(b *testing.B) { crawl(b, c.store(), c.maxCooks) })
	}
}

// crawl is one run of BenchmarkCrawlMemory, with the cookie store cs (nil
// for the Browser's own) and the most cookies it may keep.
func crawl(b *testing.B, cs *cookiestore.Store, maxCookies int) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	br := &fetch.Browser{Base: crawlBase{}, Cookies: cs}
	cache := br.HTTPCache()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		host := "site" + strconv.Itoa(i%crawlSites) + ".example"
		tr := br.Page(origin.MustParse("https://" + host))
		req, _ := http.NewRequest(http.MethodGet, "https://"+host+"/p/"+strconv.Itoa(i), nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		i++
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	n := br.CookieStore().Len()
	b.ReportMetric(float64(held), "heap-B")
	b.ReportMetric(float64(n), "cookies")
	b.ReportMetric(float64(cache.Bytes()), "cache-B")
	if n > maxCookies || cache.Bytes() > httpcache.DefaultMaxBytes {
		b.Errorf("%d cookies (at most %d), %d bytes in the HTTP cache (at most %d)", n, maxCookies, cache.Bytes(), httpcache.DefaultMaxBytes)
	}
	runtime.KeepAlive(br)
	if testing.Verbose() {
		fmt.Printf("crawl of %d URLs: %d bytes of heap held, %d cookies, %d bytes cached\n", i, held, n, cache.Bytes())
	}
}
