package fetch

import (
	"net/http"
	"sync"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/httpcache"
	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/preflightcache"
)

// Browser is one running browser: a profile and the state its pages share,
// as a browser shares it between its tabs: the cookie store (its partitions
// keyed by the top-level site), the CORS-preflight cache (with the profile's
// rules), the HTTP cache (partitioned by top-level site), the network and
// the clock. Page makes a page, a Transport, for a page origin; many pages
// of many origins may be used at once.
//
//	b := &fetch.Browser{Profile: fetch.Firefox}
//	app := b.Page(origin.MustParse("https://app.example"))
//	admin := b.Page(origin.MustParse("https://admin.example"))
//	client := &http.Client{Transport: app}
//
// Set the fields before the first call to Page and do not change them
// after; a Browser is then safe for concurrent use. A Transport built on
// its own, not by Page, has a browser of its own that it shares with no
// other page.
type Browser struct {
	// Profile is the behaviour profile; the zero value is Chrome.
	Profile Profile

	// Base sends requests to the network; nil means http.DefaultTransport.
	Base http.RoundTripper

	// Cookies is the cookie store; nil means a new, empty
	// cookiestore.Store with the profile's Cookies.Limits, or, for a
	// profile without any (Safari, Spec), a bound of 100,000 cookies in
	// all, least recently used first, that no engine has but that keeps a
	// hostile server from growing the store without end.
	Cookies *cookiestore.Store

	// PreflightCache is the CORS-preflight cache; nil means a new cache
	// with the profile's rules (preflightcache.New(Profile.PreflightCache)).
	PreflightCache *preflightcache.Cache

	// NoHTTPCache turns the HTTP cache off, so that every request of every
	// page reaches the network (cache modes then only change request
	// headers and the use of the preflight cache). The HTTP cache is on by
	// default, as in a browser: an httpcache.Cache with the default
	// bounds, 32 MiB in all, heap included (httpcache.DefaultMaxBytes),
	// and no body over 1 MiB stored (httpcache.DefaultMaxBodyBytes).
	NoHTTPCache bool

	// UserAgent and AcceptLanguage, when not empty, are sent by every page
	// as Transport's fields of the same names say.
	UserAgent, AcceptLanguage string

	// Now returns the time for the caches' expiry; nil means time.Now.
	Now func() time.Time

	// Trace, when not nil, is called with every Event of every page.
	Trace func(Event)

	// AddressSpaceOverrides and Resolver are the Transport fields of the
	// same names for every page that sets none: the browser's testing
	// overrides of address spaces (Chromium's
	// --ip-address-space-overrides) and its resolver. Each page's address
	// space and permissions are its own (Transport.PageAddressSpace,
	// Transport.Permissions).
	AddressSpaceOverrides []AddressSpaceOverride
	Resolver              Resolver

	once      sync.Once
	profile   Profile
	cookies   *cookiestore.Store
	preflight *preflightcache.Cache
	httpCache *httpcache.Cache
}

// safetyLimits bound the cookie store of a Browser whose profile has no
// Limits (Safari, as WebKitGTK's store has none; Spec). They are no
// engine's: a bound far above what pages use (Chromium and Firefox keep
// 3300 cookies) so that a hostile server cannot grow the store without end
// (100,000 cookies of typical size take about 25 MB; cookiestore's
// BenchmarkMemory).
var safetyLimits = cookiestore.Limits{Total: 100_000, TotalPurge: 10_000}

// init creates the state left nil.
func (b *Browser) init() {
	b.profile = b.Profile.resolve()
	b.cookies = b.Cookies
	if b.cookies == nil {
		limits := b.profile.Cookies.Limits
		if limits == (cookiestore.Limits{}) {
			limits = safetyLimits
		}
		b.cookies = cookiestore.New(&cookiestore.Options{Limits: limits, Now: b.Now})
	}
	b.preflight = b.PreflightCache
	if b.preflight == nil {
		b.preflight = preflightcache.New(b.profile.PreflightCache)
	}
	if !b.NoHTTPCache {
		b.httpCache = httpcache.New(nil)
	}
}

// Page returns a page of the browser at the given origin: a Transport that
// shares the browser's state with its other pages. Its Referrer and
// ReferrerPolicy (the page's URL and policy), PageAddressSpace and
// Permissions (Local Network Access) may be set before its first request;
// its other fields are the browser's.
func (b *Browser) Page(o origin.Origin) *Transport {
	b.once.Do(b.init)
	return &Transport{
		Origin:         o,
		Base:           b.Base,
		Jar:            b.cookies,
		Cache:          b.preflight,
		Browser:        b.profile,
		UserAgent:      b.UserAgent,
		AcceptLanguage: b.AcceptLanguage,
		Trace:          b.Trace,
		HTTPCache:      b.httpCache != nil,
		Now:            b.Now,
		shared:         b,
	}
}

// CookieStore returns the browser's cookie store, for export or import.
func (b *Browser) CookieStore() *cookiestore.Store {
	b.once.Do(b.init)
	return b.cookies
}

// HTTPCache returns the browser's HTTP cache, to see what it holds
// (Len, Bytes); nil when NoHTTPCache is set.
func (b *Browser) HTTPCache() *httpcache.Cache {
	b.once.Do(b.init)
	return b.httpCache
}
