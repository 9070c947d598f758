package fetch

import (
	"hash/maphash"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/httpcache"
	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/preflightcache"
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

	// HTTPCache gives a Transport built on its own a private HTTP cache, as
	// a browser has one (package httpcache): GET responses are stored with
	// the request's Vary values as sent, answer later GETs of the same URL
	// from the same top-level site while fresh (max-age, Expires, or 10% of
	// the time since Last-Modified), are validated with If-None-Match or
	// If-Modified-Since when stale, and go through the CORS check and
	// filtering of each request that uses them. Cache modes apply:
	// no-store neither reads nor writes it, reload only writes, no-cache
	// validates every time, force-cache and only-if-cached take stale
	// answers. Off by default, so that a test sees every request reach its
	// server; the pages of a Browser share the browser's cache, which is on
	// unless Browser.NoHTTPCache is set, and this field is then set for
	// them.
	HTTPCache bool

	// PageAddressSpace is the IP address space of the server the page was
	// loaded from, for Local Network Access: a request to a server in a
	// less public space (a public page calling a private or loopback
	// server) needs the user's permission (Permissions), and fails before
	// it is sent without it, as Chrome and Firefox fail it. The zero
	// value, AddressSpaceUnknown, makes no such check, so that a page such
	// as https://app.example may call a test server on loopback.
	//
	// The space of a server is that of the address its host resolves to
	// (Resolver; the least public of them when it has several), or of the
	// address a connection reached when Base reports it (net/http does),
	// AddressSpaceOverrides applied; unknown, so never a local network
	// request, through a proxy of an *http.Transport. The profile's
	// LocalNetwork rules say how the engine classifies addresses and
	// compares spaces.
	PageAddressSpace AddressSpace

	// Permissions are the permissions the user granted the page: with
	// LocalNetwork or LoopbackNetwork, local network requests to that
	// space pass. None by default, as in a headless browser, where the
	// permission prompt is never answered.
	Permissions Permissions

	// AddressSpaceOverrides give endpoints another address space than
	// their address's, as Chromium's --ip-address-space-overrides does
	// (ParseAddressSpaceOverrides reads its syntax); the first match
	// wins. nil means the browser's, for a page of a Browser.
	AddressSpaceOverrides []AddressSpaceOverride

	// Resolver looks up host names for the Local Network Access check;
	// nil means the browser's, for a page of a Browser, or
	// net.DefaultResolver. It is used only when PageAddressSpace is set.
	Resolver Resolver

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
	httpCache *httpcache.Cache
	shared    *Browser // the browser of a page made by Browser.Page
	// trustBase makes every Base count as net/http's (TrustFreshHeaders,
	// for a benchmark).
	trustBase bool
	// noDirect keeps every request on the general path (GeneralOnly, for
	// the tests that compare the direct path with it).
	noDirect bool
	// Values computed once.
	page                      string   // Origin, serialized
	pageValue                 []string // page as a header value
	userAgent, acceptLanguage []string
	refOrigin, refFull        []string
	// origins remembers the origins of the http(s) URLs the URL lists
	// and the direct path took in (originOf, target), in a direct-mapped
	// table of a few slots: a page's requests go to a few hosts, and
	// parsing a host again cost a twentieth of a request's own time.
	origins [8]atomic.Pointer[urlOrigin]
	// directCfg is most of what the direct path reads of the Transport,
	// together (directConfig).
	directCfg directConfig
}

// urlOrigin is the origin of the URLs with this scheme and host (port
// included), with what the direct path asks of it, found once.
type urlOrigin struct {
	scheme, host string
	o            origin.Origin
	// site is Sec-Fetch-Site for a request of one hop from the page;
	// sameOrigin reports whether o is the page's origin, trustworthy
	// whether it is potentially trustworthy.
	site                    []string
	sameOrigin, trustworthy bool
}

// originSeed hashes hosts to the slots of Transport.origins.
var originSeed = maphash.MakeSeed()

// originOf returns origin.FromURL(u), remembered in t.origins when u is an
// http(s) URL; a miss allocates the slot's new entry.
func (t *Transport) originOf(u *url.URL) origin.Origin {
	if m := t.target(u); m != nil {
		return m.o
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return origin.FromURL(u)
	}
	return origin.NewOpaque() // a new one every time, as FromURL gives
}

// target returns the remembered origin of u, an http(s) URL, or nil when u
// is not one or its host is not valid.
func (t *Transport) target(u *url.URL) *urlOrigin {
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil
	}
	slot := &t.origins[maphash.String(originSeed, u.Host)%uint64(len(t.origins))]
	if m := slot.Load(); m != nil && m.scheme == u.Scheme && m.host == u.Host {
		return m
	}
	o, err := origin.FromURLStrict(u)
	if err != nil {
		return nil
	}
	m := &urlOrigin{scheme: u.Scheme, host: u.Host, o: o, site: siteValues["cross-site"], trustworthy: o.IsPotentiallyTrustworthy()}
	switch {
	case o.SameOrigin(t.Origin):
		m.site, m.sameOrigin = siteValues["same-origin"], true
	case o.SameSite(t.Origin):
		m.site = siteValues["same-site"]
	}
	slot.Store(m)
	return m
}

// init resolves the profile and creates what the Transport owns.
func (t *Transport) init() {
	t.prof = t.Browser.resolve()
	switch {
	case t.shared != nil:
		t.httpCache = t.shared.httpCache
	case t.HTTPCache:
		t.httpCache = httpcache.New(nil)
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
	t.directCfg = t.directSettings()
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

// RoundTrip fetches req as the page would. It returns the filtered response,
// or an error that unwraps to *Error when the browser would fail the fetch.
// req is not modified; its body is closed.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.once.Do(t.init)
	if resp, done, err := t.direct(req); done {
		return resp, err
	}
	f := t.newFetch(req)
	return f.finish(f.run())
}

// newFetch returns the state of a fetch of req, before setup.
func (t *Transport) newFetch(req *http.Request) *fetchState {
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
	return f
}

// finish ends the fetch with its result: the request's body closed if no
// hop sent it, the trace told, the error returned as an error.
func (f *fetchState) finish(resp *http.Response, err *Error) (*http.Response, error) {
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
