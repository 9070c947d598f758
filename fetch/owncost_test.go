package fetch_test

import (
	"net/http"
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
