package fetch

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"unsafe"

	"github.com/corsfetch/corsfetch/internal/headerlist"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/corsfetch/corsfetch/redirect"
	"github.com/corsfetch/corsfetch/safelist"
)

// The direct path. Most requests a page makes are the first hop of a fetch
// in cors mode to another origin, with the default options, a few header
// fields of one value each, and either no preflight or one the preflight
// cache answers. For them, the general path's steps (setup, main fetch,
// HTTP-network-or-cache fetch, HTTP-network fetch, filtering) come down to
// a handful of decisions, which direct makes in a few steps of its own,
// building the request sent and the header list in one map and the
// returned response in one allocation, touching as little memory as it can
// (BENCHMARKS.md, "Seventh round"). It sends exactly what the general path
// sends and returns exactly what it returns: TestDirectIsGeneral compares
// the two on random requests and responses under every profile, and the
// recorded scenarios replay through it (TestDirectPathRecordings: browsers
// without an HTTP cache) as they replay through the general path.
//
// A request qualifies when nothing the general path is for applies: no
// trace hook, Local Network Access check, HTTP cache or cookies
// (credentials same-origin, to another origin); a URL of http(s) without
// credentials, potentially trustworthy from an https page (no mixed
// content); a common method already in its normalized form, no body on GET
// or HEAD; header fields each spelled canonically with one valid value,
// none forbidden, named If-something or Range, nor a User-Agent the
// profile drops; at most four CORS-unsafe names, of 128 bytes together,
// judged by the standard's safelist (a profile that judges otherwise, or
// a name Chromium alone safelists, takes the general path); and, when it
// needs a preflight, a hit in the preflight cache, asked only with the
// real clock (a Transport.Now of its own may count its readings). Whatever
// does not qualify is found before anything is sent or anything the
// general path reads has changed, and takes the general path. A response
// that redirects is handed to the general path as it would have arrived
// there.

// directConfig is most of what the direct path reads of its Transport, set
// once (directSettings) and kept together: on the real path, every cache
// line a request touches after an exchange costs. Besides, it reads Base,
// the clock, the remembered origins (Transport.target) and, for its
// errors and the preflight cache's clearing, the profile.
type directConfig struct {
	// on: the Transport's settings let requests take the direct path.
	on bool
	// pageHTTPS: the page is served over https (mixed content).
	pageHTTPS bool
	// The profile's rules the direct path applies or declines for.
	userAgentForbidden, chromiumSafelist bool
	// clock: Transport.Now is set. The direct path then leaves requests
	// that need a preflight to the general path, so that a request it
	// declines has not read the clock (a simulated clock may count reads).
	clock     bool
	trustBase bool // Transport.trustBase
	response  ResponseRules
	// Copies of the Transport's: the page's origin serialized, and as a
	// header value; the user agent's fields; the preflight cache.
	page                      string
	pageValue                 []string
	userAgent, acceptLanguage []string
	cache                     *preflightcache.Cache
	// referrer is the Referer to another origin: [0] over http, [1]
	// over https.
	referrer [2][]string
}

// directSettings returns t's directConfig, once t is initialized.
func (t *Transport) directSettings() directConfig {
	p := &t.prof
	return directConfig{
		on: t.Trace == nil && !t.noDirect && t.partErr == nil && t.httpCache == nil && !t.Origin.IsZero() && !t.Origin.IsOpaque() &&
			(t.PageAddressSpace == AddressSpaceUnknown || p.LocalNetwork.Off) && p.namesFastPath() && !p.Preflight.Bypass.Has(CacheDefault),
		pageHTTPS:          t.Origin.Scheme() == "https",
		userAgentForbidden: p.Request.UserAgentForbidden,
		chromiumSafelist:   p.Request.ChromiumSafelist,
		clock:              t.Now != nil,
		trustBase:          t.trustBase,
		response:           p.Response,
		page:               t.page,
		pageValue:          t.pageValue,
		userAgent:          t.userAgent,
		acceptLanguage:     t.acceptLanguage,
		cache:              t.cache,
		referrer:           [2][]string{t.referrer(&url.URL{Scheme: "http"}, false), t.referrer(&url.URL{Scheme: "https"}, false)},
	}
}

// directFetch is what the direct path hands out, allocated at once: the
// request sent, the URL list, and the returned response with its request's
// context.
type directFetch struct {
	out    http.Request // the request sent to Base
	outURL url.URL      // its URL, without the fragment
	first  url.URL      // the URL list's one URL, the request's URL copied
	list   [1]*url.URL
	rc     responseContext
	resp   http.Response
}

// directRequest is a request the direct path takes, as its steps make it.
type directRequest struct {
	req    *http.Request
	u      *url.URL
	method string        // normalized
	body   io.ReadCloser // nil for none
	target *urlOrigin    // u's origin, remembered
	header http.Header   // the header list, then the fields sent
	// needed: the request needs a preflight, which the cache answered.
	needed bool
}

// direct fetches req on the direct path when it qualifies and reports
// whether it did. When it did not, nothing was sent, req's body is
// untouched, and the general path runs the fetch.
func (t *Transport) direct(req *http.Request) (*http.Response, bool, error) {
	r := directRequest{req: req}
	if !t.directQualifies(&r) || !t.directHeaderList(&r) {
		return nil, false, nil
	}
	t.directFields(&r)
	resp, err := t.directSend(&r)
	return resp, true, err
}

// directQualifies reports whether the Transport's settings, the request's
// options, URL, method and body let r take the direct path, and sets
// them in r.
func (t *Transport) directQualifies(r *directRequest) bool {
	c, req := &t.directCfg, r.req
	u := req.URL
	if !c.on || u == nil || u.User != nil || u.Host == "" {
		return false
	}
	switch m := req.Method; m {
	case "":
		r.method = http.MethodGet
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		r.method = m // valid, not forbidden, normalized (#concept-method)
	default:
		return false
	}
	if req.Body != http.NoBody {
		r.body = req.Body
	}
	if r.body != nil && (r.method == http.MethodGet || r.method == http.MethodHead) {
		return false
	}
	ctx := req.Context()
	if opts, _ := ctx.Value(optionsKey{}).(Options); opts != (Options{}) || ctx.Value(traceKey{}) != nil {
		return false
	}
	o := t.target(u) // nil unless http(s), with a valid host
	if o == nil || o.sameOrigin || c.pageHTTPS && !o.trustworthy {
		return false // basic, or blocked as mixed content
	}
	r.u, r.target = u, o
	return true
}

// directHeaderList makes r's header list (#concept-headers-append, the
// guard of "request") in the map that is sent, sized for the fields
// directFields adds (a map of up to 8 is one allocation less than a larger
// one), and reports whether the direct path takes it: its fields, and the
// preflight they and the method need, if any, answered by the cache
// (directPreflightCached). The safelisted fields' 1024-byte total cannot be
// passed: one value per name, and the standard safelists four names (Range
// aside), each value at most 128 bytes.
func (t *Transport) directHeaderList(r *directRequest) bool {
	c := &t.directCfg
	// The CORS-unsafe names (#cors-unsafe-request-header-names): each
	// once, one field per name, byte-lowercased into lower; both stay on
	// the stack. A request with more names, or longer ones, takes the
	// general path.
	var namesBuf [4]string
	var lower [128]byte
	nNames, used := 0, 0
	n := len(r.req.Header) + len(c.userAgent) + len(c.acceptLanguage) + 3 // Accept, Origin, Referer
	if r.target.trustworthy {
		n += 3
	}
	h := make(http.Header, n)
	for name, values := range r.req.Header {
		switch {
		case len(values) == 0:
			continue
		case len(values) > 1 || !headerlist.IsCanonicalToken(name) || len(name) > 3 && name[:3] == "If-" || name == "Range":
			return false
		}
		v := values[0]
		if !headerlist.IsValue(v) || v != headerlist.TrimWhitespace(v) || safelist.IsForbiddenRequestHeader(name, v) ||
			c.userAgentForbidden && name == "User-Agent" {
			return false
		}
		if !safelist.IsRequestHeader(name, v) {
			if nNames == len(namesBuf) || used+len(name) > len(lower) {
				return false
			}
			namesBuf[nNames] = lowerInto(lower[used:used+len(name)], name)
			nNames, used = nNames+1, used+len(name)
		}
		h[name] = values
	}
	if h["Accept"] == nil {
		h["Accept"] = valueAny // safelisted
	}
	r.header = h
	return t.directPreflightCached(r, namesBuf[:nNames])
}

// directPreflightCached reports whether r needs no preflight, or one the
// preflight cache answers (#cors-preflight-fetch is then not run; when it
// would be, the general path sends it). names are r's CORS-unsafe names,
// in any order: each is looked up alone.
func (t *Transport) directPreflightCached(r *directRequest, names []string) bool {
	c := &t.directCfg
	r.needed = !safelist.IsMethod(r.method) || len(names) > 0
	if !r.needed {
		return true
	}
	if c.clock || c.chromiumSafelist && slices.ContainsFunc(names, isChromiumSafelistedName) {
		return false // the general path looks it up, or judges it again
	}
	method := ""
	if !safelist.IsMethod(r.method) {
		method = r.method
	}
	var kb [keyBufLen]byte
	return c.cache.LookupHit(preflightKey(&kb, c.page, r.u, false), method, names, t.now())
}

// directFields adds to r's header list what the browser adds
// (#append-a-request-origin-header, Fetch Metadata to potentially
// trustworthy URLs, the referrer, the user agent's fields); no cookies:
// credentials are same-origin.
func (t *Transport) directFields(r *directRequest) {
	c, h := &t.directCfg, r.header
	h["Origin"] = c.pageValue
	if r.target.trustworthy {
		h["Sec-Fetch-Dest"], h["Sec-Fetch-Mode"], h["Sec-Fetch-Site"] = valueEmpty, valueCORS, r.target.site
	}
	ref := c.referrer[0]
	if r.u.Scheme == "https" {
		ref = c.referrer[1]
	}
	if ref != nil {
		h["Referer"] = ref
	}
	if c.userAgent != nil && len(h["User-Agent"]) == 0 {
		h["User-Agent"] = c.userAgent
	}
	if c.acceptLanguage != nil && len(h["Accept-Language"]) == 0 {
		h["Accept-Language"] = c.acceptLanguage
	}
}

// directSend sends r through Base (HTTP-network fetch) and returns what
// the page gets.
func (t *Transport) directSend(r *directRequest) (*http.Response, error) {
	c, req := &t.directCfg, r.req
	d := new(directFetch)
	d.first = *r.u
	d.list[0] = &d.first
	setWireURL(&d.outURL, r.u)
	tmp := wireRequest(r.method, &d.outURL, r.header, r.body, req.GetBody, req.ContentLength)
	d.out = *req
	outRequest(&d.out, &tmp)
	rt := t.base()
	_, owned := rt.(*http.Transport)
	raw, err := rt.RoundTrip(&d.out)
	if err != nil {
		e := newError(ReasonNetwork, "", c.page, &t.prof, &d.first)
		e.Err = networkCause(req.Context(), err)
		return nil, e
	}
	return t.directResponse(r, d, response{Response: raw, owned: owned || c.trustBase})
}

// directResponse does what the browser does with in, the response to r:
// the header made the Transport's own and checked (its size, a 407), a
// 205's body dropped, the CORS check (#cors-check), then HTTP fetch's
// redirect handling or the filtered response, built in d. The header is
// walked once for its size and what the filtering hides when it comes
// from net/http and does not redirect (ownCORSHeader).
func (t *Transport) directResponse(r *directRequest, d *directFetch, in response) (*http.Response, error) {
	c, raw := &t.directCfg, in.Response
	var hiddenBuf [32]string
	var hidden []string
	var fields int
	fused := in.owned && raw.Header != nil && !redirect.IsStatus(raw.StatusCode)
	if fused {
		hidden, fields, fused = ownCORSHeader(raw, hiddenBuf[:0])
	}
	if !fused {
		fields = ownResponseHeader(raw, in.owned)
	}
	if cause := c.response.refusal(raw, fields); cause != nil {
		discard(raw.Body, in.owned)
		e := newError(ReasonNetwork, "", c.page, &t.prof, &d.first)
		e.Status, e.Err = raw.StatusCode, cause
		return nil, e
	}
	c.response.resetContent(in)
	if reason, value, ok := corsCheck(raw.Header, c.page, false); !ok {
		discard(raw.Body, in.owned)
		if t.prof.Preflight.clears(false, r.needed) {
			var kb [keyBufLen]byte
			c.cache.Clear(preflightKey(&kb, c.page, r.u, false))
		}
		e := newError(reason, value, c.page, &t.prof, &d.first)
		e.Status = raw.StatusCode
		return nil, e
	}
	if redirect.IsStatus(raw.StatusCode) {
		return t.handOver(r.req, r.header, r.needed, in)
	}
	if !fused {
		return filtered(r.req, in, TypeCORS, false, d.list[:], &d.rc, &d.resp), nil
	}
	for _, name := range hidden {
		delete(raw.Header, name)
	}
	return respond(r.req, raw, TypeCORS, raw.Header, d.list[:], &d.rc, &d.resp), nil
}

// lowerInto writes name byte-lowercased into b, of its length, and returns
// it as a string that shares b's bytes.
func lowerInto(b []byte, name string) string {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return unsafe.String(&b[0], len(b))
}

// handOver goes on with a fetch the direct path started whose first
// response, in, is a redirect status: the general path takes it from the
// state its own first hop would have left (the request set up, its header
// list h sent, the body taken, CORS tainting, preflighted when it needed a
// preflight) and runs HTTP fetch's redirect handling and the hops after.
func (t *Transport) handOver(req *http.Request, h http.Header, preflighted bool, in response) (*http.Response, error) {
	f := t.newFetch(req)
	err := f.setup()
	f.body = nil // sent
	if err != nil {
		// The direct path takes only requests setup accepts, unless Base
		// changed the request's header values in place, as a
		// RoundTripper must not (the general path's redirect then fails
		// the same way, in rebuildHeaderList).
		discard(in.Body, in.owned)
		return f.finish(nil, err)
	}
	f.tainting, f.preflighted = taintCORS, preflighted
	f.header, f.headerSent, f.originSent = h, true, true
	f.outBufUsed = true // the first request was a copy of req's
	resp, err := f.httpFetch(in, TypeCORS)
	if resp == nil && err == nil {
		resp, err = f.loop()
	}
	return f.finish(resp, err)
}
