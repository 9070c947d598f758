package fetch_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// benchServer answers preflights for PUT with a long Max-Age, redirects
// /hop2 to /hop1 to /end, and sends ACAO * on everything.
func benchServer(b *testing.B) (*httptest.Server, origin.Origin) {
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		b.Skip(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		switch {
		case r.Method == http.MethodOptions:
			h.Set("Access-Control-Allow-Methods", "PUT")
			h.Set("Access-Control-Allow-Headers", "content-type")
			if r.URL.Query().Get("nocache") == "" {
				h.Set("Access-Control-Max-Age", "7200")
			} else {
				h.Set("Access-Control-Max-Age", "0")
			}
			w.WriteHeader(http.StatusNoContent)
			return
		case r.URL.Path == "/hop2":
			h.Set("Location", "/hop1")
			w.WriteHeader(http.StatusFound)
			return
		case r.URL.Path == "/hop1":
			h.Set("Location", "/end")
			w.WriteHeader(http.StatusFound)
			return
		}
		h.Set("Content-Type", "text/plain")
		io.WriteString(w, "ok")
	}))
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	b.Cleanup(srv.Close)
	return srv, origin.MustParse(srv.URL)
}

// browserHeaders are the header fields a Transport with the Chrome profile
// adds to a cross-site request from page; the bare twins send them too, so
// that both put the same bytes on the wire.
func browserHeaders(req *http.Request, cors bool) *http.Request {
	h := req.Header
	h.Set("Accept", "*/*")
	if cors {
		h.Set("Origin", page.String())
		h.Set("Sec-Fetch-Mode", "cors")
	} else {
		h.Set("Sec-Fetch-Mode", "no-cors")
	}
	h.Set("Sec-Fetch-Dest", "empty")
	h.Set("Sec-Fetch-Site", "cross-site")
	h.Set("Referer", page.String()+"/")
	return req
}

// exchange is one benchmarked case: the request through a fetch.Transport,
// and the same network exchanges done with the bare http.Transport.
type exchange struct {
	name  string
	fetch func(tr *fetch.Transport, url string) error
	bare  func(tr *http.Transport, url string) error
}

func roundTrip(rt http.RoundTripper, req *http.Request) error {
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

func put(url string) *http.Request {
	req, _ := http.NewRequest(http.MethodPut, url, strings.NewReader(`{"a":1}`))
	req.Header.Set("Content-Type", "application/json")
	return req
}

func get(url string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	return req
}

func preflightFor(url string) *http.Request {
	req, _ := http.NewRequest(http.MethodOptions, url, nil)
	browserHeaders(req, true)
	req.Header.Set("Access-Control-Request-Method", "PUT")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	return req
}

var exchanges = []exchange{
	{name: "same-origin-get",
		fetch: func(tr *fetch.Transport, url string) error { return roundTrip(tr, get(url+"/r")) },
		bare: func(tr *http.Transport, url string) error {
			req := browserHeaders(get(url+"/r"), false)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("Sec-Fetch-Mode", "cors")
			return roundTrip(tr, req)
		}},
	{name: "simple-get",
		fetch: func(tr *fetch.Transport, url string) error { return roundTrip(tr, get(url+"/r")) },
		bare:  func(tr *http.Transport, url string) error { return roundTrip(tr, browserHeaders(get(url+"/r"), true)) }},
	{name: "preflight-hit",
		fetch: func(tr *fetch.Transport, url string) error { return roundTrip(tr, put(url+"/r")) },
		bare:  func(tr *http.Transport, url string) error { return roundTrip(tr, browserHeaders(put(url+"/r"), true)) }},
	{name: "preflight-miss",
		fetch: func(tr *fetch.Transport, url string) error { return roundTrip(tr, put(url+"/r?nocache=1")) },
		bare: func(tr *http.Transport, url string) error {
			if err := roundTrip(tr, preflightFor(url+"/r?nocache=1")); err != nil {
				return err
			}
			return roundTrip(tr, browserHeaders(put(url+"/r?nocache=1"), true))
		}},
	{name: "no-cors",
		fetch: func(tr *fetch.Transport, url string) error {
			return roundTrip(tr, fetch.WithOptions(get(url+"/r"), fetch.Options{Mode: fetch.ModeNoCORS}))
		},
		bare: func(tr *http.Transport, url string) error { return roundTrip(tr, browserHeaders(get(url+"/r"), false)) }},
	{name: "redirect-two-hops",
		fetch: func(tr *fetch.Transport, url string) error { return roundTrip(tr, get(url+"/hop2")) },
		bare: func(tr *http.Transport, url string) error {
			for _, p := range []string{"/hop2", "/hop1", "/end"} {
				if err := roundTrip(tr, browserHeaders(get(url+p), true)); err != nil {
					return err
				}
			}
			return nil
		}},
}

// BenchmarkTransport measures each exchange through a fetch.Transport
// ("fetch") and the same network exchanges on the bare http.Transport
// ("bare"), both on loopback, and, interleaving the two so that both see
// the same machine load, the ratio of their times ("overhead", reported as
// the x-bare metric). See BENCHMARKS.md.
func BenchmarkTransport(b *testing.B) {
	srv, srvOrigin := benchServer(b)
	for _, ex := range exchanges {
		url := srv.URL
		pageOrigin := page
		if ex.name == "same-origin-get" {
			pageOrigin = srvOrigin
		}
		newPair := func() (*fetch.Transport, *http.Transport) {
			base := &http.Transport{MaxIdleConnsPerHost: 4}
			bare := &http.Transport{MaxIdleConnsPerHost: 4}
			b.Cleanup(base.CloseIdleConnections)
			b.Cleanup(bare.CloseIdleConnections)
			return &fetch.Transport{Origin: pageOrigin, Base: base}, bare
		}
		b.Run(ex.name+"/fetch", func(b *testing.B) {
			tr, _ := newPair()
			if err := ex.fetch(tr, url); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := ex.fetch(tr, url); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(ex.name+"/bare", func(b *testing.B) {
			_, bare := newPair()
			if err := ex.bare(bare, url); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := ex.bare(bare, url); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(ex.name+"/overhead", func(b *testing.B) {
			tr, bare := newPair()
			if err := ex.fetch(tr, url); err != nil {
				b.Fatal(err)
			}
			if err := ex.bare(bare, url); err != nil {
				b.Fatal(err)
			}
			var tf, tb time.Duration
			for range b.N {
				start := time.Now()
				if err := ex.bare(bare, url); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				if err := ex.fetch(tr, url); err != nil {
					b.Fatal(err)
				}
				tf += time.Since(mid)
				tb += mid.Sub(start)
			}
			b.ReportMetric(float64(tf)/float64(tb), "x-bare")
		})
	}
}

// BenchmarkRejected measures a request the Transport fails before sending
// anything (no network at all).
func BenchmarkRejected(b *testing.B) {
	tr := &fetch.Transport{Origin: origin.MustParse("http://127.0.0.1:8000")}
	req, _ := http.NewRequest("TRACE", "http://127.0.0.2:1/", nil)
	b.ReportAllocs()
	for range b.N {
		if _, err := tr.RoundTrip(req); err == nil {
			b.Fatal("TRACE was not rejected")
		}
	}
}

// BenchmarkFloorOverhead is BenchmarkTransport's simple-get/overhead with
// floorTransport in the Transport's place: the interleaved ratio to the
// bare transport of a wrapper that does the floor of the work and none of
// the browser's (BENCHMARKS.md). Its wire fields are the bare twin's, but
// for Sec-Fetch-Site (same-site, as the Transport sends to 127.0.0.2).
func BenchmarkFloorOverhead(b *testing.B) {
	srv, _ := benchServer(b)
	base := &http.Transport{MaxIdleConnsPerHost: 4}
	bare := &http.Transport{MaxIdleConnsPerHost: 4}
	b.Cleanup(base.CloseIdleConnections)
	b.Cleanup(bare.CloseIdleConnections)
	floor := floorTransport{base}
	var tf, tb time.Duration
	for range b.N {
		start := time.Now()
		if err := roundTrip(bare, browserHeaders(get(srv.URL+"/r"), true)); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if err := roundTrip(floor, get(srv.URL+"/r")); err != nil {
			b.Fatal(err)
		}
		tf += time.Since(mid)
		tb += mid.Sub(start)
	}
	b.ReportMetric(float64(tf)/float64(tb), "x-bare")
}
