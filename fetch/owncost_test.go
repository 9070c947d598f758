package fetch_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/origin"
)

// cannedBase is a network that answers at once, with the same header fields
// every time: CORS preflights with a cacheable grant for PUT and
// Content-Type, every other request with 200 and ACAO *. Like net/http's
// client it returns a new header map with every response: its allocations
// are the *http.Response and the copied map (BenchmarkTransportOwn/network
// counts them).
type cannedBase struct{}

var (
	cannedPreflight = http.Header{
		"Access-Control-Allow-Origin":  {"*"},
		"Access-Control-Allow-Methods": {"PUT"},
		"Access-Control-Allow-Headers": {"content-type"},
		"Access-Control-Max-Age":       {"7200"},
	}
	cannedResponse = http.Header{
		"Access-Control-Allow-Origin": {"*"},
		"Content-Type":                {"text/plain"},
		"Content-Length":              {"2"},
	}
)

func (cannedBase) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodOptions {
		return &http.Response{StatusCode: http.StatusNoContent, Header: cannedPreflight.Clone(), Body: http.NoBody, Request: req}, nil
	}
	return &http.Response{StatusCode: http.StatusOK, Header: cannedResponse.Clone(), Body: http.NoBody, ContentLength: 2, Request: req}, nil
}

// BenchmarkTransportOwn measures what a fetch.Transport itself costs per
// request, with a network that costs nothing (cannedBase): the time and
// allocations of classification, header lists, the preflight cache, the
// CORS check and the filtered response, without those of net/http and of a
// server. The network sub-benchmark is cannedBase alone: its allocations per
// exchange are part of every other sub-benchmark's. The Transports are told
// that their Base makes new header maps (TrustFreshHeaders), as they find
// out by themselves over an *http.Transport.
func BenchmarkTransportOwn(b *testing.B) {
	b.Run("network", func(b *testing.B) {
		req, _ := http.NewRequest(http.MethodGet, "http://api.example/r", nil)
		b.ReportAllocs()
		for b.Loop() {
			resp, _ := cannedBase{}.RoundTrip(req)
			resp.Body.Close()
		}
	})
	pageOrigin := origin.MustParse("http://app.example")
	cases := []struct {
		name string
		page origin.Origin
		req  func() *http.Request
	}{
		{name: "same-origin-get", page: pageOrigin, req: func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, "http://app.example/r", nil)
			return req
		}},
		{name: "simple-get", page: pageOrigin, req: func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, "http://api.example/r", nil)
			return req
		}},
		{name: "preflight-hit", page: pageOrigin, req: func() *http.Request {
			req, _ := http.NewRequest(http.MethodPut, "http://api.example/r", nil)
			req.Header.Set("Content-Type", "application/json")
			return req
		}},
		{name: "no-cors", page: pageOrigin, req: func() *http.Request {
			req, _ := http.NewRequest(http.MethodGet, "http://api.example/r", nil)
			return fetch.WithOptions(req, fetch.Options{Mode: fetch.ModeNoCORS})
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			tr := &fetch.Transport{Origin: c.page, Base: cannedBase{}}
			fetch.TrustFreshHeaders(tr)
			req := c.req()
			// The first request stores the preflight of preflight-hit.
			if _, err := tr.RoundTrip(req); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				resp, err := tr.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
	}
}

// Values shared by every request of BenchmarkOwnFloor, as the Transport
// shares its constant ones: a field's value slice costs nothing there.
var (
	floorAny      = []string{"*/*"}
	floorOrigin   = []string{"http://app.example"}
	floorReferer  = []string{"http://app.example/"}
	floorEmpty    = []string{"empty"}
	floorCORS     = []string{"cors"}
	floorSameSite = []string{"same-site"}
	floorSink     *http.Response
)

// BenchmarkOwnFloor measures the least any RoundTripper must do for a
// simple cross-origin GET while it keeps net/http's contract, with nothing
// a browser decides: floorTransport over the network of
// BenchmarkTransportOwn. It is the floor under TransportOwn/simple-get on
// the machine that runs it (BENCHMARKS.md).
func BenchmarkOwnFloor(b *testing.B) {
	req, _ := http.NewRequest(http.MethodGet, "http://api.example/r", nil)
	floor := floorTransport{cannedBase{}}
	b.ReportAllocs()
	for b.Loop() {
		floorSink, _ = floor.RoundTrip(req)
	}
}

// floorTransport does over base the least a RoundTripper keeping
// net/http's contract does for a simple cross-origin GET (a request's
// header is the caller's, a response's header and request are the
// caller's to change): a new header map with the request's fields and the
// six a browser adds, the values shared; a copy of the request; a new
// response whose request carries its own context; one walk of the
// response's header map. Nothing a browser decides.
type floorTransport struct{ base http.RoundTripper }

func (t floorTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	h := make(http.Header, len(req.Header)+6)
	for k, v := range req.Header {
		h[k] = v
	}
	h["Accept"], h["Origin"], h["Referer"] = floorAny, floorOrigin, floorReferer
	h["Sec-Fetch-Dest"], h["Sec-Fetch-Mode"], h["Sec-Fetch-Site"] = floorEmpty, floorCORS, floorSameSite
	out := *req
	out.Header = h
	raw, err := t.base.RoundTrip(&out)
	if err != nil {
		return nil, err
	}
	for k := range raw.Header {
		if k == "Set-Cookie" {
			delete(raw.Header, k)
		}
	}
	return &http.Response{Status: raw.Status, StatusCode: raw.StatusCode, Header: raw.Header, Body: raw.Body, ContentLength: raw.ContentLength, Request: req.WithContext(req.Context())}, nil
}

// cacheableBase is cannedBase whose answers the HTTP cache may store for a
// minute.
type cacheableBase struct{}

var cacheableResponse = http.Header{
	"Access-Control-Allow-Origin": {"*"},
	"Cache-Control":               {"max-age=60"},
	"Content-Type":                {"text/plain"},
	"Content-Length":              {"2"},
}

func (cacheableBase) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Header: cacheableResponse.Clone(), Body: io.NopCloser(strings.NewReader("ok")), ContentLength: 2, Request: req}, nil
}

// credentialedBase is cannedBase granting credentialed requests from
// https://app.example; it keeps the Cookie field of the last request.
type credentialedBase struct{ cookie *string }

var credentialedResponse = http.Header{
	"Access-Control-Allow-Origin":      {"https://app.example"},
	"Access-Control-Allow-Credentials": {"true"},
	"Content-Type":                     {"text/plain"},
	"Content-Length":                   {"2"},
}

func (c credentialedBase) RoundTrip(req *http.Request) (*http.Response, error) {
	*c.cookie = req.Header.Get("Cookie")
	return &http.Response{StatusCode: http.StatusOK, Header: credentialedResponse.Clone(), Body: http.NoBody, ContentLength: 2, Request: req}, nil
}

// BenchmarkBrowser measures what the state a Browser shares costs its
// pages, with a network that costs nothing: a simple GET from a page
// (TransportOwn/simple-get plus an HTTP-cache look-up that misses and a
// response it may not store), a GET answered by the HTTP cache (no
// network), a credentialed GET with 20 cookies for the host, and making a
// page. See BENCHMARKS.md.
func BenchmarkBrowser(b *testing.B) {
	pageOrigin := origin.MustParse("https://app.example")
	var cookie string
	// Another origin of the page's site: its cookies are first-party.
	get := func(o fetch.Options) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, "https://api.app.example/r", nil)
		return fetch.WithOptions(req, o)
	}
	cases := []struct {
		name string
		base http.RoundTripper
		prep func(*fetch.Browser)
		req  *http.Request
	}{
		{name: "simple-get", base: cannedBase{}, req: get(fetch.Options{})},
		{name: "http-cache-hit", base: cacheableBase{}, req: get(fetch.Options{})},
		{name: "cookies-20", base: credentialedBase{&cookie}, req: get(fetch.Options{Credentials: fetch.CredentialsInclude}), prep: func(br *fetch.Browser) {
			u, _ := url.Parse("https://api.app.example/")
			cookies := make([]*http.Cookie, 20)
			for i := range cookies {
				cookies[i] = &http.Cookie{Name: "c" + strconv.Itoa(i), Value: "v", SameSite: http.SameSiteNoneMode, Secure: true}
			}
			br.CookieStore().SetCookies(u, cookies)
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			br := &fetch.Browser{Base: c.base}
			if c.prep != nil {
				c.prep(br)
			}
			tr := br.Page(pageOrigin)
			fetch.TrustFreshHeaders(tr)
			if _, err := tr.RoundTrip(c.req); err != nil {
				b.Fatal(err)
			}
			if c.prep != nil && strings.Count(cookie, "=") != 20 {
				b.Fatalf("Cookie %q; want 20 cookies", cookie)
			}
			b.ReportAllocs()
			for b.Loop() {
				resp, err := tr.RoundTrip(c.req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	b.Run("new-page", func(b *testing.B) {
		br := &fetch.Browser{Base: cannedBase{}}
		b.ReportAllocs()
		for b.Loop() {
			if br.Page(pageOrigin) == nil {
				b.Fatal("no page")
			}
		}
	})
}
