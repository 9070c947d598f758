package fetch

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/corsfetch/corsfetch/internal/headerlist"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/corsfetch/corsfetch/safelist"
)

// preflightIfNeeded is the part of HTTP fetch that decides whether the
// preflight cache covers the request and, when it does not, runs a
// CORS-preflight fetch to u. unsafeNames are the request's CORS-unsafe
// request-header names.
//
// [HTTP fetch]: https://fetch.spec.whatwg.org/#concept-http-fetch
func (f *fetchState) preflightIfNeeded(u *url.URL, unsafeNames []string) *Error {
	method := ""
	if !safelist.IsMethod(f.method) {
		method = f.method
	}
	key := f.cacheKey(u)
	bypass := f.bypassesCache()
	outcome := preflightcache.Miss
	if !bypass {
		outcome = f.t.cache.Lookup(key, method, unsafeNames, f.t.now())
	}
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventPreflightCache, URL: u, Method: method, Names: unsafeNames, Cache: outcome, Bypassed: bypass})
	}
	if outcome == preflightcache.Hit {
		return nil
	}
	if !f.t.CoalescePreflights {
		return f.preflight(u, key, unsafeNames)
	}
	err, shared := f.coalescedPreflight(u, unsafeNames, func() *Error { return f.preflight(u, key, unsafeNames) })
	if shared && f.tr.on() {
		f.tr.emit(Event{Kind: EventPreflightShared, URL: u, Method: method, Names: unsafeNames, Err: err})
	}
	return err
}

// preflight sends the CORS preflight for the request to u and validates its
// response; a valid result is stored in the cache under key.
//
// [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
func (f *fetchState) preflight(u *url.URL, key preflightcache.Key, unsafeNames []string) *Error {
	h := make(http.Header, 8)
	h["Accept"] = []string{"*/*"}
	h["Access-Control-Request-Method"] = []string{f.method}
	if len(unsafeNames) > 0 {
		h["Access-Control-Request-Headers"] = []string{strings.Join(unsafeNames, ",")}
	}
	h["Origin"] = []string{f.serializedOrigin()}
	f.addCommon(h, u, "cors")
	if f.bypassesCache() {
		f.addCacheModeHeaders(h)
	}
	out := &http.Request{
		Method:     http.MethodOptions,
		URL:        wireURL(u),
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       u.Host,
	}
	out = out.WithContext(f.ctx)
	raw, err := f.roundTrip(out, true)
	if err != nil {
		return err
	}
	discard(raw.Body)
	if err := f.validatePreflight(raw, unsafeNames); err != nil {
		err.Preflight = true
		return err
	}
	return nil
}

// validatePreflight checks a preflight response in Chromium's order: the
// CORS check, the status, then the method and header lists; a valid result
// is stored in the cache.
func (f *fetchState) validatePreflight(raw *http.Response, unsafeNames []string) *Error {
	include := f.include()
	if reason, value, ok := corsCheck(raw.Header, f.serializedOrigin(), include); !ok {
		return f.fail(reason, value)
	}
	if raw.StatusCode < 200 || raw.StatusCode > 299 {
		if raw.StatusCode >= 300 && raw.StatusCode <= 399 {
			return f.fail(ReasonPreflightDisallowedRedirect, "")
		}
		return f.fail(ReasonPreflightInvalidStatus, raw.Status)
	}
	methods, mstatus := headerlist.ExtractTokens(headerlist.Values(raw.Header, "Access-Control-Allow-Methods"))
	if mstatus == headerlist.Failure {
		return f.fail(ReasonInvalidAllowMethods, getValue(raw.Header, "Access-Control-Allow-Methods"))
	}
	names, hstatus := headerlist.ExtractTokens(headerlist.Values(raw.Header, "Access-Control-Allow-Headers"))
	if hstatus == headerlist.Failure {
		return f.fail(ReasonInvalidAllowHeaders, getValue(raw.Header, "Access-Control-Allow-Headers"))
	}
	// The method: listed byte for byte, safelisted, or covered by `*`
	// without credentials.
	if !methods.Contains(f.method) && !safelist.IsMethod(f.method) && (include || !methods.Contains("*")) {
		return f.fail(ReasonMethodDisallowed, f.method)
	}
	starHeaders := !include && names.Contains("*")
	// Authorization (a CORS non-wildcard request-header name) must be
	// listed by name, unless the profile lets `*` cover it.
	if _, ok := f.header["Authorization"]; ok && !names.ContainsFold("authorization") &&
		!(f.p.WildcardCoversAuthorization && starHeaders) {
		return f.fail(ReasonHeaderDisallowed, "authorization")
	}
	for _, n := range unsafeNames {
		if !names.ContainsFold(n) && !starHeaders {
			return f.fail(ReasonHeaderDisallowed, n)
		}
	}
	maxAge, cache := f.p.maxAge(headerlist.Values(raw.Header, "Access-Control-Max-Age"))
	if !cache {
		return nil
	}
	ms, ns := collect(methods), collect(names)
	key := f.cacheKey(f.current())
	f.t.cache.Store(key, ms, ns, maxAge, f.t.now())
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventPreflightStored, URL: f.current(), Methods: ms, Names: ns, MaxAge: maxAge})
	}
	return nil
}

// getValue is the standard's "get" of name in h: its values joined by ", ".
func getValue(h http.Header, name string) string {
	v, _ := headerlist.Get(headerlist.Values(h, name))
	return v
}

// collect returns the items of e.
func collect(e headerlist.Elements) []string {
	var out []string
	for {
		item, ok := e.Next()
		if !ok {
			return out
		}
		out = append(out, item)
	}
}
