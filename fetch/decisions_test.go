package fetch_test

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/internal/headerlist"
	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/corsfetch/corsfetch/safelist"
)

// decisionsTransport is floorTransport plus the least of what a browser
// decides for a first-hop request in cors mode, done as directly as Go
// allows with the project's classification packages, for one page and one
// profile, without traces, cookies, an HTTP cache, Local Network Access or
// redirects: the method and every header field checked and classified
// (#concept-method, #forbidden-request-header, #cors-safelisted-request-header
// and its 1024-byte total), the target's origin, site and trustworthiness
// (remembered, as the Transport remembers them), Fetch Metadata to a
// potentially trustworthy URL (Sec-Fetch-Site from the two sites), Origin
// and Referer under strict-origin-when-cross-origin, the preflight cache
// looked up, with a key written without allocating, when the request needs
// a preflight (#cors-preflight-cache), the CORS
// check (#cors-check) and the CORS filtered response's header
// (#concept-filtered-response-cors). It answers only the requests
// BenchmarkDecisionsFloor sends; anything else is an error, never a guess.
// It is the floor under the Transport's own cost for what a browser must
// decide (BENCHMARKS.md).
type decisionsTransport struct {
	base    http.RoundTripper
	page    origin.Origin
	pageV   []string // the page's origin, serialized, as a header value
	referer []string // the page's origin with "/", the Referer to others
	cache   *preflightcache.Cache
	target  atomic.Pointer[urlOrigin]
}

// urlOrigin is a host's origin, remembered.
type urlOrigin struct {
	host        string
	o           origin.Origin
	site        []string // Sec-Fetch-Site from the page
	trustworthy bool     // a potentially trustworthy origin
}

var (
	decSites      = map[string][]string{"same-origin": {"same-origin"}, "same-site": floorSameSite, "cross-site": {"cross-site"}}
	errNotCovered = errors.New("decisionsTransport: not a request it covers")
	errBlocked    = errors.New("decisionsTransport: blocked")
)

func newDecisionsTransport(base http.RoundTripper, page origin.Origin) *decisionsTransport {
	return &decisionsTransport{
		base:    base,
		page:    page,
		pageV:   []string{page.String()},
		referer: []string{page.String() + "/"},
		cache:   preflightcache.New(preflightcache.Options{}),
	}
}

func (t *decisionsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	m := req.Method
	if m == "" {
		m = http.MethodGet
	}
	if !safelist.IsValidMethod(m) || safelist.IsForbiddenMethod(m) {
		return nil, errBlocked
	}
	m = safelist.NormalizeMethod(m)
	h := make(http.Header, len(req.Header)+7)
	var buf [4]string
	names, total := buf[:0], 0
	for k, v := range req.Header {
		if !headerlist.IsCanonicalToken(k) {
			return nil, errNotCovered
		}
		for _, x := range v {
			if !headerlist.IsValue(x) || safelist.IsForbiddenRequestHeader(k, x) {
				return nil, errNotCovered
			}
			if safelist.IsRequestHeader(k, x) {
				total += len(x)
			} else if l := lowerName(k); !slices.Contains(names, l) {
				names = append(names, l)
			}
		}
		h[k] = v
	}
	if total > safelist.MaxSafelistedTotal {
		return nil, errNotCovered
	}
	if h["Accept"] == nil {
		h["Accept"] = floorAny
	}
	u := req.URL
	if u.Scheme != "http" && u.Scheme != "https" || u.User != nil || u.Fragment != "" {
		return nil, errNotCovered
	}
	target := t.originOf(u.Scheme, u.Host)
	same := target.site[0] == "same-origin"
	if !same || m != http.MethodGet && m != http.MethodHead {
		h["Origin"] = t.pageV
	}
	if same {
		return nil, errNotCovered // the full referrer, another filtering: not needed here
	}
	h["Referer"] = t.referer
	if target.trustworthy {
		// Fetch Metadata goes to potentially trustworthy URLs only.
		h["Sec-Fetch-Dest"], h["Sec-Fetch-Mode"], h["Sec-Fetch-Site"] = floorEmpty, floorCORS, target.site
	}
	if !safelist.IsMethod(m) || len(names) > 0 {
		if u.RawPath != "" || len(u.Scheme)+3+len(u.Host)+len(u.Path)+1+len(u.RawQuery) > 128 {
			return nil, errNotCovered
		}
		slices.Sort(names)
		var buf [128]byte
		k := preflightcache.Key{Origin: t.pageV[0], URL: keyURL(&buf, u)}
		if t.cache.Lookup(k, m, names, time.Now()) != preflightcache.Hit {
			return nil, errNotCovered // preflights are not what it measures
		}
	}
	out := *req
	out.Method, out.Header = m, h
	raw, err := t.base.RoundTrip(&out)
	if err != nil {
		return nil, err
	}
	// The CORS check, without credentials: `*` or the page's origin.
	allow, ok := headerlist.Get(raw.Header["Access-Control-Allow-Origin"])
	if !ok || allow != "*" && allow != t.pageV[0] {
		raw.Body.Close()
		return nil, errBlocked
	}
	exposed, status := headerlist.ExtractTokens(raw.Header["Access-Control-Expose-Headers"])
	all := status == headerlist.Parsed && exposed.Contains("*")
	for name := range raw.Header {
		if safelist.IsForbiddenResponseHeaderName(name) ||
			!all && !safelist.IsResponseHeaderName(name) && !(status == headerlist.Parsed && exposed.ContainsFold(name)) {
			delete(raw.Header, name)
		}
	}
	return &http.Response{Status: raw.Status, StatusCode: raw.StatusCode, Proto: raw.Proto, ProtoMajor: raw.ProtoMajor, ProtoMinor: raw.ProtoMinor,
		Header: raw.Header, Body: raw.Body, ContentLength: raw.ContentLength, Request: req.WithContext(req.Context())}, nil
}

// originOf returns the origin of scheme://host, remembering the last one.
// originOf returns what the decisions need of the origin of scheme://host,
// remembering the last one, as the Transport remembers its hosts' origins
// and sites.
func (t *decisionsTransport) originOf(scheme, host string) *urlOrigin {
	if m := t.target.Load(); m != nil && m.host == host && m.o.Scheme() == scheme {
		return m
	}
	m := &urlOrigin{host: host, o: origin.MustParse(scheme + "://" + host)}
	site := "cross-site"
	switch {
	case m.o.SameOrigin(t.page):
		site = "same-origin"
	case m.o.SameSite(t.page):
		site = "same-site"
	}
	m.site, m.trustworthy = decSites[site], m.o.IsPotentiallyTrustworthy()
	t.target.Store(m)
	return m
}

// lowerName returns name byte-lowercased, without allocating for the name
// the benchmarks send.
func lowerName(name string) string {
	if name == "Content-Type" {
		return "content-type"
	}
	return strings.ToLower(name)
}

// keyURL returns u serialized as the preflight cache's key, in buf: the
// benchmarks' URLs have no user, fragment or escaped path.
func keyURL(buf *[128]byte, u *url.URL) string {
	b := append(buf[:0], u.Scheme...)
	b = append(b, "://"...)
	b = append(b, u.Host...)
	b = append(b, u.Path...)
	if u.RawQuery != "" {
		b = append(b, '?')
		b = append(b, u.RawQuery...)
	}
	return unsafe.String(&b[0], len(b))
}

// storeGrant puts in t's preflight cache the grant of benchServer's and
// cannedBase's preflights for PUT with Content-Type at url.
func (t *decisionsTransport) storeGrant(url string) {
	t.cache.Store(preflightcache.Key{Origin: t.pageV[0], URL: url}, []string{"PUT"}, []string{"content-type"}, 2*time.Hour, time.Now())
}

// BenchmarkDecisionsFloor measures decisionsTransport over the network of
// BenchmarkTransportOwn for its simple-get and preflight-hit cases: the
// floor under the Transport's own cost once the browser's decisions are
// made, with nothing else (BENCHMARKS.md).
func BenchmarkDecisionsFloor(b *testing.B) {
	for _, name := range []string{"simple-get", "preflight-hit"} {
		b.Run(name, func(b *testing.B) {
			tr := newDecisionsTransport(cannedBase{}, origin.MustParse("http://app.example"))
			tr.storeGrant("http://api.example/r")
			req := ownRequest(name, "http://api.example/r")
			b.ReportAllocs()
			for b.Loop() {
				resp, err := tr.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				floorSink = resp
			}
		})
	}
}

// BenchmarkOwnAfterExchange measures the own cost of the Transport, of
// decisionsTransport and of floorTransport as it is on the real path: each
// request goes over the network of BenchmarkTransportOwn, which costs
// nothing, right after an exchange of the bare transport on loopback, which
// leaves the caches and predictors as a real exchange leaves them for the
// next request; only the RoundTrip over the instant network is timed
// ("own-ns"). In a hot loop the same code runs with everything it touches
// at hand, and costs half as much (BENCHMARKS.md).
func BenchmarkOwnAfterExchange(b *testing.B) {
	srv, _ := benchServer(b)
	bare := &http.Transport{MaxIdleConnsPerHost: 4}
	b.Cleanup(bare.CloseIdleConnections)
	pageOrigin := origin.MustParse("http://app.example")
	const target = "http://api.example/r"
	tr := &fetch.Transport{Origin: pageOrigin, Base: cannedBase{}}
	fetch.TrustFreshHeaders(tr)
	dec := newDecisionsTransport(cannedBase{}, pageOrigin)
	dec.storeGrant(target)
	for _, c := range []struct {
		name string
		rt   http.RoundTripper
	}{
		{"transport/simple-get", tr}, {"decisions/simple-get", dec}, {"floor/simple-get", floorTransport{cannedBase{}}},
		{"transport/preflight-hit", tr}, {"decisions/preflight-hit", dec},
	} {
		b.Run(c.name, func(b *testing.B) {
			name := c.name[strings.IndexByte(c.name, '/')+1:]
			if _, err := c.rt.RoundTrip(ownRequest(name, target)); err != nil {
				b.Fatal(err)
			}
			var own time.Duration
			for range b.N {
				if err := roundTrip(bare, browserHeaders(get(srv.URL+"/r"), true)); err != nil {
					b.Fatal(err)
				}
				req := ownRequest(name, target)
				start := time.Now()
				resp, err := c.rt.RoundTrip(req)
				own += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
			b.ReportMetric(float64(own.Nanoseconds())/float64(b.N), "own-ns")
		})
	}
}

// decidedExchanges are the exchanges decisionsTransport answers: the simple
// GET and the cached-preflight PUT.
func decidedExchanges() []exchange {
	var out []exchange
	for _, ex := range exchanges {
		if ex.name == "simple-get" || ex.name == "preflight-hit" {
			out = append(out, ex)
		}
	}
	return out
}

// BenchmarkDecisionsGap runs, in one loop, an exchange of the bare
// transport, then either the Transport's request or decisionsTransport's,
// in turn, on loopback, and reports each one's median time over the bare
// exchange's median (tr-x, dec-x) and the difference of the two medians
// (gap-ns): what the Transport costs over the browser's decisions, both
// measured under the same load, with the outliers of a loaded machine left
// out (BENCHMARKS.md).
func BenchmarkDecisionsGap(b *testing.B) {
	srv, _ := benchServer(b)
	for _, ex := range decidedExchanges() {
		b.Run(ex.name, func(b *testing.B) {
			newBase := func() *http.Transport {
				t := &http.Transport{MaxIdleConnsPerHost: 4}
				b.Cleanup(t.CloseIdleConnections)
				return t
			}
			bare := newBase()
			tr := &fetch.Transport{Origin: page, Base: newBase()}
			dec := newDecisionsTransport(newBase(), page)
			dec.storeGrant(srv.URL + "/r")
			if err := ex.fetch(tr, srv.URL); err != nil {
				b.Fatal(err)
			}
			var times [3][]time.Duration // bare, Transport, decisions
			for i := range b.N {
				start := time.Now()
				if err := ex.bare(bare, srv.URL); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				var err error
				if i%2 == 0 {
					err = ex.fetch(tr, srv.URL)
				} else {
					err = roundTrip(dec, ownRequest(ex.name, srv.URL+"/r"))
				}
				if err != nil {
					b.Fatal(err)
				}
				times[0] = append(times[0], mid.Sub(start))
				times[1+i%2] = append(times[1+i%2], time.Since(mid))
			}
			if b.N < 2 {
				return // no median of decisions yet
			}
			var med [3]float64
			for j, ts := range times {
				slices.Sort(ts)
				med[j] = float64(ts[len(ts)/2])
			}
			b.ReportMetric(med[1]/med[0], "tr-x")
			b.ReportMetric(med[2]/med[0], "dec-x")
			b.ReportMetric(med[1]-med[2], "gap-ns")
		})
	}
}

// BenchmarkDecisionsOverhead is BenchmarkTransport's simple-get and
// preflight-hit overhead rows with decisionsTransport in the Transport's
// place: the interleaved ratio to the bare transport of the browser's
// decisions alone (BENCHMARKS.md).
func BenchmarkDecisionsOverhead(b *testing.B) {
	srv, _ := benchServer(b)
	for _, ex := range decidedExchanges() {
		b.Run(ex.name, func(b *testing.B) {
			base := &http.Transport{MaxIdleConnsPerHost: 4}
			bare := &http.Transport{MaxIdleConnsPerHost: 4}
			b.Cleanup(base.CloseIdleConnections)
			b.Cleanup(bare.CloseIdleConnections)
			tr := newDecisionsTransport(base, page)
			tr.storeGrant(srv.URL + "/r")
			var tf, tb time.Duration
			for range b.N {
				start := time.Now()
				if err := ex.bare(bare, srv.URL); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				if err := roundTrip(tr, ownRequest(ex.name, srv.URL+"/r")); err != nil {
					b.Fatal(err)
				}
				tf += time.Since(mid)
				tb += mid.Sub(start)
			}
			b.ReportMetric(float64(tf)/float64(tb), "x-bare")
		})
	}
}

// ownRequest is the request of the case named name ("simple-get" or
// "preflight-hit") to url: a GET, or a PUT with a Content-Type that needs a
// preflight.
func ownRequest(name, url string) *http.Request {
	if name == "preflight-hit" {
		req, _ := http.NewRequest(http.MethodPut, url, strings.NewReader(`{"a":1}`))
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	return req
}

// recordingBase answers as cannedBase and keeps the header of the last
// request that was not a preflight.
type recordingBase struct{ last *http.Header }

func (r recordingBase) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodOptions {
		*r.last = req.Header.Clone()
	}
	return cannedBase{}.RoundTrip(req)
}

// TestDecisionsTransportIsTheTransport checks that decisionsTransport,
// which BenchmarkDecisionsFloor and BenchmarkDecisionsOverhead measure as
// the browser's decisions alone, sends what a fetch.Transport sends for
// their two requests and returns the header the Transport returns: its
// cost is that of the same decisions.
func TestDecisionsTransportIsTheTransport(t *testing.T) {
	for _, scheme := range []string{"http", "https"} { // Fetch Metadata only to https
		pageOrigin := origin.MustParse(scheme + "://app.example")
		target := scheme + "://api.example/r"
		for _, name := range []string{"simple-get", "preflight-hit"} {
			t.Run(scheme+"/"+name, func(t *testing.T) {
				var sentByFetch, sentByDecisions http.Header
				tr := &fetch.Transport{Origin: pageOrigin, Base: recordingBase{&sentByFetch}}
				want, err := tr.RoundTrip(ownRequest(name, target))
				if err != nil {
					t.Fatal(err)
				}
				dec := newDecisionsTransport(recordingBase{&sentByDecisions}, pageOrigin)
				dec.storeGrant(target)
				got, err := dec.RoundTrip(ownRequest(name, target))
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(sentByFetch, sentByDecisions); diff != "" {
					t.Errorf("request header (-fetch.Transport +decisionsTransport):\n%s", diff)
				}
				if diff := cmp.Diff(want.Header, got.Header); diff != "" {
					t.Errorf("response header (-fetch.Transport +decisionsTransport):\n%s", diff)
				}
			})
		}
	}
}
