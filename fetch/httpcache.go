package fetch

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/corsfetch/corsfetch/httpcache"
)

// The HTTP cache's part of HTTP-network-or-cache fetch: which stored
// response a request may use under its cache mode, the conditional request
// that validates a stale one, and what is stored. The cache holds the
// unfiltered response; a stored answer goes through the CORS check and the
// filtering of the request that uses it, like a network answer, so that a
// response stored by a no-cors fetch and reused by a CORS fetch fails the
// CORS check as it does in a browser.
//
// [HTTP-network-or-cache fetch]: https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch

// httpCacheKey returns where a GET of u is stored: u without its fragment,
// in the partition of the page's top-level site (none when the profile's
// cache is Unpartitioned), apart from the requests that send credentials
// when the profile keys the cache by credentials.
func (f *fetchState) httpCacheKey(u *url.URL) httpcache.Key {
	return f.httpCacheKeyURL(wireURL(u).String())
}

// lookupKey is httpCacheKey for a look-up only: the URL is written in buf
// (serializeURL) when it has no fragment, so that a look-up allocates
// nothing, and the key must not be kept.
func (f *fetchState) lookupKey(buf *[keyBufLen]byte, u *url.URL) httpcache.Key {
	if u.Fragment != "" {
		return f.httpCacheKey(u)
	}
	return f.httpCacheKeyURL(serializeURL(buf, u))
}

// httpCacheKeyURL returns the key of the URL (fragment removed, as sent)
// under the profile's HTTP-cache rules.
func (f *fetchState) httpCacheKeyURL(wire string) httpcache.Key {
	k := httpcache.Key{URL: wire}
	rules := f.p.HTTPCache
	if !rules.Unpartitioned {
		k.Partition = f.t.pageSite
	}
	if rules.KeyedByCredentials {
		k.Anonymous = !f.credentialed
	}
	return k
}

// storedResponse returns the stored response the cache mode lets a GET to u
// with the header list h (as it would be sent) use or validate, and
// whether there is one: none for no-store and reload, and none without an
// HTTP cache. Its header is the cache's own: read, never changed.
func (f *fetchState) storedResponse(u *url.URL, h http.Header) (s httpcache.Stored, ok bool) {
	cache := f.t.httpCache
	if cache == nil || f.method != http.MethodGet {
		return s, false
	}
	switch f.opts.Cache {
	case CacheNoStore, CacheReload:
		return s, false
	}
	var buf [keyBufLen]byte
	ok = cache.LookupInto(f.lookupKey(&buf, u), h, f.t.now(), &s)
	return s, ok
}

// usable reports whether the cache mode lets the request use s without the
// network: fresh in the default mode; at any age under force-cache and
// only-if-cached; never under no-cache, which validates every time.
func (f *fetchState) usable(s *httpcache.Stored) bool {
	switch f.opts.Cache {
	case CacheForceCache, CacheOnlyIfCached:
		return true
	case CacheDefault:
		return s.Fresh
	}
	return false
}

// conditional adds to h the fields that validate s, when it has
// validators (If-None-Match for an ETag, If-Modified-Since for a
// Last-Modified), and reports whether it did.
func conditional(h http.Header, s *httpcache.Stored) bool {
	if s.ETag != "" {
		h["If-None-Match"] = []string{s.ETag}
	}
	if s.LastModified != "" {
		h["If-Modified-Since"] = []string{s.LastModified}
	}
	return s.ETag != "" || s.LastModified != ""
}

// cachedResponse returns s as the response to the current request, built
// in the fetchState (respBuf, cachedBody). With shared, s's header is the
// cache's own (storedResponse), which the filtering copies; without, a
// copy of the fetch's (revalidated).
func (f *fetchState) cachedResponse(s *httpcache.Stored, shared bool) response {
	f.cachedBody.Reset(s.Body)
	f.respBuf = http.Response{
		Status: s.StatusText, StatusCode: s.Status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: s.Header, Body: &f.cachedBody, ContentLength: int64(len(s.Body)),
	}
	raw := &f.respBuf
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventResponse, URL: f.current(), Status: raw.StatusCode, Header: raw.Header, FromCache: true})
	}
	return response{Response: raw, owned: true, shared: shared} // a body in memory
}

// memBody is the body of a response from the HTTP cache: the stored bytes,
// shared, read in place.
type memBody struct{ bytes.Reader }

// Close does nothing: the bytes stay the cache's.
func (*memBody) Close() error { return nil }

// revalidated returns the stored response to the request to u after a 304
// validated it, freshened with the 304's fields, or false when the cache no
// longer holds it.
func (f *fetchState) revalidated(u *url.URL, raw response, sent time.Time) (response, bool) {
	discard(raw.Body, raw.owned)
	s := f.t.httpCache.Freshen(f.httpCacheKey(u), raw.Header, sent, f.t.now())
	if s == nil {
		return response{}, false
	}
	return f.cachedResponse(s, false), true
}

// storeResponse stores raw, the network's answer to the request out to u,
// when the cache mode and the response allow, reading its body into memory
// (at most the cache's body limit) and giving raw a body that yields the
// same bytes; a successful response to a method that is not safe
// invalidates the stored GET (RFC 9111 section 4.4).
func (f *fetchState) storeResponse(u *url.URL, out *http.Request, raw response, sent time.Time) {
	cache := f.t.httpCache
	switch {
	case cache == nil:
		return
	case f.method != http.MethodGet:
		if f.method != http.MethodHead && raw.StatusCode < 400 && !f.p.HTTPCache.KeepOnUnsafe {
			cache.Invalidate(f.httpCacheKey(u))
		}
		return
	case f.opts.Cache == CacheNoStore || !httpcache.Storable(raw.StatusCode, raw.Header):
		return
	}
	limit := cache.MaxBodyBytes()
	if raw.ContentLength > limit {
		return
	}
	body, err := io.ReadAll(io.LimitReader(raw.Body, limit+1))
	rest := raw.Body
	raw.Body = readCloser{io.MultiReader(bytes.NewReader(body), rest), rest}
	if err != nil || int64(len(body)) > limit {
		return
	}
	cache.Store(f.httpCacheKey(u), out.Header, raw.StatusCode, raw.Status, raw.Header, body, sent, f.t.now())
}

// readCloser reads from r and closes c.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }
