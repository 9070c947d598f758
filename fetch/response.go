package fetch

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"time"

	"github.com/corsfetch/corsfetch/internal/headerlist"
)

// ResponseType is a response's type as page script sees it in
// Response.type.
//
// [response type]: https://fetch.spec.whatwg.org/#concept-response-type
type ResponseType int

const (
	// TypeUnknown is what TypeOf reports for a response that did not come
	// from a Transport.
	TypeUnknown ResponseType = iota
	// TypeBasic: a same-origin response; every header but Set-Cookie.
	TypeBasic
	// TypeCORS: a cross-origin response that passed the CORS check; only
	// the CORS-safelisted and exposed headers.
	TypeCORS
	// TypeOpaque: a no-cors cross-origin response; status 0, nothing
	// readable.
	TypeOpaque
	// TypeOpaqueRedirect: a redirect under redirect mode "manual";
	// status 0, nothing readable.
	TypeOpaqueRedirect
)

// String returns the value of Response.type: "basic", "cors", "opaque" or
// "opaqueredirect" ("" for TypeUnknown).
func (t ResponseType) String() string {
	switch t {
	case TypeBasic:
		return "basic"
	case TypeCORS:
		return "cors"
	case TypeOpaque:
		return "opaque"
	case TypeOpaqueRedirect:
		return "opaqueredirect"
	}
	return ""
}

// responseInfo is what a Transport records about a response it returns, in
// the context of resp.Request.
type responseInfo struct {
	typ  ResponseType
	urls []*url.URL
}

type responseKey struct{}

// responseContext is the context of a returned response's Request: the
// request's own, plus what TypeOf and URLList read, in one allocation.
type responseContext struct {
	context.Context
	info  responseInfo
	final url.URL
}

// Value returns the response's information for responseKey, and the
// request context's values otherwise.
func (c *responseContext) Value(key any) any {
	if key == (responseKey{}) {
		return &c.info
	}
	return c.Context.Value(key)
}

// TypeOf returns the type of a response returned by a Transport, and
// TypeUnknown for any other response.
func TypeOf(resp *http.Response) ResponseType {
	if info := infoOf(resp); info != nil {
		return info.typ
	}
	return TypeUnknown
}

// URLList returns every URL the fetch of resp went through, the first one
// first; resp.Request.URL is the last. It returns nil for a response that did
// not come from a Transport, and for an opaque response, whose URL list the
// browser empties (its resp.Request.URL is the URL that was asked for). The
// URLs are copies.
//
// [URL list]: https://fetch.spec.whatwg.org/#concept-response-url-list
func URLList(resp *http.Response) []*url.URL {
	info := infoOf(resp)
	if info == nil || len(info.urls) == 0 {
		return nil
	}
	out := make([]*url.URL, len(info.urls))
	for i, u := range info.urls {
		c := *u
		out[i] = &c
	}
	return out
}

func infoOf(resp *http.Response) *responseInfo {
	if resp == nil || resp.Request == nil {
		return nil
	}
	info, _ := resp.Request.Context().Value(responseKey{}).(*responseInfo)
	return info
}

// ownHeader returns the Transport's own copy of a response header h from
// Base, with every field under its name's canonical key
// (textproto.CanonicalMIMEHeaderKey), so that the Transport can look names
// up directly, as the Fetch Standard matches them byte-case-insensitively,
// and filter the fields in place. net/http's client delivers canonical keys
// in a new map for every response, and then (fresh) h itself is returned;
// any other Base may share one map between responses, so its h is copied. A
// Base that writes other spellings gets them merged, the canonical key's
// values first, then the others' in key order. A field whose name is not a
// token (net/http passes "X A" on) is dropped, as Chromium, Firefox and
// WebKit drop it from the response and keep the rest (expose-name-space,
// expose-name-space-basic). It also returns the bytes the fields of the
// result take in an HTTP/1.1 head (fieldsSize), counted on the same walk:
// on the real path, every walk of a map costs as much as a few look-ups.
func ownHeader(h http.Header, fresh bool) (http.Header, int) {
	if h == nil {
		return make(http.Header), 0
	}
	size := 0
	for k, values := range h {
		if !headerlist.IsCanonicalToken(k) {
			out := canonicalHeader(h)
			return out, fieldsSize(out)
		}
		size += fieldLines(k, values)
	}
	if fresh {
		return h, size
	}
	return h.Clone(), size
}

// canonicalHeader returns a new map with every field of h whose name is a
// token under its canonical key: the canonical key's values first, then
// the other spellings' in key order.
func canonicalHeader(h http.Header) http.Header {
	keys := slices.Sorted(maps.Keys(h))
	out := make(http.Header, len(h))
	keys = slices.DeleteFunc(keys, func(k string) bool { return !headerlist.IsToken(k) })
	for _, k := range keys {
		if c := textproto.CanonicalMIMEHeaderKey(k); c == k {
			out[c] = append(out[c][:len(out[c]):len(out[c])], h[k]...)
		}
	}
	for _, k := range keys {
		if c := textproto.CanonicalMIMEHeaderKey(k); c != k {
			out[c] = append(out[c][:len(out[c]):len(out[c])], h[k]...)
		}
	}
	return out
}

// fieldsSize returns the bytes the fields of h take in an HTTP/1.1 head:
// one "Name: value" line per field, each with its CRLF.
func fieldsSize(h http.Header) int {
	n := 0
	for name, values := range h {
		n += fieldLines(name, values)
	}
	return n
}

// fieldLines returns the bytes the fields (name, v) of values take in an
// HTTP/1.1 head, "Name: value" and CRLF each.
func fieldLines(name string, values []string) int {
	n := 0
	for _, v := range values {
		n += len(name) + len(": \r\n") + len(v)
	}
	return n
}

// drainLimit is how many bytes of a body the page may not read are drained
// before it is closed, so that the connection can be reused; a longer body
// is abandoned with its connection.
const drainLimit = 64 << 10

// drainTimeout is how long discard waits for those bytes: a body that
// arrives more slowly (a server dripping it forever) is abandoned with its
// connection, so that the fetch fails, or goes on, as soon as the browser's
// would, which reads nothing of it.
const drainTimeout = 100 * time.Millisecond

// discard drains up to drainLimit bytes of body for at most drainTimeout,
// then closes it. With closeUnblocks (a body from net/http, whose Read
// returns at once when the body is closed) it reads in the caller's
// goroutine and a timer closes the body when the time is up. Any other body
// is drained in a goroutine of its own, which ends when its Read returns.
func discard(body io.ReadCloser, closeUnblocks bool) {
	if body == nil || body == http.NoBody {
		return
	}
	if closeUnblocks {
		t := time.AfterFunc(drainTimeout, func() { body.Close() })
		io.CopyN(io.Discard, body, drainLimit)
		if t.Stop() {
			// Closed once: a second Close of an HTTP/2 body would return
			// its unread bytes to the flow-control window again.
			body.Close()
		}
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.CopyN(io.Discard, body, drainLimit)
	}()
	timer := time.NewTimer(drainTimeout)
	select {
	case <-done:
	case <-timer.C:
	}
	timer.Stop()
	body.Close()
}

// filtered builds the response returned to the caller from the network
// or cache response raw (whose body it takes over) for the request req,
// with the fetch's URL list, in resp, with the context rc for its request.
// raw.Response may be resp itself (an HTTP-cache hit is built there): every
// field is read before resp is set. The header is filtered in place, or in
// a copy when raw's is the HTTP cache's (shared); an opaque response gets
// raw's map emptied, or a new one.
func filtered(req *http.Request, raw response, typ ResponseType, include bool, urls []*url.URL, rc *responseContext, resp *http.Response) *http.Response {
	in := raw.Response
	h := in.Header
	if typ == TypeOpaque || typ == TypeOpaqueRedirect {
		*rc = responseContext{Context: req.Context(), info: responseInfo{typ: typ, urls: urls}, final: *urls[len(urls)-1]}
		if typ == TypeOpaque {
			// An opaque filtered response's URL list is empty: where the
			// request ended up is hidden, and the caller keeps only the URL it
			// asked for.
			rc.final, rc.info.urls = *urls[0], nil
		}
		r2 := req.WithContext(rc)
		r2.URL = &rc.final
		discard(in.Body, raw.owned)
		if raw.shared || h == nil {
			h = make(http.Header)
		}
		clear(h)
		*resp = http.Response{Proto: in.Proto, ProtoMajor: in.ProtoMajor, ProtoMinor: in.ProtoMinor, Request: r2, Header: h, Body: http.NoBody}
		return resp
	}
	if raw.shared {
		h = h.Clone()
	}
	switch typ {
	case TypeBasic:
		h = basicHeader(h)
	default:
		h = corsHeader(h, include)
	}
	return respond(req, in, typ, h, urls, rc, resp)
}

// respond builds in resp the response of type typ (basic or cors) returned
// to the caller from in, with the header list h, for the request req with
// the fetch's URL list, with the context rc for its request. in may be
// resp itself: every field is read before resp is set.
func respond(req *http.Request, in *http.Response, typ ResponseType, h http.Header, urls []*url.URL, rc *responseContext, resp *http.Response) *http.Response {
	*rc = responseContext{Context: req.Context(), info: responseInfo{typ: typ, urls: urls}, final: *urls[len(urls)-1]}
	r2 := req.WithContext(rc)
	r2.URL = &rc.final
	out := http.Response{Status: in.Status, StatusCode: in.StatusCode, Proto: in.Proto, ProtoMajor: in.ProtoMajor, ProtoMinor: in.ProtoMinor,
		Header: h, Body: in.Body, ContentLength: in.ContentLength, Uncompressed: in.Uncompressed, TLS: in.TLS, Request: r2}
	if out.Body == nil {
		out.Body = http.NoBody
	}
	*resp = out
	return resp
}
