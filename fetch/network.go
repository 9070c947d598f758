package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/corsfetch/corsfetch/internal/headerlist"
)

// response is a response as the network or the HTTP cache handed it
// over, before the CORS check and filtering.
type response struct {
	*http.Response
	// owned reports that the response came from an *http.Transport, which
	// makes a new header map for every response and whose bodies return
	// from a blocked Read when closed, or from the HTTP cache, whose bodies
	// are in memory: its body may be drained in the caller's goroutine, and
	// its header, unless shared, filtered in place.
	owned bool
	// shared reports that the header is the HTTP cache's stored one, lent
	// to the fetch (httpcache.Cache.LookupInto): it is read, and copied
	// once by the filtering, never changed.
	shared bool
}

// send runs HTTP-network-or-cache fetch for the current hop: the HTTP
// cache when the cache mode lets it answer, else the request as the browser
// sends it (the headers it adds, cookies when credentials are included, the
// validators of a stored response) through HTTP-network fetch, and what the
// browser does with the response before anything else sees it (a null
// body, Set-Cookie, the HTTP cache).
//
// [HTTP-network-or-cache fetch]: https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch
func (f *fetchState) send(u *url.URL) (response, *Error) {
	checked := !f.p.LocalNetwork.CacheUnchecked
	if checked {
		if err := f.localNetworkCheck(u, false); err != nil {
			return response{}, err
		}
	}
	credentials := f.include() || (f.opts.Credentials == CredentialsSameOrigin && f.tainting == taintBasic)
	f.credentialed = credentials
	h := f.requestHeaders(u, credentials)
	// Vary is matched against the request as sent, Origin, Sec-Fetch-* and
	// Cookie included (RFC 9111 section 4.1), as the engines match it.
	stored, found := f.storedResponse(u, h)
	if found && f.usable(&stored) {
		return f.cachedResponse(&stored, true), nil
	}
	if !checked {
		if err := f.localNetworkCheck(u, false); err != nil {
			return response{}, err
		}
	}
	if f.opts.Cache == CacheOnlyIfCached && !f.p.Request.OnlyIfCachedUsesNetwork {
		// Only same-origin mode gets here, and the HTTP cache had no
		// answer: the browser's cache miss.
		e := f.fail(ReasonNetwork, "")
		e.Err = errOnlyIfCached
		return response{}, e
	}
	revalidating := found && conditional(h, &stored)
	out, err := f.networkRequest(u, h)
	if err != nil {
		return response{}, err
	}
	var sent time.Time // the request time, which only the HTTP cache reads
	if f.t.httpCache != nil {
		sent = f.t.now()
	}
	raw, err := f.roundTrip(out, false)
	if err != nil {
		return response{}, err
	}
	if revalidating && raw.StatusCode == http.StatusNotModified {
		if credentials {
			f.t.storeCookies(raw.Header, f, u)
		}
		if resp, ok := f.revalidated(u, raw, sent); ok {
			return resp, nil
		}
		credentials = false // stored above
	}
	f.received(u, out, raw, credentials, sent)
	return raw, nil
}

// requestHeaders returns the header list of the request to u as the
// browser sends it: the request's own fields, whose value slices are shared
// (never modified), plus Origin, the Fetch Metadata, Referer, User-Agent and
// Accept-Language, the cache mode's fields, and cookies when credentials
// are included. The first time, the header list's own map is completed
// and returned.
func (f *fetchState) requestHeaders(u *url.URL, credentials bool) http.Header {
	var h http.Header
	if f.headerSent {
		h = make(http.Header, len(f.header)+6)
		for k, v := range f.header {
			h[k] = v
		}
	} else {
		// The header list goes out itself, the first time: nothing reads
		// it again in this hop, and a later hop builds it again.
		h, f.headerSent = f.header, true
	}
	f.originSent = f.tainting == taintCORS || (f.method != http.MethodGet && f.method != http.MethodHead) || f.keepsOrigin()
	if f.originSent {
		h["Origin"] = f.originValue(f.requestOriginHeader(u))
	}
	f.addCommon(h, u, false)
	if f.p.Request.FetchMetadata == MetadataOmittedAfterCrossOriginRedirect && f.opts.Mode == ModeCORS && f.crossedOrigins() {
		delete(h, "Sec-Fetch-Dest")
		delete(h, "Sec-Fetch-Mode")
		delete(h, "Sec-Fetch-Site")
	}
	f.addCacheModeHeaders(h)
	// Chromium's HTTP cache layer rewrites the range, so only where it
	// handles the request: a GET that may use the cache (div-range-wire-*).
	if f.p.Request.Range.Canonicalize && f.method == http.MethodGet && f.opts.Cache != CacheNoStore && !f.conditional {
		normalizeRange(h)
	}
	if credentials {
		f.t.addCookies(h, f, u)
	}
	return h
}

// networkRequest returns the request HTTP-network fetch sends to u with the
// header list h, carrying the hop's body.
func (f *fetchState) networkRequest(u *url.URL, h http.Header) (*http.Request, *Error) {
	body, err := f.takeBody()
	if err != nil {
		return nil, err
	}
	if f.outBufUsed || f.req.Context() != f.ctx {
		// A value, not a pointer: WithContext makes the one copy that
		// escapes.
		tmp := wireRequest(f.method, wireURL(u), h, body, f.getBody, f.contentLength)
		return tmp.WithContext(f.ctx), nil
	}
	// The first request of the fetch lives in the fetchState: a copy of
	// the caller's request carries its context, every exported field then
	// set (outRequest).
	f.outBufUsed = true
	setWireURL(&f.outURLBuf, u)
	tmp := wireRequest(f.method, &f.outURLBuf, h, body, f.getBody, f.contentLength)
	f.outBuf = *f.req
	outRequest(&f.outBuf, &tmp)
	return &f.outBuf, nil
}

// wireRequest returns the request HTTP-network fetch sends to u, the URL
// as sent (wireURL), with the header list h and the hop's body (nil for
// none, which sends no length).
func wireRequest(method string, u *url.URL, h http.Header, body io.ReadCloser, getBody func() (io.ReadCloser, error), contentLength int64) http.Request {
	if body == nil {
		contentLength = 0
	}
	return http.Request{Method: method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: body, GetBody: getBody, ContentLength: contentLength, Host: u.Host}
}

// outRequest sets every exported field of r, a copy of the caller's
// request that carries its context, to tmp's.
func outRequest(r, tmp *http.Request) {
	r.Method, r.URL, r.Proto, r.ProtoMajor, r.ProtoMinor = tmp.Method, tmp.URL, tmp.Proto, tmp.ProtoMajor, tmp.ProtoMinor
	r.Header, r.Body, r.GetBody, r.ContentLength, r.TransferEncoding = tmp.Header, tmp.Body, tmp.GetBody, tmp.ContentLength, nil
	r.Close, r.Host, r.Form, r.PostForm, r.MultipartForm, r.Trailer = false, tmp.Host, nil, nil, nil, nil
	r.RemoteAddr, r.RequestURI, r.TLS, r.Response, r.Pattern = "", "", nil, nil, ""
	//lint:ignore SA1019 cleared, not used: the caller's channel must not reach Base
	r.Cancel = nil
}

// received does what the browser does with the response raw to the
// request out before the CORS check: a 205's body dropped (a null body
// status, #null-body-status), its cookies stored when credentials are
// included (before the CORS check, as browsers do), and the HTTP cache
// updated.
func (f *fetchState) received(u *url.URL, out *http.Request, raw response, credentials bool, sent time.Time) {
	f.p.Response.resetContent(raw)
	if credentials {
		f.t.storeCookies(raw.Header, f, u)
	}
	f.storeResponse(u, out, raw, sent)
}

// takeBody returns the body to send on this hop: the request's own the
// first time, and a new one from GetBody after that (a redirect that keeps
// the body).
func (f *fetchState) takeBody() (io.ReadCloser, *Error) {
	if !f.hasBody {
		return nil, nil
	}
	if f.body != nil {
		b := f.body
		f.body = nil
		return b, nil
	}
	if f.getBody == nil {
		return nil, f.fail(ReasonBodyNotReplayable, "")
	}
	b, err := f.getBody()
	if err != nil {
		e := f.fail(ReasonBodyNotReplayable, "")
		e.Err = err
		return nil, e
	}
	return b, nil
}

// wireURL returns a copy of u as sent: without the fragment, which never
// reaches the network. Always a copy, though a RoundTripper should not
// modify a request: Bases that point every request at a test server by
// rewriting req.URL are common, and must not rewrite the URL list.
func wireURL(u *url.URL) *url.URL {
	c := new(url.URL)
	setWireURL(c, u)
	return c
}

// setWireURL sets dst to u as sent, without the fragment (wireURL).
func setWireURL(dst, u *url.URL) {
	*dst = *u
	dst.Fragment, dst.RawFragment = "", ""
}

// roundTrip sends out through Base, reporting the request and its response
// to the trace hooks: HTTP-network fetch. A failure of Base is a network
// error, and so is a response the profile's network stack refuses
// (refusal).
//
// [HTTP-network fetch]: https://fetch.spec.whatwg.org/#concept-http-network-fetch
func (f *fetchState) roundTrip(out *http.Request, preflight bool) (response, *Error) {
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventRequest, Preflight: preflight, URL: f.current(), Method: out.Method, Header: out.Header})
	}
	rt := f.t.base()
	// Decided per call: with a nil Base, base() returns whatever
	// http.DefaultTransport is now, which a test may have replaced.
	_, owned := rt.(*http.Transport)
	out, reached := f.withConnectionTrace(out)
	raw, err := rt.RoundTrip(out)
	if err == nil {
		if e := f.verifyConnection(f.current(), out, reached, preflight); e != nil {
			discard(raw.Body, owned || f.t.trustBase)
			e.Preflight = preflight
			return response{}, e
		}
	}
	if err != nil {
		e := f.fail(ReasonNetwork, "")
		e.Preflight = preflight
		e.Err = networkCause(f.ctx, err)
		return response{}, e
	}
	resp := response{Response: raw, owned: owned || f.t.trustBase}
	fields := ownResponseHeader(raw, resp.owned)
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventResponse, Preflight: preflight, URL: f.current(), Status: raw.StatusCode, Header: raw.Header})
	}
	if cause := f.p.Response.refusal(raw, fields); cause != nil {
		discard(raw.Body, resp.owned)
		e := f.fail(ReasonNetwork, "")
		e.Preflight = preflight
		e.Status = raw.StatusCode
		e.Err = cause
		return response{}, e
	}
	return resp, nil
}

// networkCause returns err, Base's failure to send a request with the
// context ctx, as the cause of the network error it is: joined with the
// context's error when the context ended and err does not say so.
func networkCause(ctx context.Context, err error) error {
	if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		return errors.Join(ctx.Err(), err)
	}
	return err
}

// ownResponseHeader makes raw's header the Transport's own (ownHeader),
// with the Connection field net/http hides put back, and returns the bytes
// its fields take in an HTTP/1.1 head.
func ownResponseHeader(raw *http.Response, fresh bool) int {
	var fields int
	raw.Header, fields = ownHeader(raw.Header, fresh)
	return fields + connectionClose(raw)
}

// connectionClose puts back the Connection field net/http deletes from an
// HTTP/1.1 response that says "close" (setting Close instead), which every
// engine shows to the page (expose-name-space-basic), and returns the bytes
// it adds to the head.
func connectionClose(raw *http.Response) int {
	if raw.Close && raw.ProtoMajor == 1 && raw.ProtoMinor >= 1 && raw.Header["Connection"] == nil {
		raw.Header["Connection"] = []string{"close"} // the caller's to modify
		return len("Connection: close\r\n")
	}
	return 0
}

// ownCORSHeader is ownResponseHeader and the CORS filtering's walk
// (corsHeader, without credentials) in one walk, for a header fresh from
// net/http (ownHeader): it returns the bytes the fields take and the names
// the CORS filtered response hides, appended to hidden, for the caller to
// delete once the CORS check has read them. ok is false, and raw unchanged,
// when a name is not spelled canonically: the separate walks then run.
func ownCORSHeader(raw *http.Response, hidden []string) (names []string, fields int, ok bool) {
	h := raw.Header
	x := exposureOf(h, false)
	names = hidden
	for name, values := range h {
		if !headerlist.IsCanonicalToken(name) {
			return nil, 0, false
		}
		fields += fieldLines(name, values)
		if !x.visible(name) {
			names = append(names, name)
		}
	}
	if n := connectionClose(raw); n > 0 {
		fields += n
		if !x.visible("Connection") {
			names = append(names, "Connection")
		}
	}
	return names, fields, true
}

// refusal returns why the profile's network stack refuses raw, whose
// header fields take fields bytes (ownResponseHeader), or nil: a head over
// MaxHeadBytes, or a 407 under ProxyAuthFails.
func (r *ResponseRules) refusal(raw *http.Response, fields int) error {
	if limit := r.MaxHeadBytes; limit > 0 && headSize(raw, fields) > limit {
		return errHeadersTooBig
	}
	if raw.StatusCode == http.StatusProxyAuthRequired && r.ProxyAuthFails {
		return errUnexpectedProxyAuth
	}
	return nil
}

// resetContent drops the body of a 205 response (a null body status,
// #null-body-status), unless the engine keeps it (ResetContentBody).
func (r *ResponseRules) resetContent(raw response) {
	if raw.StatusCode == http.StatusResetContent && !r.ResetContentBody {
		discard(raw.Body, raw.owned)
		raw.Body = http.NoBody
	}
}

// errHeadersTooBig is the cause of the network error a response head over
// Profile.MaxResponseHeadBytes is.
var errHeadersTooBig = errors.New("net::ERR_RESPONSE_HEADERS_TOO_BIG: the response head is larger than the browser reads")

// headSize returns the size in bytes of the HTTP/1.1 head resp arrived with,
// whose header fields take fields bytes, as far as it can be known after
// net/http parsed it: the status line, one "Name: value" line per field,
// each with its CRLF, and the empty line.
func headSize(resp *http.Response, fields int) int {
	n := len(resp.Proto) + 1 + len(resp.Status) + 2 + fields + 2
	for _, te := range resp.TransferEncoding {
		n += len("Transfer-Encoding: ") + len(te) + 2
	}
	return n
}

// errUnexpectedProxyAuth is the cause of the network error a 407 response
// is under Profile.ProxyAuthFails.
var errUnexpectedProxyAuth = errors.New("net::ERR_UNEXPECTED_PROXY_AUTH: status 407 from a server reached without a proxy")

var errOnlyIfCached = errors.New(`cache mode "only-if-cached" and the response is not in the HTTP cache`)
