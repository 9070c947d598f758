package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/fetch"
	"github.com/corsfetch/corsfetch/httpcache"
)

// checkVary runs the Vary check when the allowed CORS fetch of pr (a GET or
// HEAD from another origin) got an answer the browser's HTTP cache would
// serve, without asking the server, to the same request without Origin:
// one that is fresh and lacks Vary: Origin. It asks for the URL again
// without Origin, as an <img> without crossorigin or a no-cors fetch()
// would, without cookies, and reports whether the browser, had it cached
// that answer first, would serve it to the CORS fetch and block it. It
// returns nil when the check does not apply.
func (p *prober) checkVary(ctx context.Context, pr probeRequest, r *Report) *VaryCheck {
	x := lastExchange(r.Steps, false)
	v := r.Verdict.Response
	if v == nil || v.Type != fetch.TypeCORS.String() || pr.Method != http.MethodGet && pr.Method != http.MethodHead ||
		x == nil || x.Response == nil || x.Request.Headers.Get("Origin") == "" || varyOrigin(x.Response.Headers) {
		return nil
	}
	noOrigin := x.Request.Headers.Clone()
	noOrigin.Del("Origin")
	if servedFromCache(x.Response, x.Request.Headers, noOrigin) == nil {
		return nil
	}
	vc := &VaryCheck{Cacheable: freshBecause(x.Response.Headers)}
	plain, err := p.withoutOrigin(ctx, pr, vc)
	if plain == nil {
		// No answer to compare: judge by the CORS answer alone, whose
		// Access-Control-Allow-Origin names the origin unless it is *.
		vc.WouldBlock = x.Response.Headers.Get("Access-Control-Allow-Origin") != "*"
		vc.Detail = fmt.Sprintf("no answer (%v); an Access-Control-Allow-Origin that names the origin suggests the answer without Origin lacks it", err)
		return vc
	}
	h := plain.Response.Headers
	vc.Status, vc.AllowOrigin = plain.Response.Status, h.Get("Access-Control-Allow-Origin")
	cached := servedFromCache(plain.Response, plain.Request.Headers, x.Request.Headers)
	switch {
	case cached == nil:
		vc.Detail = "the browser would not serve that answer from its cache to the CORS fetch (not stored, not fresh, or its Vary does not match)"
	case passesCORS(cached.Header, x.Request.Headers.Get("Origin"), pr.Options.Credentials == fetch.CredentialsInclude):
		vc.Detail = "that answer carries " + allowOriginText(h) + " too, which passes this CORS check: serving it from the cache does no harm"
	default:
		vc.WouldBlock = true
		vc.Detail = "that answer has " + allowOriginText(h) + " and may be cached too: served from the cache to this CORS fetch, it would block it"
	}
	return vc
}

// withoutOrigin sends the request of pr again as a no-cors fetch() of the
// page, without the page's headers and without cookies, and returns the
// last exchange, or nil and why there is none. It counts the requests in
// vc.
func (p *prober) withoutOrigin(ctx context.Context, pr probeRequest, vc *VaryCheck) (*Exchange, error) {
	guard := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		vc.Requests++
		return p.base.RoundTrip(req)
	})
	t := &fetch.Transport{Origin: p.page, Base: guard, Browser: p.browser, UserAgent: userAgent}
	plain := probeRequest{Method: pr.Method, URL: pr.URL, Header: http.Header{}, Options: fetch.Options{Mode: fetch.ModeNoCORS}}
	var c collector
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	resp, err := t.RoundTrip(p.request(ctx, plain, c.on))
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if x := lastExchange(c.steps, false); x != nil && x.Response != nil {
		return x, nil
	}
	if err == nil {
		err = fmt.Errorf("nothing was sent")
	}
	return nil, err
}

// servedFromCache returns resp, the answer to a request whose header fields
// were stored, as the browser's HTTP cache would serve it to a later
// request of the page whose header fields are sent, without asking the
// server: nil when it would not be stored, its Vary would not match, or it
// would not be fresh. Package httpcache, fetch's HTTP cache, decides.
func servedFromCache(resp *RawResponse, stored, sent http.Header) *httpcache.Stored {
	now := time.Now()
	c := httpcache.New(nil)
	k := httpcache.Key{URL: "corsprobe:vary-check"} // one URL in the page's partition
	if !c.Store(k, stored, resp.Status, "", resp.Headers, nil, now, now) {
		return nil
	}
	if st := c.Lookup(k, sent, now); st != nil && st.Fresh {
		return st
	}
	return nil
}

// freshBecause says what makes a response with the header fields h fresh:
// Cache-Control max-age, else Expires, else Last-Modified (heuristic
// freshness, RFC 9111 section 4.2.2).
func freshBecause(h http.Header) string {
	if v, ok := httpcache.ParseCacheControl(h["Cache-Control"])["max-age"]; ok {
		return "Cache-Control: max-age=" + v
	}
	if e := h.Get("Expires"); e != "" {
		return "Expires: " + e
	}
	return "Last-Modified: " + h.Get("Last-Modified") + ", without max-age or Expires, so heuristically fresh"
}

// passesCORS reports whether a response with the headers h passes the CORS
// check of a request from origin sent: one Access-Control-Allow-Origin, *
// (without credentials) or sent, and with credentials
// Access-Control-Allow-Credentials: true.
func passesCORS(h http.Header, sent string, include bool) bool {
	acao := h.Values("Access-Control-Allow-Origin")
	if len(acao) != 1 {
		return false
	}
	if include {
		return acao[0] == sent && h.Get("Access-Control-Allow-Credentials") == "true"
	}
	return acao[0] == "*" || acao[0] == sent
}

// allowOriginText names the Access-Control-Allow-Origin of h in a sentence.
func allowOriginText(h http.Header) string {
	if v := h.Values("Access-Control-Allow-Origin"); len(v) > 0 {
		return code("Access-Control-Allow-Origin: " + strings.Join(v, ", "))
	}
	return "no Access-Control-Allow-Origin"
}

// varyWarning is the warning of a Vary check that found the cached answer
// would block the CORS fetch.
func varyWarning(url string, vc *VaryCheck) Warning {
	answer := "the server answers differently without an Origin"
	if vc.Status != 0 {
		answer = "asked without an Origin, the server answers with "
		if vc.AllowOrigin == "" {
			answer += "no Access-Control-Allow-Origin"
		} else {
			answer += code("Access-Control-Allow-Origin: " + vc.AllowOrigin)
		}
	}
	return Warning{
		Code: warnCacheableWithoutVary,
		Message: fmt.Sprintf("The response from %s may be served from the browser's HTTP cache (%s) and has no %s, but %s. "+
			"When a page of this site loads the URL first without CORS (an <img> or <script> without crossorigin, a no-cors fetch()), "+
			"the browser caches that answer and serves it to this CORS fetch, which is then blocked until the copy expires. "+
			"Send %s on every response of this URL, with or without an Origin, or the same CORS headers on every response.",
			url, vc.Cacheable, code("Vary: Origin"), answer, code("Vary: Origin")),
	}
}
