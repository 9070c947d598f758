package fetch

import (
	"math"
	"reflect"
	"time"

	"github.com/corsfetch/corsfetch/internal/headerlist"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/corsfetch/corsfetch/redirect"
)

// Browser is a behaviour profile: the points where browser engines and the
// Fetch Standard disagree, one field each. Use one of the profiles Chrome,
// Firefox, Safari and Spec; to change one behaviour, copy a profile and set
// the field (b := fetch.Chrome; b.MaxAgeLimit = time.Hour).
//
// The zero Browser is Chrome: a Transport whose Browser field is left zero
// behaves exactly as with Browser set to Chrome. (A Browser with only some
// fields set is taken as written, each unset field meaning the Fetch
// Standard's behaviour.)
//
// Each field's documentation gives the engines' values and the evidence: a
// scenario of the recordings in conformance/testdata (chromium.json from
// Chromium 156, firefox.json from Firefox ESR 153, webkit.json from
// WebKitGTK 2.50) or, where no scenario can show it, the engine's source.
type Browser struct {
	// Name names the profile in errors and traces: "Chrome", "Firefox",
	// "Safari", "Spec".
	Name string

	// CombineRepeatedHeaders joins the fields of a request header the page
	// set more than once into one value (", "-separated) before it is
	// classified and sent, as Blink's and WebKit's Headers do. The
	// standard keeps them as separate header-list entries, each judged on
	// its own: eight 120-byte Accept-Language fields need no preflight
	// there, but do in Chromium and WebKit, where the one combined value is
	// over 128 bytes (simple-total-1024-under). Firefox keeps them apart.
	CombineRepeatedHeaders bool

	// NoSafelistedTotal drops the rule that CORS-safelisted request-header
	// values adding up to more than 1024 bytes make every header name
	// CORS-unsafe. Firefox and WebKit have no such total
	// (simple-total-1024-over, simple-total-1024-mixed); Chromium and the
	// standard do.
	NoSafelistedTotal bool

	// NonASCIIValuesUnsafe makes a request-header value with a byte above
	// 0x7F not CORS-safelisted. Firefox preflights `Accept: café`
	// (simple-header-06); the standard only excludes the CORS-unsafe
	// request-header bytes, all ASCII.
	NonASCIIValuesUnsafe bool

	// ExtraSafelistedHeaders adds Chromium's own names to the
	// CORS-safelisted request-headers, each with its value rule (see
	// chromiumSafelisted): Save-Data, Intervention, Device-Memory, DPR,
	// Downlink, Width, Viewport-Width, RTT and ECT (simple-header-20,
	// div-chromium-header-*). Their values count towards the 1024-byte
	// total. The standard, Firefox and WebKit safelist five names only.
	ExtraSafelistedHeaders bool

	// DropUserAgent drops a User-Agent the page sets, as Chromium does
	// (still a forbidden header there; simple-forbidden-header-11). In the
	// standard, Firefox and WebKit, User-Agent is no longer forbidden: it
	// is sent and, being CORS-unsafe, makes the request preflighted
	// (div-user-agent-allowed).
	DropUserAgent bool

	// NormalizeRange rewrites a Range request header that is one valid
	// byte range into its canonical form on the wire ("bytes= 0-1" and
	// "Bytes=0-1" are sent as "bytes=0-1"), as Chromium's HTTP cache layer
	// does, reading the unit in any case (simple-header-17,
	// div-range-unit-case-*), for a GET that may use the cache only: not
	// for other methods, cache mode no-store, or a conditional request
	// (div-range-wire-*); values it cannot read go out unchanged
	// (simple-header-16, -18, several ranges, a reversed range). The
	// request is classified with the value as the page set it, so
	// "Bytes=0-1" is still preflighted.
	NormalizeRange bool

	// RangeNumberMax, when not zero, is the largest number a
	// CORS-safelisted Range request header may hold: a byte range with a
	// larger first or last position is preflighted. The standard sets no
	// limit; Chromium reads positions as 64-bit signed numbers below the
	// largest (9223372036854775806 passes, ...807 does not), Firefox and
	// WebKit as unsigned 64-bit numbers (18446744073709551615 passes,
	// ...616 does not; div-range-number-*).
	RangeNumberMax uint64

	// RangeUnitAnyCase safelists a Range request header whose unit is
	// "bytes" in any case ("Bytes=0-1") and whose positions may carry one
	// "+" ("bytes=+1-2"), as WebKit does (div-range-unit-case-*,
	// div-range-value-*). The standard's "parse a single range header
	// value" requires the value to start with "bytes", which Chromium and
	// Firefox follow.
	RangeUnitAnyCase bool

	// OnlyIfCachedUsesNetwork sends a same-origin request with cache mode
	// only-if-cached to the network, as WebKit does
	// (cache-mode-only-if-cached-same-origin). Elsewhere, with no cached
	// response (corsfetch keeps no HTTP cache), it is a network error.
	OnlyIfCachedUsesNetwork bool

	// ListRepeatedHeaderNames lists a CORS-unsafe header name in the
	// preflight's Access-Control-Request-Headers once per field, as
	// Firefox does ("x-a,x-a"; simple-repeated-custom-header). The standard
	// lists each name once.
	ListRepeatedHeaderNames bool

	// WildcardCoversAuthorization lets `*` in a fresh preflight's
	// Access-Control-Allow-Headers cover Authorization (for a request
	// without credentials). The standard says `*` never does
	// (#cors-preflight-fetch-0, step "If request's header list contains a
	// CORS non-wildcard request-header name"); all three engines allow it
	// for web compatibility (whatwg/fetch#1919;
	// preflight-acah-star-authorization).
	WildcardCoversAuthorization bool

	// PreflightBypass is the set of cache modes under which the preflight
	// cache is not consulted (a fresh preflight is stored as usual) and the
	// preflight carries the cache mode's request headers. Chromium: no-store,
	// reload and no-cache; Firefox: no-store and reload (cache-mode-*). In
	// the standard and WebKit the preflight is a new request with the
	// default cache mode.
	PreflightBypass CacheModes

	// ConditionalCacheMode is the cache mode a fetch in the default mode
	// takes when the page set a conditional header (If-Modified-Since,
	// If-None-Match, If-Unmodified-Since, If-Match, If-Range); the mode then
	// decides the Cache-Control and Pragma fields and whether the preflight
	// cache is bypassed, as for a fetch made in that mode. The standard,
	// Firefox and WebKit: no-store (Firefox then sends Cache-Control and
	// Pragma: no-cache on the preflight and the request, WebKit on the
	// request only); Chromium: no-cache (Cache-Control: max-age=0 on both)
	// (div-conditional-*). CacheDefault leaves the mode alone.
	ConditionalCacheMode CacheMode

	// PreflightCacheHeaders is the set of cache modes whose request headers
	// a preflight carries although the preflight cache is consulted:
	// Firefox sends a no-cache fetch's preflight with Cache-Control:
	// max-age=0 (div-range-wire-04) and still uses a cached preflight
	// (cache-mode-no-cache).
	PreflightCacheHeaders CacheModes

	// PreflightCopiesUserAgent sends the User-Agent the page set on the
	// preflight too, as WebKit does (div-user-agent-allowed). The standard's
	// preflight gets the browser's own.
	PreflightCopiesUserAgent bool

	// PreflightOnEveryHop decides once, from the request as the page made
	// it, whether it needs a preflight, and then sends one on every
	// cross-origin hop of its redirects, even after a 303 turned a PUT into
	// a GET (redirect-303-put) or after Authorization was removed
	// (redirect-authorization-a-to-b). Firefox and WebKit do; the standard
	// decides on each hop from the current method and headers.
	PreflightOnEveryHop bool

	// PreflightListsOriginalHeaders makes such a preflight list the
	// request's original CORS-unsafe header names, Authorization included
	// after it was removed on a cross-origin hop (WebKit:
	// redirect-authorization-cross-origin-hop). Firefox lists the current
	// ones.
	PreflightListsOriginalHeaders bool

	// PreflightOriginUntainted sends the page's origin, not "null", as the
	// Origin of a preflight after a tainting redirect, and runs the
	// preflight's CORS check against it (Firefox:
	// redirect-preflight-after-redirect, div-redirect-preflight-null-only).
	// The actual request still carries "null".
	PreflightOriginUntainted bool

	// PreflightStatusFirst checks a preflight response's status before its
	// CORS check, so that a 404 without Access-Control-Allow-Origin is
	// reported as PreflightInvalidStatus, as WebKit does
	// (CrossOriginPreflightChecker.cpp validates the status first).
	// Chromium runs the CORS check first (preflight_controller.cc); the
	// standard requires both without an order. The fetch fails either way.
	PreflightStatusFirst bool

	// StoreBeforeHeaderCheck stores a preflight result in the cache before
	// its header check, so a preflight that fails only that check still
	// caches the methods and names it allowed (WebKit:
	// div-failed-header-check-then-method).
	StoreBeforeHeaderCheck bool

	// MaxAgeDefault is the max-age of a preflight result whose
	// Access-Control-Max-Age is absent (or, per MaxAgeParsing, invalid).
	// Zero means 5 s, the standard's value and every engine's.
	MaxAgeDefault time.Duration

	// MaxAgeLimit is the user agent's imposed limit on max-age; longer
	// values are clamped to it. Zero means no limit. Chromium: 2 h
	// (kMaxTimeout, preflight_result.cc). Firefox: 24 h. WebKit: 10 min.
	MaxAgeLimit time.Duration

	// MaxAgeParsing says how Access-Control-Max-Age is read; the zero
	// value is the standard's.
	MaxAgeParsing MaxAgeParsing

	// CacheMaxKeys bounds the preflight cache the Transport creates for
	// itself (see preflightcache.Options.MaxKeys); zero means the
	// package's default, 1024. Chromium: 1024. Firefox: 100.
	CacheMaxKeys int

	// CacheMaxURLLength, when positive, is the longest URL whose preflight
	// result is cached. Chromium: 1023 (kMaxKeyLength). Zero: no limit.
	CacheMaxURLLength int

	// CacheWildcard says when a cached `*` method or header name stands for
	// any name (see preflightcache.Wildcard). Chromium and WebKit:
	// preflightcache.WildcardUncredentialed (cache-star-*). Firefox:
	// preflightcache.WildcardLiteral (div-star-header-cached-600).
	CacheWildcard preflightcache.Wildcard

	// CachedWildcardCoversAuthorization lets a cached `*` header name cover
	// Authorization. WebKit does; Chromium sends a new preflight even
	// though a fresh `*` covered it (cache-star-header-then-authorization).
	// The standard: no.
	CachedWildcardCoversAuthorization bool

	// CacheSeparateCredentials keeps credentialed and uncredentialed
	// results apart, so that a credentialed result does not serve an
	// uncredentialed request. Firefox does
	// (div-include-then-uncredentialed-600); Chromium does not
	// (cache-cred-*).
	CacheSeparateCredentials bool

	// CacheReplaceOnStore makes a new preflight result replace everything
	// cached for its origin and URL instead of adding to it. Chromium and
	// WebKit keep one result per key.
	CacheReplaceOnStore bool

	// CacheClearing says when a failed fetch clears the preflight cache
	// entries of its URL; the zero value is the standard's.
	CacheClearing CacheClearing

	// FetchSiteCrossAfterRedirect sends Sec-Fetch-Site: cross-site on
	// every request of a redirected fetch whose URL list holds a URL of
	// another origin than the page's, as Firefox does (redirect-p-to-a,
	// cred-p-redirect-cookies); the standard computes same-site there.
	FetchSiteCrossAfterRedirect bool

	// NoFetchMetadataAfterCrossOriginRedirect leaves out the Sec-Fetch-*
	// headers of a cors request once its redirects crossed origins (the
	// preflights keep them), as WebKit does (redirect-a-to-b,
	// redirect-b-to-c-*).
	NoFetchMetadataAfterCrossOriginRedirect bool

	// ThirdPartyCookies says what happens to cookies of requests to URLs
	// that are not same site with the page. The zero value is
	// ThirdPartyCookiesAllow.
	ThirdPartyCookies ThirdPartyCookies

	// SameSiteCountsRedirects makes a request cross-site for SameSite
	// cookies when a URL of its redirect chain is not same site with the
	// page, though its own URL is: SameSite=Lax and Strict cookies of the
	// page's site are then not sent, as in Firefox
	// (cred-redirect-cross-site-back-*; setting them is not affected,
	// cred-redirect-cross-site-back-set). Chromium and WebKit judge by the
	// request URL alone. It needs a Transport.Jar that is a
	// *cookiestore.Store, which keeps SameSite.
	SameSiteCountsRedirects bool

	// SameSiteNoneRequiresSecure rejects a cookie with SameSite=None that is
	// not Secure, as RFC 6265bis, Chromium and Firefox do
	// (cred-unsecure-samesite-none). WebKit accepts it.
	SameSiteNoneRequiresSecure bool

	// UnsetSameSiteIsNone treats a cookie without a SameSite attribute as
	// SameSite=None, as Firefox does (cred-b-set-include: its cookie without
	// SameSite goes back cross-site). Chromium and RFC 6265bis treat it as
	// Lax, never sent on a cross-site fetch (div-b-cookie-default).
	UnsetSameSiteIsNone bool

	// SecureCookiesNeedHTTPS refuses a Secure cookie set over plain http,
	// loopback included, as WebKitGTK does (cred-same-origin-default: its
	// `SameSite=None; Secure` cookie is not stored). Chromium and Firefox
	// treat loopback as a secure origin for cookies.
	SecureCookiesNeedHTTPS bool

	// ErrorModeNeedsLocation makes a redirect status without a Location
	// field (or with an empty one) no redirect in redirect mode "error":
	// the response is returned, as in follow mode, where Chromium and
	// WebKit fail the fetch only for a response they would follow
	// (redirect-error-no-location-*, redirect-error-empty-location).
	// Firefox and the standard fail the fetch for any redirect status
	// (#http-fetch, "If request's redirect mode is error").
	ErrorModeNeedsLocation bool

	// ManualModeParsesLocation makes redirect mode "manual" parse the
	// Location first, so that a value that is not a URL fails the fetch
	// instead of giving an opaque-redirect response, as Chromium's network
	// stack does before the page's redirect mode is applied
	// (redirect-manual-location-invalid-*). A missing or empty Location, or
	// a URL of any scheme, still gives the opaque-redirect response
	// (redirect-manual-no-location-*, redirect-manual-location-scheme-*).
	// Firefox, WebKit and the standard never look at the Location in
	// manual mode.
	ManualModeParsesLocation bool

	// ManualModeRefusesFTP fails a fetch in redirect mode "manual" whose
	// Location is an ftp: URL, as WebKitGTK does
	// (redirect-manual-location-scheme-ftp); other schemes, data:, file:
	// and javascript: included, give the opaque-redirect response.
	ManualModeRefusesFTP bool

	// ProxyAuthFails makes every response with status 407 (Proxy
	// Authentication Required) a network error, as Chromium's network
	// stack does for a server it reached directly
	// (ERR_UNEXPECTED_PROXY_AUTH in HttpNetworkTransaction::
	// HandleAuthChallenge; status-407-*). corsfetch assumes Base reaches
	// servers directly. Firefox, WebKit and the standard hand the 407 on
	// like any other status (a preflight answered 407 fails everywhere,
	// not being ok).
	ProxyAuthFails bool

	// ResetContentBody hands the page the body that came with a 205 (Reset
	// Content) response, as WebKit does (check-status-205). 205 is a null
	// body status: Chromium, Firefox and the standard give the response an
	// empty body whatever the server sent (#null-body-status).
	ResetContentBody bool

	// MaxResponseHeadBytes, when positive, is the largest response head,
	// in bytes, that the browser reads; a larger one is a network error
	// (net::ERR_RESPONSE_HEADERS_TOO_BIG). The head is counted as an
	// HTTP/1.1 head: the status line and a "Name: value" line per field,
	// each with its CRLF, and the empty line. Chromium: 262144 (256 KiB,
	// kMaxHeaderBufSize of HttpStreamParser; expose-header-size-256k-*).
	// WebKitGTK: 65538, libsoup reading at most 64 KiB of status line and
	// fields (expose-header-size-64k-*). Firefox read a 262,180-byte head
	// (expose-header-long-value-over-256k); the standard sets no limit.
	// Whatever the profile, Base may refuse a head first (net/http: 10 MB
	// unless its MaxResponseHeaderBytes says otherwise).
	MaxResponseHeadBytes int

	// PreflightSiteFromURLList computes the Sec-Fetch-Site of a preflight
	// sent after a redirect from the fetch's whole URL list, as WebKit does
	// (cross-site at A after B: redirect-302-custom-header-b-to-a). Chromium,
	// Firefox and the standard compute it for the preflight's own URL, a
	// new request's one-URL list (same-origin there).
	PreflightSiteFromURLList bool

	// OriginKeptAfterMethodChange keeps sending the Origin header on a
	// same-origin redirect hop that turned the method into GET (a POST
	// through 301, 302 or 303, any method but HEAD through 303), as
	// WebKit does: its request keeps the header it was given
	// (redirect-origin-post-*-same-origin). Chromium, Firefox and the
	// standard decide Origin afresh for every request: a GET whose
	// response tainting is not cors carries none
	// (#append-a-request-origin-header). On a hop to another origin WebKit
	// decides afresh too (redirect-origin-no-cors-post-303-b-to-c).
	OriginKeptAfterMethodChange bool

	// Redirect holds the profile's redirect rules (see redirect.Policy).
	Redirect redirect.Policy
}

// CacheModes is a set of cache modes.
type CacheModes uint8

// Has reports whether m is in the set.
func (s CacheModes) Has(m CacheMode) bool { return s&(1<<m) != 0 }

// ModeSet returns the set of the given cache modes.
func ModeSet(modes ...CacheMode) CacheModes {
	var s CacheModes
	for _, m := range modes {
		s |= 1 << m
	}
	return s
}

// CacheClearing says when a failed fetch runs "clear cache entries" on the
// preflight cache.
//
// [clear cache entries]: https://fetch.spec.whatwg.org/#concept-cache-clear
type CacheClearing uint8

const (
	// ClearOnPreflightPathFailure is the standard: any failure of a
	// request that took the CORS-with-preflight path (the preflight or the
	// actual request failing) clears the URL's entries.
	ClearOnPreflightPathFailure CacheClearing = iota
	// ClearOnPreflightFailure clears them only when the preflight itself
	// fails, as Chromium does (cache-cleared-by-failed-actual).
	ClearOnPreflightFailure
	// ClearOnAnyFailure clears them on any failed CORS check of the URL,
	// even of a request that needed no preflight, as Firefox does
	// (cache-not-cleared-by-simple-failure).
	ClearOnAnyFailure
	// ClearNever never clears them, as WebKit does
	// (cache-cleared-by-failed-actual, div-cache-miss-then-hit).
	ClearNever
)

// MaxAgeParsing is how a profile reads Access-Control-Max-Age.
type MaxAgeParsing uint8

const (
	// MaxAgeDeltaSeconds is the standard: the value must be delta-seconds
	// (1*DIGIT, one field); anything else means the default. 0 is "do not
	// cache"; values beyond 2^31 s are 2^31 s.
	MaxAgeDeltaSeconds MaxAgeParsing = iota

	// MaxAgeInteger is Chromium's and WebKit's reading: a decimal integer,
	// optionally signed (`+10` is 10 s); a negative value means "do not
	// cache"; anything that is not an integer (including two fields,
	// joined as "60, 60", and values that overflow 64 bits) means the
	// default (cache-max-age-*).
	MaxAgeInteger

	// MaxAgeDigitsOrNothing is Firefox's reading: absent or empty means the
	// default; digits are the value (0 is "do not cache"); anything else
	// means "do not cache" (nsCORSListenerProxy.cpp).
	MaxAgeDigitsOrNothing
)

// ThirdPartyCookies is a profile's cookie policy for requests to URLs that
// are not same site with the page (third-party cookies).
type ThirdPartyCookies uint8

const (
	// ThirdPartyCookiesAllow sends and stores them like any other cookie,
	// subject to SameSite. This is what the Fetch Standard alone implies.
	ThirdPartyCookiesAllow ThirdPartyCookies = iota

	// ThirdPartyCookiesBlock sends and stores only Partitioned (CHIPS)
	// cookies in cross-site requests; they are kept apart from Jar, in a
	// jar partitioned by the page's site. This is the recorded Chromium's
	// behaviour (third-party cookies blocked, the headless default;
	// cred-b-set-include, cred-b-partitioned).
	ThirdPartyCookiesBlock

	// ThirdPartyCookiesPartition keeps every cross-site cookie in the
	// partitioned jar (Firefox's Total Cookie Protection).
	ThirdPartyCookiesPartition
)

// Chrome is Chromium's behaviour, as recorded from Chromium 156 in
// conformance/testdata/chromium.json. It is the zero Browser.
var Chrome = Browser{
	Name:                        "Chrome",
	ConditionalCacheMode:        CacheNoCache,
	RangeNumberMax:              math.MaxInt64 - 1,
	CombineRepeatedHeaders:      true,
	ExtraSafelistedHeaders:      true,
	DropUserAgent:               true,
	NormalizeRange:              true,
	WildcardCoversAuthorization: true,
	PreflightBypass:             ModeSet(CacheNoStore, CacheReload, CacheNoCache),
	MaxAgeLimit:                 2 * time.Hour,
	MaxAgeParsing:               MaxAgeInteger,
	CacheMaxKeys:                1024,
	CacheMaxURLLength:           1023,
	CacheWildcard:               preflightcache.WildcardUncredentialed,
	CacheReplaceOnStore:         true,
	CacheClearing:               ClearOnPreflightFailure,
	ThirdPartyCookies:           ThirdPartyCookiesBlock,
	SameSiteNoneRequiresSecure:  true,
	ErrorModeNeedsLocation:      true,
	ManualModeParsesLocation:    true,
	ProxyAuthFails:              true,
	MaxResponseHeadBytes:        256 << 10,
	Redirect:                    redirect.Policy{IdenticalLocations: true, EmptyLocationIsNone: true},
}

// Firefox is Firefox ESR's behaviour, as recorded from Firefox ESR 153 in
// conformance/testdata/firefox.json, with the cache bounds from Gecko's
// source (nsCORSListenerProxy.cpp).
var Firefox = Browser{
	Name:                        "Firefox",
	ConditionalCacheMode:        CacheNoStore,
	RangeNumberMax:              math.MaxUint64,
	NoSafelistedTotal:           true,
	NonASCIIValuesUnsafe:        true,
	ListRepeatedHeaderNames:     true,
	WildcardCoversAuthorization: true,
	PreflightBypass:             ModeSet(CacheNoStore, CacheReload),
	PreflightCacheHeaders:       ModeSet(CacheNoCache),
	PreflightOnEveryHop:         true,
	PreflightOriginUntainted:    true,
	MaxAgeLimit:                 24 * time.Hour,
	MaxAgeParsing:               MaxAgeDigitsOrNothing,
	CacheMaxKeys:                100,
	CacheWildcard:               preflightcache.WildcardLiteral,
	CacheSeparateCredentials:    true,
	CacheClearing:               ClearOnAnyFailure,
	FetchSiteCrossAfterRedirect: true,
	ThirdPartyCookies:           ThirdPartyCookiesPartition,
	SameSiteNoneRequiresSecure:  true,
	UnsetSameSiteIsNone:         true,
	SameSiteCountsRedirects:     true,
	Redirect:                    redirect.Policy{IdenticalLocations: true, KeepInnerTabs: true},
}

// Safari is WebKit's behaviour, as recorded from WebKitGTK 2.50 in
// conformance/testdata/webkit.json, with the cache bounds from WebKit's
// source (CrossOriginPreflightResultCache.cpp). WebKitGTK is not Safari:
// Safari's cookie policy (Intelligent Tracking Prevention) may differ.
var Safari = Browser{
	Name:                                    "Safari",
	RangeUnitAnyCase:                        true,
	RangeNumberMax:                          math.MaxUint64,
	ConditionalCacheMode:                    CacheNoStore,
	CombineRepeatedHeaders:                  true,
	NoSafelistedTotal:                       true,
	OnlyIfCachedUsesNetwork:                 true,
	WildcardCoversAuthorization:             true,
	PreflightCopiesUserAgent:                true,
	PreflightOnEveryHop:                     true,
	PreflightListsOriginalHeaders:           true,
	StoreBeforeHeaderCheck:                  true,
	PreflightStatusFirst:                    true,
	CachedWildcardCoversAuthorization:       true,
	MaxAgeLimit:                             10 * time.Minute,
	MaxAgeParsing:                           MaxAgeInteger,
	CacheMaxKeys:                            math.MaxInt32,
	CacheWildcard:                           preflightcache.WildcardUncredentialed,
	CacheReplaceOnStore:                     true,
	CacheClearing:                           ClearNever,
	NoFetchMetadataAfterCrossOriginRedirect: true,
	ThirdPartyCookies:                       ThirdPartyCookiesBlock,
	SecureCookiesNeedHTTPS:                  true,
	ErrorModeNeedsLocation:                  true,
	ManualModeRefusesFTP:                    true,
	OriginKeptAfterMethodChange:             true,
	ResetContentBody:                        true,
	MaxResponseHeadBytes:                    64<<10 + 2,
	PreflightSiteFromURLList:                true,
	Redirect:                                redirect.Policy{JoinLocations: true, EmptyLocationFails: true, Latin1Location: true},
}

// Spec is the Fetch Standard read literally, with no imposed max-age limit
// and third-party cookies allowed.
var Spec = Browser{
	Name:                 "Spec",
	ConditionalCacheMode: CacheNoStore,
}

// resolve returns the profile a Transport uses: Chrome for the zero value.
func (b Browser) resolve() Browser {
	if reflect.ValueOf(b).IsZero() {
		return Chrome
	}
	if b.Name == "" {
		b.Name = "custom"
	}
	return b
}

// maxAge returns the max-age of a preflight result whose
// Access-Control-Max-Age fields are values, and whether the result is
// cached at all.
//
// [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
func (b *Browser) maxAge(values []string) (time.Duration, bool) {
	def := b.MaxAgeDefault
	if def == 0 {
		def = 5 * time.Second
	}
	var d time.Duration
	switch b.MaxAgeParsing {
	case MaxAgeInteger:
		d = def
		if len(values) > 0 {
			n, ok := parseInteger(get(values))
			switch {
			case !ok:
			case n <= 0:
				return 0, false
			default:
				d = secondsToDuration(n)
			}
		}
	case MaxAgeDigitsOrNothing:
		d = def
		v := get(values)
		if len(values) > 0 && v != "" {
			parsed, ok := preflightcache.ParseMaxAge(v)
			if !ok || parsed <= 0 {
				return 0, false
			}
			d = parsed
		}
	default:
		d = def
		if len(values) == 1 {
			if parsed, ok := preflightcache.ParseMaxAge(values[0]); ok {
				d = parsed
			}
		}
	}
	if b.MaxAgeLimit > 0 && d > b.MaxAgeLimit {
		d = b.MaxAgeLimit
	}
	return d, d > 0
}

// parseInteger parses an optionally signed decimal integer that fits in 64
// bits, as Chromium's base::StringToInt64 does (no surrounding space).
func parseInteger(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '+':
		s = s[1:]
	case '-':
		neg = true
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	// The magnitude, up to 2^63 for a negative number and 2^63-1 for a
	// positive one.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (limit-uint64(c-'0'))/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		return -int64(n), true // 2^63 wraps to math.MinInt64, as it should
	}
	return int64(n), true
}

// secondsToDuration converts n > 0 seconds to a Duration, saturating.
func secondsToDuration(n int64) time.Duration {
	if n > int64(math.MaxInt64/time.Second) {
		return math.MaxInt64
	}
	return time.Duration(n) * time.Second
}

// get is the standard's "get" of a header's values: joined by ", ".
func get(values []string) string {
	v, _ := headerlist.Get(values)
	return v
}

// cacheOptions returns the options of the preflight cache a Transport with
// this profile creates for itself.
func (b *Browser) cacheOptions() preflightcache.Options {
	return preflightcache.Options{
		MaxKeys:                     b.CacheMaxKeys,
		MaxURLLength:                b.CacheMaxURLLength,
		Wildcard:                    b.CacheWildcard,
		WildcardCoversAuthorization: b.CachedWildcardCoversAuthorization,
		SeparateCredentials:         b.CacheSeparateCredentials,
		ReplaceOnStore:              b.CacheReplaceOnStore,
	}
}
