package fetch

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/corsfetch/corsfetch/internal/headerlist"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/corsfetch/corsfetch/safelist"
)

// preflightIfNeeded is the part of HTTP fetch that decides whether the
// preflight cache covers the request and, when it does not, runs a
// CORS-preflight fetch to u. names are the request's CORS-unsafe
// request-header names, listed what the preflight lists; forced is the
// use-CORS-preflight flag (the profile preflights every hop), under which
// even a safelisted method needs a cache entry of its own.
//
// [HTTP fetch]: https://fetch.spec.whatwg.org/#concept-http-fetch
func (f *fetchState) preflightIfNeeded(u *url.URL, names, listed []string, forced bool) *Error {
	method := ""
	if forced || !safelist.IsMethod(f.method) {
		method = f.method
	}
	bypass := f.bypassesCache()
	outcome := preflightcache.Miss
	if !bypass {
		outcome = f.lookupPreflight(u, method, names)
	}
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventPreflightCache, URL: u, Method: method, Names: names, Cache: outcome, Bypassed: bypass})
	}
	if outcome == preflightcache.Hit {
		return nil
	}
	var buf [keyBufLen]byte
	key := ownedKey(f.cacheKey(&buf, u))
	send := func() *Error { return f.preflight(u, key, names, listed, forced) }
	if !f.t.CoalescePreflights {
		return send()
	}
	err, shared := f.coalescedPreflight(u, listed, send)
	if shared && f.tr.on() {
		f.tr.emit(Event{Kind: EventPreflightShared, URL: u, Method: method, Names: names, Err: err})
	}
	return err
}

// preflightOrigin is the request origin a preflight carries and is checked
// against: the serialized request origin, or the page's origin where the
// profile never taints preflights.
func (f *fetchState) preflightOrigin() string {
	if f.p.Preflight.OriginUntainted {
		return f.page
	}
	return f.serializedOrigin()
}

// preflight sends the CORS preflight for the request to u and validates its
// response; a valid result is stored in the cache under key.
//
// [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
func (f *fetchState) preflight(u *url.URL, key preflightcache.Key, names, listed []string, forced bool) *Error {
	h := make(http.Header, 12)
	h["Accept"] = valueAny
	h["Access-Control-Request-Method"] = []string{f.method}
	if len(listed) > 0 {
		h["Access-Control-Request-Headers"] = []string{strings.Join(listed, ",")}
	}
	h["Origin"] = f.originValue(f.preflightOrigin())
	if ua := f.header["User-Agent"]; f.p.Preflight.CopiesUserAgent && len(ua) > 0 {
		h["User-Agent"] = ua
	}
	f.addCommon(h, u, true)
	if f.bypassesCache() || f.p.Preflight.CacheHeaders.Has(f.opts.Cache) {
		f.addCacheModeHeaders(h)
	}
	tmp := http.Request{
		Method:     http.MethodOptions,
		URL:        wireURL(u),
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       u.Host,
	}
	out := tmp.WithContext(f.ctx)
	if err := f.localNetworkCheck(u, true); err != nil {
		return err
	}
	raw, err := f.roundTrip(out, true)
	if err != nil {
		return err
	}
	discard(raw.Body, raw.owned)
	if err := f.validatePreflight(raw.Response, key, names, forced); err != nil {
		err.Preflight = true
		err.Status = raw.StatusCode
		return err
	}
	return nil
}

// validatePreflight checks a preflight response in the profile's order
// (Preflight.Order: Chromium's is the CORS check, the status, then the
// method and header lists; WebKit checks the status first), and stores a
// valid result in the cache: after every check, or, in WebKit's order,
// before the header check.
func (f *fetchState) validatePreflight(raw *http.Response, key preflightcache.Key, names []string, forced bool) *Error {
	include := f.include()
	statusFirst := f.p.Preflight.Order == OrderStatusFirst
	if statusFirst {
		if err := f.preflightStatus(raw); err != nil {
			return err
		}
	}
	if reason, value, ok := corsCheck(raw.Header, f.preflightOrigin(), include); !ok {
		return f.fail(reason, value)
	}
	if err := f.preflightStatus(raw); err != nil {
		return err
	}
	methods, mstatus := headerlist.ExtractTokens(raw.Header["Access-Control-Allow-Methods"])
	if mstatus == headerlist.Failure {
		return f.fail(ReasonInvalidAllowMethods, getValue(raw.Header, "Access-Control-Allow-Methods"))
	}
	allowed, hstatus := headerlist.ExtractTokens(raw.Header["Access-Control-Allow-Headers"])
	if hstatus == headerlist.Failure {
		return f.fail(ReasonInvalidAllowHeaders, getValue(raw.Header, "Access-Control-Allow-Headers"))
	}
	ms := collect(methods)
	if mstatus == headerlist.Null && forced {
		// "If methods is null and request's use-CORS-preflight flag is
		// set, then set methods to a new list containing request's
		// method", so that the forced preflight can be cached.
		ms = []string{f.method}
	}
	// The method: listed byte for byte, safelisted, or covered by `*`
	// without credentials.
	if !slices.Contains(ms, f.method) && !safelist.IsMethod(f.method) && (include || !methods.Contains("*")) {
		return f.fail(ReasonMethodDisallowed, f.method)
	}
	if statusFirst {
		f.storePreflight(raw, key, ms, collect(allowed))
	}
	if err := f.checkPreflightHeaders(allowed, names); err != nil {
		return err
	}
	if !statusFirst {
		f.storePreflight(raw, key, ms, collect(allowed))
	}
	return nil
}

// preflightStatus fails a preflight response whose status is not ok.
func (f *fetchState) preflightStatus(raw *http.Response) *Error {
	switch {
	case raw.StatusCode >= 200 && raw.StatusCode <= 299:
		return nil
	case raw.StatusCode >= 300 && raw.StatusCode <= 399:
		return f.fail(ReasonPreflightDisallowedRedirect, "")
	}
	return f.fail(ReasonPreflightInvalidStatus, raw.Status)
}

// checkPreflightHeaders checks the request's CORS-unsafe header names
// against the preflight's Access-Control-Allow-Headers list allowed.
func (f *fetchState) checkPreflightHeaders(allowed headerlist.Elements, names []string) *Error {
	starHeaders := !f.include() && allowed.Contains("*")
	// Authorization (a CORS non-wildcard request-header name) must be
	// listed by name, unless the profile lets `*` cover it.
	if _, ok := f.header["Authorization"]; ok && !allowed.ContainsFold("authorization") &&
		!(f.p.Preflight.WildcardCoversAuthorization && starHeaders) {
		return f.fail(ReasonHeaderDisallowed, "authorization")
	}
	for _, n := range names {
		if !allowed.ContainsFold(n) && !starHeaders {
			return f.fail(ReasonHeaderDisallowed, n)
		}
	}
	return nil
}

// storePreflight stores the methods and header names a preflight response
// allowed under key, a key of its own (ownedKey), for its max-age
// (#cors-preflight-fetch-0, the steps after the checks).
func (f *fetchState) storePreflight(raw *http.Response, key preflightcache.Key, methods, names []string) {
	maxAge, cache := f.p.Preflight.maxAge(raw.Header["Access-Control-Max-Age"], f.p.PreflightCache)
	if !cache {
		return
	}
	f.t.cache.Store(key, methods, names, maxAge, f.t.now())
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventPreflightStored, URL: f.current(), Methods: methods, Names: names, MaxAge: maxAge,
			Value: getValue(raw.Header, "Access-Control-Max-Age")})
	}
}

// getValue is the standard's "get" of name (canonical) in h, whose keys are
// canonical: its values joined by ", ".
func getValue(h http.Header, name string) string {
	return get(h[name])
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
