package fetch

import (
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/internal/headerlist"
	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/corsfetch/corsfetch/safelist"
)

// Transport is an http.RoundTripper that fetches as page script at Origin
// would with fetch(): it classifies the request, sends a CORS preflight when
// the browser would (or serves it from the preflight cache), sends the
// request with the headers the browser would send, runs the CORS check,
// follows redirects the browser's way and returns only what script could
// read. A fetch the browser would fail returns an error that unwraps to
// *Error.
//
// Set the fields before the first request and do not change them after; a
// Transport is then safe for concurrent use by many goroutines. Per-request
// settings (mode, credentials, redirect, cache) travel in the request's
// context: see WithOptions.
type Transport struct {
	// Origin is the page's origin. It is required: a zero Origin makes
	// every request fail with ReasonInvalidOrigin.
	Origin origin.Origin

	// Base sends requests to the network; nil means http.DefaultTransport.
	// The Transport follows redirects itself and never passes a request
	// to Base that the browser would not send.
	Base http.RoundTripper

	// Jar holds the browser's cookies; nil means none (no cookie is sent
	// or stored). It is read and written only when the request's
	// credentials mode and URL allow it, never for a preflight.
	//
	// A *cookiestore.Store is the jar a browser has: it keeps each
	// cookie's SameSite, Secure and Partitioned attributes, so that the
	// profile's SameSite rules apply when cookies are sent, and keeps
	// Partitioned (and, where the profile partitions them, third-party)
	// cookies under the page's site, where every Transport of that site
	// sharing the store finds them. Any other http.CookieJar reports names
	// and values only: SameSite is then applied when cookies are set but
	// not when they are sent, and partitioned cookies live in a jar of the
	// Transport's own.
	//
	// http.Client.Jar plays no part: the Transport sends and stores
	// cookies itself and never shows Set-Cookie to the client, as a
	// browser never shows it to page script.
	Jar http.CookieJar

	// Cache is the CORS-preflight cache; nil means a private cache created
	// with the profile's options. Transports sharing a Cache behave like
	// pages of one browser.
	Cache *preflightcache.Cache

	// Browser is the behaviour profile; the zero value is Chrome.
	Browser Profile

	// UserAgent, when not empty, is the User-Agent of every request,
	// preflights included, unless the page set one the profile lets it
	// set. When empty, Base's default is sent (Go's).
	UserAgent string

	// AcceptLanguage, when not empty, is sent as Accept-Language on every
	// request (preflights included) for which the page set none, as the
	// browser's network layer adds the user's languages. It does not count
	// in the preflight decision. Chromium sends "en-US,en;q=0.9" in an
	// en-US locale.
	AcceptLanguage string

	// Referrer is the page's URL, which the Referer header is made from
	// under ReferrerPolicy; empty means the root of Origin ("origin/").
	Referrer string

	// ReferrerPolicy is the page's referrer policy, one of the values of
	// the Referrer-Policy header; empty means the default,
	// "strict-origin-when-cross-origin": the full Referrer to its own
	// origin, the origin alone to others, nothing from https to http.
	ReferrerPolicy string

	// Trace, when not nil, is called with every Event of every request,
	// from the goroutine running RoundTrip. See also WithTrace.
	Trace func(Event)

	// HTTPCache gives the Transport a private HTTP cache, as a browser
	// has: a GET response with explicit freshness (Cache-Control max-age,
	// or Expires) is stored and answers later GETs of the same URL while
	// fresh, without the network, and through the CORS check and filtering
	// of each request that reuses it. Cache modes apply: no-store neither
	// reads nor writes it, reload and no-cache only write, force-cache and
	// only-if-cached also take stale answers. Off by default, so that tests
	// see every request reach the server; not simulated: heuristic
	// freshness, revalidation with validators, ranges, partitioning by top
	// level site.
	HTTPCache bool

	// CoalescePreflights makes concurrent requests that need the same
	// preflight (same origin, URL, credentials mode, method and CORS-unsafe
	// header names) share one: the first sends it, the others wait for its
	// result. Browsers send one preflight per request, so this is off in
	// every profile's behaviour; turn it on for crawlers that fire many
	// identical requests at once.
	CoalescePreflights bool

	// Now returns the time used for the preflight cache; nil means
	// time.Now. Tests set it to control expiry.
	Now func() time.Time

	once      sync.Once
	prof      Profile
	cache     *preflightcache.Cache
	store     *cookiestore.Store // Jar, when it is one
	pageSite  string             // the page's site, the partition key of its cookies
	partJar   http.CookieJar
	partErr   error
	flights   flights
	httpCache *httpCache
	// trustBase makes every Base count as net/http's (TrustFreshHeaders,
	// for a benchmark).
	trustBase bool
	// Values computed once.
	page                      string   // Origin, serialized
	pageValue                 []string // page as a header value
	userAgent, acceptLanguage []string
	refOrigin, refFull        []string
}

// init resolves the profile and creates what the Transport owns.
func (t *Transport) init() {
	t.prof = t.Browser.resolve()
	if t.HTTPCache {
		t.httpCache = &httpCache{}
	}
	t.page = t.Origin.String()
	t.pageValue = []string{t.page}
	if t.UserAgent != "" {
		t.userAgent = []string{t.UserAgent}
	}
	if t.AcceptLanguage != "" {
		t.acceptLanguage = []string{t.AcceptLanguage}
	}
	if !t.Origin.IsZero() && !t.Origin.IsOpaque() {
		t.refOrigin = []string{t.Origin.String() + "/"}
		t.refFull = t.refOrigin
		if t.Referrer != "" {
			if r, err := url.Parse(t.Referrer); err == nil {
				// Strip the URL for use as a referrer: no credentials,
				// no fragment.
				r.User, r.Fragment, r.RawFragment = nil, "", ""
				t.refFull = []string{r.String()}
			}
		}
	}
	t.cache = t.Cache
	if t.cache == nil {
		t.cache = preflightcache.New(t.prof.PreflightCache)
	}
	t.pageSite = t.Origin.Site()
	t.store, _ = t.Jar.(*cookiestore.Store)
	if t.Jar != nil && t.store == nil && t.prof.Cookies.ThirdParty != ThirdPartyAllowed {
		t.partJar, t.partErr = newPartitionJar()
	}
}

func (t *Transport) base() http.RoundTripper {
	if t.Base == nil {
		return http.DefaultTransport
	}
	return t.Base
}

func (t *Transport) now() time.Time {
	if t.Now == nil {
		return time.Now()
	}
	return t.Now()
}

// tainting is a request's response tainting.
//
// [response tainting]: https://fetch.spec.whatwg.org/#concept-request-response-tainting
type tainting uint8

const (
	taintBasic tainting = iota
	taintCORS
	taintOpaque
)

// fetchState is one fetch in progress: the request as the browser holds it
// after the Request constructor, and what main fetch has learned.
type fetchState struct {
	t    *Transport
	p    *Profile
	req  *http.Request
	ctx  context.Context
	opts Options
	tr   tracer

	method string
	header http.Header // the request's header list: author headers kept, plus Accept
	page   string      // the page's origin, serialized

	body          io.ReadCloser // the body not yet sent, or nil
	hasBody       bool          // the request has a body (until a redirect drops it)
	getBody       func() (io.ReadCloser, error)
	contentLength int64

	urls       []*url.URL
	origins    []origin.Origin // origins[i] is the origin of urls[i]
	urlsBuf    [2]*url.URL
	originsBuf [2]origin.Origin
	firstURL   url.URL // urls[0], the request's URL copied
	// conditional: the request's header list has a conditional field
	// (hasConditionalHeader); it never changes across hops.
	conditional bool
	// netHTTP: the response being handled came from an *http.Transport,
	// which makes a new header map for every response and whose bodies
	// return from a blocked Read when closed; or from the HTTP cache,
	// whose header maps are copies and whose bodies are in memory. Its
	// header is then filtered in place and its body drained in the
	// caller's goroutine.
	netHTTP  bool
	tainting tainting
	tainted  bool // redirect-taint is not same-origin: the origin serializes as "null"
	count    int  // redirects followed
	// preflighted is set once the fetch went through the CORS-with-preflight
	// path, whose failures clear the cache.
	preflighted bool
	// originSent: the last request sent carried an Origin header (for
	// Profile.OriginKeptAfterMethodChange).
	originSent bool
	// Unless Preflight.AfterRedirect is PreflightPerHop: whether the request as the page
	// made it needs a preflight, and the header names it would list.
	initialNeedsPreflight bool
	initialListed         []string
}

// RoundTrip fetches req as the page would. It returns the filtered response,
// or an error that unwraps to *Error when the browser would fail the fetch.
// req is not modified; its body is closed.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.once.Do(t.init)
	f := &fetchState{
		t:    t,
		p:    &t.prof,
		req:  req,
		ctx:  req.Context(),
		opts: OptionsOf(req),
		body: req.Body,
	}
	f.urls, f.origins = f.urlsBuf[:0], f.originsBuf[:0]
	f.tr.t = t.Trace
	f.tr.r, _ = f.ctx.Value(traceKey{}).(func(Event))
	resp, err := f.run()
	if f.body != nil {
		f.body.Close()
		f.body = nil
	}
	if err != nil {
		if f.tr.on() {
			f.tr.emit(Event{Kind: EventDone, URL: f.current(), Err: err})
		}
		return nil, err
	}
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventDone, URL: resp.Request.URL, Status: resp.StatusCode, Type: TypeOf(resp)})
	}
	return resp, nil
}

// current returns the current URL, or the request's URL before the URL
// list exists.
func (f *fetchState) current() *url.URL {
	if len(f.urls) > 0 {
		return f.urls[len(f.urls)-1]
	}
	return f.req.URL
}

// push appends u to the URL list.
func (f *fetchState) push(u *url.URL) {
	f.urls = append(f.urls, u)
	f.origins = append(f.origins, origin.FromURL(u))
}

// pop removes the last URL of the URL list.
func (f *fetchState) pop() {
	f.urls = f.urls[:len(f.urls)-1]
	f.origins = f.origins[:len(f.origins)-1]
}

// currentOrigin returns the origin of the current URL.
func (f *fetchState) currentOrigin() origin.Origin { return f.origins[len(f.origins)-1] }

// fail returns an *Error for the current URL.
func (f *fetchState) fail(r Reason, value string) *Error {
	e := &Error{Reason: r, Value: value, Origin: f.page, Profile: f.p.Name, Console: f.p.Console}
	if u := f.current(); u != nil {
		e.URL = u.String()
	}
	if len(f.urls) > 1 {
		e.InitialURL = f.urls[0].String()
	}
	return e
}

// run performs the fetch.
func (f *fetchState) run() (*http.Response, *Error) {
	if err := f.setup(); err != nil {
		return nil, err
	}
	return f.loop()
}

// setup does what the Request constructor and the start of fetch do: it
// validates the method and headers, applies the mode's header guard, adds
// Accept, and checks the URL. Nothing is sent.
//
// [Request constructor]: https://fetch.spec.whatwg.org/#dom-request
// [fetch]: https://fetch.spec.whatwg.org/#concept-fetch
func (f *fetchState) setup() *Error {
	t := f.t
	if t.Origin.IsZero() {
		return f.fail(ReasonInvalidOrigin, "")
	}
	f.page = t.page
	if f.req.URL == nil {
		return f.fail(ReasonInvalidURL, "")
	}
	if t.partErr != nil {
		e := f.fail(ReasonNetwork, "")
		e.Err = t.partErr
		return e
	}
	f.firstURL = *f.req.URL
	u := &f.firstURL
	if u.User != nil {
		// The Request constructor throws for a URL with credentials.
		return f.fail(ReasonInvalidURL, u.Redacted())
	}
	if u.Scheme == "" || u.Host == "" && (u.Scheme == "http" || u.Scheme == "https") {
		return f.fail(ReasonInvalidURL, u.String())
	}
	f.push(u)

	// Method.
	m := f.req.Method
	if m == "" {
		m = http.MethodGet
	}
	if !safelist.IsValidMethod(m) {
		return f.fail(ReasonInvalidMethod, m)
	}
	if safelist.IsForbiddenMethod(m) {
		return f.fail(ReasonForbiddenMethod, m)
	}
	f.method = safelist.NormalizeMethod(m)

	// Body.
	if f.body == http.NoBody {
		f.body = nil
	}
	f.contentLength = f.req.ContentLength
	f.getBody = f.req.GetBody
	f.hasBody = f.body != nil
	if f.body != nil && (f.method == http.MethodGet || f.method == http.MethodHead) {
		return f.fail(ReasonBodyNotAllowed, f.method)
	}

	// Mode and cache mode.
	if f.opts.Mode == ModeNoCORS && !safelist.IsMethod(f.method) {
		return f.fail(ReasonNoCORSMethod, f.method)
	}
	if f.opts.Cache == CacheOnlyIfCached && f.opts.Mode != ModeSameOrigin {
		return f.fail(ReasonOnlyIfCached, "")
	}

	// Headers.
	h, err := f.headerList()
	if err != nil {
		return err
	}
	if len(h["Accept"]) == 0 {
		h["Accept"] = valueAny
	}
	f.header = h
	// HTTP-network-or-cache fetch: a conditional request in the default
	// cache mode does not use the HTTP cache; each engine has its own
	// mode for it (ConditionalCacheMode).
	f.conditional = hasConditionalHeader(h)
	if f.opts.Cache == CacheDefault && f.p.Request.ConditionalCacheMode != CacheDefault && f.conditional {
		f.opts.Cache = f.p.Request.ConditionalCacheMode
	}
	if f.p.Preflight.AfterRedirect != PreflightPerHop {
		names, listed := f.unsafeNames(h)
		f.initialNeedsPreflight = !safelist.IsMethod(f.method) || len(names) > 0
		f.initialListed = listed
	}
	return nil
}

// headerList validates the request's header fields and returns the header
// list the browser keeps: values normalized, forbidden request-headers
// dropped, and under no-cors only the no-CORS-safelisted ones.
//
// [Headers append]: https://fetch.spec.whatwg.org/#concept-headers-append
func (f *fetchState) headerList() (http.Header, *Error) {
	h := make(http.Header, len(f.req.Header)+1) // +1: Accept
	for raw, values := range f.req.Header {
		if len(values) == 0 {
			continue
		}
		if !headerlist.IsToken(raw) {
			return nil, f.invalidHeader()
		}
		name := textproto.CanonicalMIMEHeaderKey(raw)
		clean := h[name] == nil
		for _, v := range values {
			if !headerlist.IsValue(v) || v != headerlist.TrimWhitespace(v) {
				clean = false
				break
			}
		}
		if clean {
			// The caller's slice is shared, never modified: every change
			// below makes a new one.
			h[name] = values
			continue
		}
		for _, v := range values {
			v = headerlist.TrimWhitespace(v)
			if !headerlist.IsValue(v) {
				return nil, f.invalidHeader()
			}
			h[name] = append(h[name], v)
		}
	}
	if f.tr.on() {
		for _, name := range slices.Sorted(maps.Keys(h)) {
			f.guard(h, name)
		}
		return h, nil
	}
	for name := range h {
		f.guard(h, name)
	}
	return h, nil
}

// invalidHeader returns the error for the first invalid header field of the
// request, in name order.
func (f *fetchState) invalidHeader() *Error {
	for _, raw := range slices.Sorted(maps.Keys(f.req.Header)) {
		if !headerlist.IsToken(raw) {
			return f.fail(ReasonInvalidHeader, raw)
		}
		for _, v := range f.req.Header[raw] {
			if !headerlist.IsValue(headerlist.TrimWhitespace(v)) {
				return f.fail(ReasonInvalidHeader, textproto.CanonicalMIMEHeaderKey(raw))
			}
		}
	}
	return f.fail(ReasonInvalidHeader, "")
}

// guard applies the header guard to the fields of name in h: it drops the
// ones the browser does not keep (reporting each to the trace) and combines
// repeated fields where the profile does.
func (f *fetchState) guard(h http.Header, name string) {
	values := h[name]
	var kept []string // nil while every value so far is kept
	for i, v := range values {
		sofar := values[:i]
		if kept != nil {
			sofar = kept
		}
		why := f.dropReason(name, v, sofar)
		if why == "" {
			if kept != nil {
				kept = append(kept, v)
			}
			continue
		}
		if kept == nil {
			kept = append(make([]string, 0, len(values)), values[:i]...)
		}
		if f.tr.on() {
			f.tr.emit(Event{Kind: EventHeaderDropped, URL: f.current(), Name: name, Value: v, Why: why})
		}
	}
	if kept == nil {
		kept = values
	}
	switch {
	case len(kept) == 0:
		delete(h, name)
	case f.p.Request.CombineRepeated && len(kept) > 1:
		h[name] = []string{get(kept)}
	default:
		h[name] = kept
	}
}

// dropReason says why the browser would not keep the field (name, v) after
// the fields kept; "" means it keeps it.
func (f *fetchState) dropReason(name, v string, kept []string) string {
	if safelist.IsForbiddenRequestHeader(name, v) {
		return "forbidden request-header (#forbidden-request-header)"
	}
	if f.p.Request.UserAgentForbidden && name == "User-Agent" {
		return f.p.Name + " does not let pages set User-Agent"
	}
	if f.opts.Mode == ModeNoCORS {
		combined := get(append(slices.Clip(kept), v))
		if !safelist.IsNoCORSRequestHeader(name, combined) {
			return "not a no-CORS-safelisted request-header, and the mode is no-cors (#no-cors-safelisted-request-header)"
		}
	}
	return ""
}

// loop runs main fetch for the current URL and HTTP-redirect fetch until a
// response that is not followed.
func (f *fetchState) loop() (*http.Response, *Error) {
	for {
		raw, typ, err := f.mainFetch()
		if err != nil {
			return nil, err
		}
		resp, done, err := f.redirect(raw, typ)
		switch {
		case err != nil:
			return nil, err
		case resp != nil:
			return resp, nil
		case done:
			return filtered(f.req, raw, typ, f.include(), f.urls, f.netHTTP), nil
		}
	}
}

// include reports whether the request's credentials mode is include.
func (f *fetchState) include() bool { return f.opts.Credentials == CredentialsInclude }

// serializedOrigin is the byte-serialized request origin: "null" once the
// request is redirect-tainted.
//
// [byte-serializing a request origin]: https://fetch.spec.whatwg.org/#byte-serializing-a-request-origin
func (f *fetchState) serializedOrigin() string {
	if f.tainted {
		return "null"
	}
	return f.page
}

// mainFetch runs main fetch's switch for the current URL and sends the
// request: the basic, opaque or CORS path, the last with a preflight when
// needed. It returns the unfiltered response after the CORS check.
//
// [main fetch]: https://fetch.spec.whatwg.org/#concept-main-fetch
func (f *fetchState) mainFetch() (*http.Response, ResponseType, *Error) {
	cur := f.current()
	httpScheme := cur.Scheme == "http" || cur.Scheme == "https"
	if f.t.Origin.Scheme() == "https" && !origin.IsURLPotentiallyTrustworthy(cur) {
		// Mixed content (main fetch step "should fetching request be
		// blocked as mixed content"): Chromium restricts pages served
		// over https.
		return nil, 0, f.fail(ReasonMixedContent, cur.Redacted())
	}
	switch {
	case f.tainting == taintBasic && f.currentOrigin().SameOrigin(f.t.Origin):
		if !httpScheme {
			return nil, 0, f.fail(ReasonUnsupportedScheme, cur.Scheme)
		}
		raw, err := f.send(cur)
		return raw, TypeBasic, err
	case f.opts.Mode == ModeSameOrigin:
		return nil, 0, f.fail(ReasonDisallowedByMode, "")
	case f.opts.Mode == ModeNoCORS:
		if f.opts.Redirect != RedirectFollow {
			return nil, 0, f.fail(ReasonDisallowedByMode, "")
		}
		if !httpScheme {
			return nil, 0, f.fail(ReasonUnsupportedScheme, cur.Scheme)
		}
		f.tainting = taintOpaque
		raw, err := f.send(cur)
		return raw, TypeOpaque, err
	case !httpScheme:
		return nil, 0, f.fail(ReasonCorsDisabledScheme, cur.Scheme)
	}
	f.tainting = taintCORS
	names, listed := f.unsafeNames(f.header)
	needed := !safelist.IsMethod(f.method) || len(names) > 0
	forced := !needed && f.p.Preflight.AfterRedirect != PreflightPerHop && f.initialNeedsPreflight
	if needed || forced {
		f.preflighted = true
		if f.p.Preflight.AfterRedirect == PreflightEveryHopOriginalNames && len(f.urls) > 1 {
			listed = f.initialListed
		}
		if err := f.preflightIfNeeded(cur, names, listed, forced); err != nil {
			f.clearCache(cur, true)
			return nil, 0, err
		}
	}
	raw, err := f.send(cur)
	if err != nil {
		return nil, 0, err
	}
	if reason, value, ok := corsCheck(raw.Header, f.serializedOrigin(), f.include()); !ok {
		discard(raw.Body, f.netHTTP)
		f.clearCache(cur, false)
		e := f.fail(reason, value)
		e.Status = raw.StatusCode
		return nil, 0, e
	}
	return raw, TypeCORS, nil
}

// unsafeNames returns the CORS-unsafe request-header names of the header
// list h under the profile, and the list the preflight's
// Access-Control-Request-Headers names (the same, or with a name repeated
// per field where the profile lists repeats).
//
// [CORS-unsafe request-header names]: https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
func (f *fetchState) unsafeNames(h http.Header) (names, listed []string) {
	p := f.p
	if p.Request.SafelistedTotal && p.Request.NonASCIISafelisted && !p.Preflight.ListRepeatedNames {
		names = safelist.UnsafeRequestHeaderNames(h)
		// A name Chromium adds is never safelisted by the standard, so it
		// is among names whenever it is present.
		if (!p.Request.ChromiumSafelist || !slices.ContainsFunc(names, isChromiumSafelistedName)) &&
			(!p.Request.Range.UnitAnyCase || !slices.Contains(names, "range")) &&
			(p.Request.Range.NumberMax == 0 || rangeNumbersWithin(h["Range"], p.Request.Range.NumberMax)) {
			return names, names
		}
	}
	total := 0
	var all []string
	for name, values := range h {
		for _, v := range values {
			safe := safelist.IsRequestHeader(name, v) && (p.Request.NonASCIISafelisted || !hasNonASCII(v)) ||
				p.Request.ChromiumSafelist && chromiumSafelisted(name, v) ||
				p.Request.Range.UnitAnyCase && name == "Range" && webkitRangeSafelisted(v)
			if safe && name == "Range" && p.Request.Range.NumberMax != 0 && !rangeValueWithin(v, p.Request.Range.NumberMax) {
				safe = false
			}
			if safe {
				total += len(v)
				continue
			}
			listed = append(listed, strings.ToLower(name))
		}
		if len(values) > 0 {
			all = append(all, strings.ToLower(name))
		}
	}
	if p.Request.SafelistedTotal && total > safelist.MaxSafelistedTotal {
		listed = all
	}
	if len(listed) == 0 {
		return nil, nil
	}
	slices.Sort(listed)
	names = slices.Compact(slices.Clone(listed))
	if !p.Preflight.ListRepeatedNames {
		listed = names
	}
	return names, listed
}

// hasNonASCII reports whether s has a byte above 0x7F.
func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// clearCache runs "clear cache entries" for u after a failed fetch, when
// the profile's CacheClearing says so: preflight tells whether the
// preflight itself failed.
//
// [clear cache entries]: https://fetch.spec.whatwg.org/#concept-cache-clear
func (f *fetchState) clearCache(u *url.URL, preflight bool) {
	switch f.p.Preflight.Clearing {
	case ClearNever:
		return
	case ClearOnPreflightFailure:
		if !preflight {
			return
		}
	case ClearOnPreflightPathFailure:
		if !f.preflighted {
			return
		}
	}
	f.t.cache.Clear(f.cacheKey(u))
}

// cacheKey returns the preflight cache key of the request at u.
func (f *fetchState) cacheKey(u *url.URL) preflightcache.Key {
	return preflightcache.Key{Origin: f.preflightOrigin(), URL: u.String(), Credentials: f.include()}
}

// bypassesCache reports whether the request's cache mode makes the profile
// skip the preflight cache and mark its preflight uncacheable on the wire.
func (f *fetchState) bypassesCache() bool {
	return f.p.Preflight.Bypass.Has(f.opts.Cache)
}

// send sends the request for the current hop (HTTP-network-or-cache fetch
// and HTTP-network fetch): it adds the headers the browser adds, cookies
// when credentials are included, stores the response's cookies, and returns
// the raw response.
//
// [HTTP-network-or-cache fetch]: https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch
func (f *fetchState) send(u *url.URL) (*http.Response, *Error) {
	// The header list as sent: the request's fields, whose value slices
	// are shared (never modified), plus what the browser adds.
	h := make(http.Header, len(f.header)+6)
	for k, v := range f.header {
		h[k] = v
	}
	cache := f.t.httpCache
	if cache != nil && f.method == http.MethodGet {
		switch f.opts.Cache {
		case CacheDefault, CacheForceCache, CacheOnlyIfCached:
			staleOK := f.opts.Cache != CacheDefault
			if raw := cache.lookup(u, h, f.t.now(), staleOK); raw != nil {
				f.netHTTP = true // a copied header, a body in memory
				if f.tr.on() {
					f.tr.emit(Event{Kind: EventResponse, URL: f.current(), Status: raw.StatusCode, Header: raw.Header, FromCache: true})
				}
				return raw, nil
			}
		}
	}
	if f.opts.Cache == CacheOnlyIfCached && !f.p.Request.OnlyIfCachedUsesNetwork {
		// Only same-origin mode gets here, and the HTTP cache had no
		// answer: the browser's cache miss.
		e := f.fail(ReasonNetwork, "")
		e.Err = errOnlyIfCached
		return nil, e
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
	credentials := f.include() || (f.opts.Credentials == CredentialsSameOrigin && f.tainting == taintBasic)
	if credentials {
		f.t.addCookies(h, f, u)
	}
	body, err := f.takeBody()
	if err != nil {
		return nil, err
	}
	// A value, not a pointer: WithContext makes the one copy that escapes.
	tmp := http.Request{
		Method:        f.method,
		URL:           wireURL(u),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          body,
		GetBody:       f.getBody,
		ContentLength: f.contentLength,
		Host:          u.Host,
	}
	if body == nil {
		tmp.ContentLength = 0
	}
	out := tmp.WithContext(f.ctx)
	raw, rerr := f.roundTrip(out, false)
	if rerr != nil {
		return nil, rerr
	}
	if raw.StatusCode == http.StatusResetContent && !f.p.Response.ResetContentBody {
		// A null body status (#null-body-status): whatever the server
		// sent after the head is not the response's body.
		discard(raw.Body, f.netHTTP)
		raw.Body = http.NoBody
	}
	if credentials {
		f.t.storeCookies(raw.Header, f, u)
	}
	if cache != nil {
		switch {
		case f.method == http.MethodGet && f.opts.Cache != CacheNoStore:
			cache.store(u, out.Header, raw, f.t.now())
		case f.method != http.MethodHead && raw.StatusCode < 400:
			cache.invalidate(u)
		}
	}
	return raw, nil
}

// keepsOrigin reports whether the request keeps the Origin header of the
// previous request in the URL list, although its method no longer calls for
// one: under Profile.OriginKeptAfterMethodChange, after a same-origin hop.
func (f *fetchState) keepsOrigin() bool {
	n := len(f.origins)
	return f.p.Redirect.OriginKeptAfterMethodChange && f.originSent && n > 1 && f.origins[n-1].SameOrigin(f.origins[n-2])
}

// originValue returns the header value v, shared with other requests when
// it is the page's origin or "null".
func (f *fetchState) originValue(v string) []string {
	switch v {
	case f.t.page:
		return f.t.pageValue
	case "null":
		return valueNull
	}
	return []string{v}
}

// requestOriginHeader returns the value of the Origin header for a request
// to u: the serialized request origin, which a non-cors request other than
// GET and HEAD replaces with "null" where the default referrer policy,
// strict-origin-when-cross-origin, says so (an https page to an http URL).
//
// [append a request Origin header]: https://fetch.spec.whatwg.org/#append-a-request-origin-header
func (f *fetchState) requestOriginHeader(u *url.URL) string {
	s := f.serializedOrigin()
	if f.tainting == taintCORS {
		return s
	}
	switch f.t.ReferrerPolicy {
	case "no-referrer":
		return "null"
	case "same-origin":
		if !f.currentOrigin().SameOrigin(f.t.Origin) {
			return "null"
		}
	case "", "no-referrer-when-downgrade", "strict-origin", "strict-origin-when-cross-origin":
		if f.t.Origin.Scheme() == "https" && u.Scheme != "https" {
			return "null"
		}
	}
	return s
}

// addCommon adds the headers the browser adds to every request, preflights
// included: the Fetch Metadata headers (for potentially trustworthy URLs),
// User-Agent and Accept-Language. A preflight's mode is cors.
func (f *fetchState) addCommon(h http.Header, u *url.URL, preflight bool) {
	if f.currentOrigin().IsPotentiallyTrustworthy() {
		mode := "cors"
		if !preflight {
			mode = f.opts.Mode.String()
		}
		h["Sec-Fetch-Dest"] = valueEmpty
		h["Sec-Fetch-Mode"] = modeValues[mode]
		h["Sec-Fetch-Site"] = siteValues[f.fetchSite(preflight)]
	}
	if ref := f.referrer(u); ref != nil {
		h["Referer"] = ref
	}
	if f.t.userAgent != nil && len(h["User-Agent"]) == 0 {
		h["User-Agent"] = f.t.userAgent
	}
	if f.t.acceptLanguage != nil && len(h["Accept-Language"]) == 0 {
		h["Accept-Language"] = f.t.acceptLanguage
	}
}

// Header values the Transport adds, shared by every request: net/http never
// modifies a request's header values, and trace hooks must not either.
var (
	valueEmpty = []string{"empty"}
	modeValues = map[string][]string{"cors": {"cors"}, "no-cors": {"no-cors"}, "same-origin": {"same-origin"}}
	siteValues = map[string][]string{"same-origin": {"same-origin"}, "same-site": {"same-site"}, "cross-site": {"cross-site"}}
	valueAny   = []string{"*/*"}
	valueNull  = []string{"null"}
)

// crossedOrigins reports whether a redirect of the fetch went from one
// origin to another.
func (f *fetchState) crossedOrigins() bool {
	for i := 1; i < len(f.origins); i++ {
		if !f.origins[i].SameOrigin(f.origins[i-1]) {
			return true
		}
	}
	return false
}

// fetchSite computes Sec-Fetch-Site from the URL list. A preflight is a
// request of its own whose URL list is the current URL alone, as Chromium,
// Firefox and the standard compute it (redirect-302-custom-header-b-to-a:
// same-origin at A after B); under Profile.PreflightSiteFromURLList it uses
// the fetch's URL list, as WebKit does.
//
// [Sec-Fetch-Site]: https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header
func (f *fetchState) fetchSite(preflight bool) string {
	origins := f.origins
	switch {
	case preflight && !f.p.Preflight.SiteFromURLList:
		origins = origins[len(origins)-1:]
	case !preflight && f.p.Request.FetchMetadata == MetadataCrossSiteAfterRedirect && len(origins) > 1:
		for _, o := range origins {
			if !o.SameOrigin(f.t.Origin) {
				return "cross-site"
			}
		}
	}
	site := "same-origin"
	for _, o := range origins {
		if o.SameOrigin(f.t.Origin) {
			continue
		}
		site = "cross-site"
		if !f.t.Origin.SameSite(o) {
			break
		}
		site = "same-site"
	}
	return site
}

// addCacheModeHeaders adds the request headers of the cache mode.
//
// [HTTP-network-or-cache fetch]: https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch
func (f *fetchState) addCacheModeHeaders(h http.Header) {
	switch f.opts.Cache {
	case CacheNoCache:
		if len(h["Cache-Control"]) == 0 {
			h["Cache-Control"] = []string{"max-age=0"}
		}
	case CacheNoStore, CacheReload:
		if len(h["Pragma"]) == 0 {
			h["Pragma"] = []string{"no-cache"}
		}
		if len(h["Cache-Control"]) == 0 {
			h["Cache-Control"] = []string{"no-cache"}
		}
	}
}

// hasConditionalHeader reports whether h has a field that makes a request
// conditional (If-Modified-Since, If-None-Match, If-Unmodified-Since,
// If-Match or If-Range), which makes a default-mode fetch bypass the HTTP
// cache ("no-store").
//
// [HTTP-network-or-cache fetch]: https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch
func hasConditionalHeader(h http.Header) bool {
	for _, n := range [...]string{"If-Modified-Since", "If-None-Match", "If-Unmodified-Since", "If-Match", "If-Range"} {
		if len(h[n]) > 0 {
			return true
		}
	}
	return false
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
	c := *u
	c.Fragment, c.RawFragment = "", ""
	return &c
}

// roundTrip sends out through Base, reporting the request and its response
// to the trace hooks. A failure of Base is a network error.
func (f *fetchState) roundTrip(out *http.Request, preflight bool) (*http.Response, *Error) {
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventRequest, Preflight: preflight, URL: f.current(), Method: out.Method, Header: out.Header})
	}
	rt := f.t.base()
	// Decided per call: with a nil Base, base() returns whatever
	// http.DefaultTransport is now, which a test may have replaced.
	_, f.netHTTP = rt.(*http.Transport)
	f.netHTTP = f.netHTTP || f.t.trustBase
	raw, err := rt.RoundTrip(out)
	if err != nil {
		e := f.fail(ReasonNetwork, "")
		e.Preflight = preflight
		e.Err = err
		if f.ctx.Err() != nil && !errors.Is(err, f.ctx.Err()) {
			e.Err = errors.Join(f.ctx.Err(), err)
		}
		return nil, e
	}
	raw.Header = ownHeader(raw.Header, f.netHTTP)
	if raw.Close && raw.ProtoMajor == 1 && raw.ProtoMinor >= 1 && raw.Header["Connection"] == nil {
		// net/http deletes the Connection field of an HTTP/1.1 response
		// that says "close" (and sets Close); every engine shows it to
		// the page (expose-name-space-basic).
		raw.Header["Connection"] = []string{"close"} // the caller's to modify
	}
	if f.tr.on() {
		f.tr.emit(Event{Kind: EventResponse, Preflight: preflight, URL: f.current(), Status: raw.StatusCode, Header: raw.Header})
	}
	if limit := f.p.Response.MaxHeadBytes; limit > 0 && headSize(raw, limit) > limit {
		discard(raw.Body, f.netHTTP)
		e := f.fail(ReasonNetwork, "")
		e.Preflight = preflight
		e.Status = raw.StatusCode
		e.Err = errHeadersTooBig
		return nil, e
	}
	if raw.StatusCode == http.StatusProxyAuthRequired && f.p.Response.ProxyAuthFails {
		discard(raw.Body, f.netHTTP)
		e := f.fail(ReasonNetwork, "")
		e.Preflight = preflight
		e.Status = raw.StatusCode
		e.Err = errUnexpectedProxyAuth
		return nil, e
	}
	return raw, nil
}

// errHeadersTooBig is the cause of the network error a response head over
// Profile.MaxResponseHeadBytes is.
var errHeadersTooBig = errors.New("net::ERR_RESPONSE_HEADERS_TOO_BIG: the response head is larger than the browser reads")

// headSize returns the size in bytes of the HTTP/1.1 head resp arrived with,
// as far as it can be known after net/http parsed it: the status line, one
// "Name: value" line per field, each with its CRLF, and the empty line. It
// stops counting once the size is over limit.
func headSize(resp *http.Response, limit int) int {
	n := len(resp.Proto) + 1 + len(resp.Status) + 2 + 2
	for name, values := range resp.Header {
		for _, v := range values {
			n += len(name) + 2 + len(v) + 2
		}
		if n > limit {
			return n
		}
	}
	for _, te := range resp.TransferEncoding {
		n += len("Transfer-Encoding: ") + len(te) + 2
	}
	return n
}

// errUnexpectedProxyAuth is the cause of the network error a 407 response
// is under Profile.ProxyAuthFails.
var errUnexpectedProxyAuth = errors.New("net::ERR_UNEXPECTED_PROXY_AUTH: status 407 from a server reached without a proxy")

var errOnlyIfCached = errors.New(`cache mode "only-if-cached" and the response is not in the HTTP cache`)
