package fetch

import (
	"cmp"
	"maps"
	"net/http"
	"net/textproto"
	"slices"

	"github.com/corsfetch/corsfetch/internal/headerlist"
	"github.com/corsfetch/corsfetch/safelist"
)

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
	if t.partErr != nil {
		e := f.fail(ReasonNetwork, "")
		e.Err = t.partErr
		return e
	}
	if err := f.setupURL(); err != nil {
		return err
	}
	if err := f.setupMethod(); err != nil {
		return err
	}
	if err := f.setupBody(); err != nil {
		return err
	}
	if err := f.setupMode(); err != nil {
		return err
	}
	return f.setupHeaders()
}

// setupURL checks the request's URL and starts the URL list with a copy.
func (f *fetchState) setupURL() *Error {
	if f.req.URL == nil {
		return f.fail(ReasonInvalidURL, "")
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
	return nil
}

// setupMethod checks the method and normalizes it (#concept-method).
func (f *fetchState) setupMethod() *Error {
	m := f.req.Method
	switch m {
	case "", http.MethodGet, http.MethodPost, http.MethodPut:
		// Valid, not forbidden, already normalized: the common ones.
		f.method = cmp.Or(m, http.MethodGet)
		return nil
	}
	if !safelist.IsValidMethod(m) {
		return f.fail(ReasonInvalidMethod, m)
	}
	if safelist.IsForbiddenMethod(m) {
		return f.fail(ReasonForbiddenMethod, m)
	}
	f.method = safelist.NormalizeMethod(m)
	return nil
}

// setupBody takes the request's body, which GET and HEAD may not have.
func (f *fetchState) setupBody() *Error {
	if f.body == http.NoBody {
		f.body = nil
	}
	f.contentLength = f.req.ContentLength
	f.getBody = f.req.GetBody
	f.hasBody = f.body != nil
	if f.body != nil && (f.method == http.MethodGet || f.method == http.MethodHead) {
		return f.fail(ReasonBodyNotAllowed, f.method)
	}
	return nil
}

// setupMode checks the mode and cache mode against the method.
func (f *fetchState) setupMode() *Error {
	if f.opts.Mode == ModeNoCORS && !safelist.IsMethod(f.method) {
		return f.fail(ReasonNoCORSMethod, f.method)
	}
	if f.opts.Cache == CacheOnlyIfCached && f.opts.Mode != ModeSameOrigin {
		return f.fail(ReasonOnlyIfCached, "")
	}
	return nil
}

// setupHeaders builds the header list (headerList, then Accept) and what
// depends on it: the cache mode of a conditional request, and whether the
// request as the page made it needs a preflight, with the names it lists.
func (f *fetchState) setupHeaders() *Error {
	if len(f.req.Header) == 0 {
		// No field of the page's: the header list is Accept: */* alone,
		// CORS-safelisted under every profile, with nothing to validate,
		// guard, or list in a preflight.
		f.header = http.Header{"Accept": valueAny}
		f.initialNeedsPreflight = !safelist.IsMethod(f.method)
		if f.namesFastPath() {
			// What unsafeNames returns for it, to the trace too.
			f.initialListed, f.namesUsed = f.namesBuf[:0], true
		}
		return nil
	}
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
	f.conditional = f.ifFields && hasConditionalHeader(h)
	if f.opts.Cache == CacheDefault && f.p.Request.ConditionalCacheMode != CacheDefault && f.conditional {
		f.opts.Cache = f.p.Request.ConditionalCacheMode
	}
	// Classified here for the first hop (mainFetch), and for the later
	// hops of the profiles that preflight them as the page's request.
	names, listed := f.unsafeNames(h)
	f.initialNeedsPreflight = !safelist.IsMethod(f.method) || len(names) > 0
	f.initialListed = listed
	return nil
}

// rebuildHeaderList makes the header list again, after the first request
// took its map: as setupHeaders made it, without the names the redirects
// dropped. It fails only when a value of the caller's header is no longer
// valid, which setup checked: a Base changed the request's header values
// in place, as a RoundTripper must not.
func (f *fetchState) rebuildHeaderList() *Error {
	f.rebuilding = true
	h, err := f.headerList()
	f.rebuilding = false
	if err != nil {
		return err
	}
	if len(h["Accept"]) == 0 {
		h["Accept"] = valueAny
	}
	for _, name := range f.dropped {
		delete(h, name)
	}
	f.header, f.headerSent = h, false
	return nil
}

// headerList validates the request's header fields and returns the header
// list the browser keeps: values normalized, forbidden request-headers
// dropped, and under no-cors only the no-CORS-safelisted ones.
//
// [Headers append]: https://fetch.spec.whatwg.org/#concept-headers-append
func (f *fetchState) headerList() (http.Header, *Error) {
	h := make(http.Header, len(f.req.Header)+1) // +1: Accept
	// Names not spelled canonically, added last.
	var others []string
	for raw, values := range f.req.Header {
		if len(values) == 0 {
			continue
		}
		if !headerlist.IsToken(raw) {
			return nil, f.invalidHeader()
		}
		if !headerlist.IsCanonicalToken(raw) {
			others = append(others, raw)
			continue
		}
		if !f.addFields(h, raw, values) {
			return nil, f.invalidHeader()
		}
	}
	// Other spellings of a name follow its canonical one, in key order,
	// whatever the order of the map.
	slices.Sort(others)
	for _, raw := range others {
		if !f.addFields(h, textproto.CanonicalMIMEHeaderKey(raw), f.req.Header[raw]) {
			return nil, f.invalidHeader()
		}
	}
	if f.tr.on() && !f.rebuilding {
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

// addFields appends the fields (name, v) of values to h, each value
// without its leading and trailing whitespace, and reports whether every
// value is valid. A slice of the caller's is shared, never modified or
// extended.
func (f *fetchState) addFields(h http.Header, name string, values []string) bool {
	if len(name) > 3 && name[:3] == "If-" {
		f.ifFields = true
	}
	clean := h[name] == nil
	for _, v := range values {
		if !headerlist.IsValue(v) || v != headerlist.TrimWhitespace(v) {
			clean = false
			break
		}
	}
	if clean {
		h[name] = values
		return true
	}
	kept := slices.Clip(h[name]) // a shared slice is copied, not extended
	for _, v := range values {
		v = headerlist.TrimWhitespace(v)
		if !headerlist.IsValue(v) {
			return false
		}
		kept = append(kept, v)
	}
	h[name] = kept
	return true
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
		if f.tr.on() && !f.rebuilding {
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
