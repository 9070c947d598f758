package fetch

import (
	"math"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/corsfetch/corsfetch/redirect"
)

// Profile is a browser's behaviour: the points where the engines and the
// Fetch Standard disagree, grouped by the stage of a fetch they govern. Use
// one of Chrome, Firefox, Safari and Spec; to change one behaviour, copy a
// profile and set the field (p := fetch.Chrome;
// p.PreflightCache.MaxAgeLimit = time.Hour).
//
// The zero Profile is Chrome: a Transport whose Browser field is left zero
// behaves exactly as with Chrome. Any other Profile is taken as written,
// each field meaning what its zero value is documented to mean, so build a
// variant by copying a profile rather than field by field. A Profile is
// comparable.
//
// Each field's documentation gives the engines' values and the evidence: a
// scenario of the recordings in conformance/corpus (chromium.json from
// Chromium 156, firefox.json from Firefox ESR 153, webkit.json from
// WebKitGTK 2.50) or, where no scenario can show it, the engine's source.
// The table in the package documentation is generated from these values
// (TestDocTable).
type Profile struct {
	// Name names the profile in errors and traces: "Chrome", "Firefox",
	// "Safari", "Spec". A non-zero Profile without one is "custom".
	Name string

	// Console is the engine whose console wording Error() uses.
	Console Console

	// Request governs the Request constructor's header guard and the
	// classification of the request's method and headers.
	Request RequestRules

	// Preflight governs when a CORS preflight is sent, what it carries and
	// how its response is checked and stored.
	Preflight PreflightRules

	// PreflightCache configures the CORS-preflight cache a Transport
	// creates for itself; pass it to preflightcache.New for a cache that
	// several Transports of this profile share. Its MaxAgeLimit is the
	// user agent's limit on max-age. Chromium: 2 h, 1024 URLs, none over
	// 1023 characters (kMaxTimeout, kMaxCacheEntries, kMaxKeyLength);
	// Firefox: 24 h, 100 URLs (PREFLIGHT_CACHE_SIZE), least recently used
	// out (div-cache-101-urls); WebKit: 10 min, no bound. Which cached
	// entries serve which requests: cache-star-*, cache-include-*,
	// div-include-then-uncredentialed-600, div-cache-url-*.
	PreflightCache preflightcache.Options

	// Redirect governs redirects.
	Redirect RedirectRules

	// Response governs what of a response the network stack passes on.
	Response ResponseRules

	// Cookies governs which cookies are stored and sent.
	Cookies CookieRules

	// HTTPCache governs the HTTP cache (Transport.HTTPCache, the pages of
	// a Browser).
	HTTPCache HTTPCacheRules

	// LocalNetwork governs the Local Network Access check
	// (Transport.PageAddressSpace).
	LocalNetwork LocalNetworkRules
}

// Console is the engine whose console wording an *Error uses.
type Console uint8

const (
	// ConsoleChromium words errors as Chromium's console does (Blink's
	// cors_error_string.cc).
	ConsoleChromium Console = iota
	// ConsoleFirefox words them as Gecko's (security.properties).
	ConsoleFirefox
	// ConsoleWebKit words them as WebKit's (CrossOriginAccessControl.cpp
	// and its neighbours).
	ConsoleWebKit
)

// RequestRules govern the request as the Request constructor and main fetch
// build it: the header guard, which headers are CORS-safelisted, and the
// headers the browser adds.
type RequestRules struct {
	// CombineRepeated joins the fields of a request header the page set
	// more than once into one value (", "-separated) before it is
	// classified and sent, as Blink's and WebKit's Headers do. The
	// standard keeps them as separate header-list entries, each judged on
	// its own: eight 120-byte Accept-Language fields need no preflight
	// there, but do in Chromium and WebKit, where the one combined value is
	// over 128 bytes (simple-total-1024-under). Firefox keeps them apart.
	CombineRepeated bool

	// SafelistedTotal applies the rule that CORS-safelisted request-header
	// values adding up to more than 1024 bytes make every header name
	// CORS-unsafe. Chromium and the standard do; Firefox and WebKit have no
	// such total (simple-total-1024-over, simple-total-1024-mixed).
	SafelistedTotal bool

	// NonASCIISafelisted lets a request-header value with a byte above 0x7F
	// be CORS-safelisted, as the standard (which only excludes the
	// CORS-unsafe request-header bytes, all ASCII), Chromium and WebKit do.
	// Firefox preflights `Accept: café` (simple-header-06).
	NonASCIISafelisted bool

	// ChromiumSafelist adds Chromium's own names to the CORS-safelisted
	// request-headers, each with its value rule (see chromiumSafelisted):
	// Save-Data, Intervention, Device-Memory, DPR, Downlink, Width,
	// Viewport-Width, RTT and ECT (simple-header-20,
	// div-chromium-header-*). Their values count towards the 1024-byte
	// total. The standard, Firefox and WebKit safelist five names only.
	ChromiumSafelist bool

	// UserAgentForbidden drops a User-Agent the page sets, as Chromium does
	// (still a forbidden header there; simple-forbidden-header-11). In the
	// standard, Firefox and WebKit, User-Agent is no longer forbidden: it
	// is sent and, being CORS-unsafe, makes the request preflighted
	// (div-user-agent-allowed).
	UserAgentForbidden bool

	// Range holds the rules for the Range request header.
	Range RangeRules

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

	// OnlyIfCachedUsesNetwork sends a same-origin request with cache mode
	// only-if-cached to the network when the HTTP cache has no answer, as
	// WebKit does (cache-mode-only-if-cached-same-origin). Elsewhere it is
	// a network error.
	OnlyIfCachedUsesNetwork bool

	// FetchMetadata says how the Sec-Fetch-* headers of a request are
	// computed once it was redirected.
	FetchMetadata FetchMetadata
}

// RangeRules govern the Range request header.
type RangeRules struct {
	// Canonicalize rewrites a Range request header that is one valid byte
	// range into its canonical form on the wire ("bytes= 0-1" and
	// "Bytes=0-1" are sent as "bytes=0-1"), as Chromium's HTTP cache layer
	// does, reading the unit in any case (simple-header-17,
	// div-range-unit-case-*), for a GET that may use the cache only: not for
	// other methods, cache mode no-store, or a conditional request
	// (div-range-wire-*); values it cannot read go out unchanged
	// (simple-header-16, -18, several ranges, a reversed range). The
	// request is classified with the value as the page set it, so
	// "Bytes=0-1" is still preflighted.
	Canonicalize bool

	// UnitAnyCase safelists a Range whose unit is "bytes" in any case
	// ("Bytes=0-1") and whose positions may carry one "+" ("bytes=+1-2"),
	// as WebKit does (div-range-unit-case-*, div-range-value-*). The
	// standard's "parse a single range header value" requires the value to
	// start with "bytes", which Chromium and Firefox follow.
	UnitAnyCase bool

	// NumberMax, when not zero, is the largest number a CORS-safelisted
	// Range may hold: a byte range with a larger first or last position is
	// preflighted. The standard sets no limit; Chromium reads positions as
	// 64-bit signed numbers below the largest (9223372036854775806 passes,
	// ...807 does not), Firefox and WebKit as unsigned 64-bit numbers
	// (18446744073709551615 passes, ...616 does not; div-range-number-*).
	NumberMax uint64
}

// FetchMetadata is how the Sec-Fetch-* headers of a redirected request are
// computed.
type FetchMetadata uint8

const (
	// MetadataFromURLList computes Sec-Fetch-Site from the whole URL list,
	// as the standard and Chromium do (same-site after P to A:
	// redirect-p-to-a).
	MetadataFromURLList FetchMetadata = iota
	// MetadataCrossSiteAfterRedirect sends Sec-Fetch-Site: cross-site on
	// every request of a redirected fetch whose URL list holds a URL of
	// another origin than the page's, as Firefox does (redirect-p-to-a,
	// cred-p-redirect-cookies).
	MetadataCrossSiteAfterRedirect
	// MetadataOmittedAfterCrossOriginRedirect leaves out the Sec-Fetch-*
	// headers of a cors request once its redirects crossed origins (the
	// preflights keep them), as WebKit does (redirect-a-to-b,
	// redirect-b-to-c-*).
	MetadataOmittedAfterCrossOriginRedirect
)

// PreflightRules govern the CORS-preflight fetch and the use of the
// preflight cache.
type PreflightRules struct {
	// ListRepeatedNames lists a CORS-unsafe header name in the preflight's
	// Access-Control-Request-Headers once per field, as Firefox does
	// ("x-a,x-a"; simple-repeated-custom-header). The standard lists each
	// name once.
	ListRepeatedNames bool

	// WildcardCoversAuthorization lets `*` in a fresh preflight's
	// Access-Control-Allow-Headers cover Authorization (for a request
	// without credentials). The standard says `*` never does
	// (#cors-preflight-fetch-0, step "If request's header list contains a
	// CORS non-wildcard request-header name"); all three engines allow it
	// for web compatibility (whatwg/fetch#1919;
	// preflight-acah-star-authorization). Whether a cached `*` does is
	// PreflightCache.WildcardCoversAuthorization.
	WildcardCoversAuthorization bool

	// CopiesUserAgent sends the User-Agent the page set on the preflight
	// too, as WebKit does (div-user-agent-allowed). The standard's
	// preflight gets the browser's own.
	CopiesUserAgent bool

	// Bypass is the set of cache modes under which the preflight cache is
	// not consulted (a fresh preflight is stored as usual) and the
	// preflight carries the cache mode's request headers. Chromium:
	// no-store, reload and no-cache; Firefox: no-store and reload
	// (cache-mode-*). In the standard and WebKit the preflight is a new
	// request with the default cache mode.
	Bypass CacheModes

	// CacheHeaders is the set of cache modes whose request headers a
	// preflight carries although the preflight cache is consulted: Firefox
	// sends a no-cache fetch's preflight with Cache-Control: max-age=0
	// (div-range-wire-04) and still uses a cached preflight
	// (cache-mode-no-cache).
	CacheHeaders CacheModes

	// AfterRedirect says when a redirected request is preflighted again.
	AfterRedirect RedirectPreflight

	// OriginUntainted sends the page's origin, not "null", as the Origin of
	// a preflight after a tainting redirect, and runs the preflight's CORS
	// check against it (Firefox: redirect-preflight-after-redirect,
	// div-redirect-preflight-null-only). The actual request still carries
	// "null".
	OriginUntainted bool

	// SiteFromURLList computes the Sec-Fetch-Site of a preflight sent after
	// a redirect from the fetch's whole URL list, as WebKit does
	// (cross-site at A after B: redirect-302-custom-header-b-to-a).
	// Chromium, Firefox and the standard compute it for the preflight's own
	// URL, a new request's one-URL list (same-origin there).
	SiteFromURLList bool

	// Order is the order in which a preflight response is checked and its
	// result stored.
	Order PreflightOrder

	// MaxAgeParsing says how Access-Control-Max-Age is read.
	MaxAgeParsing MaxAgeParsing

	// MaxAgeDefault is the max-age of a preflight result whose
	// Access-Control-Max-Age is absent (or, per MaxAgeParsing, invalid).
	// Zero means 5 s, the standard's value and every engine's.
	MaxAgeDefault time.Duration

	// Clearing says when a failed fetch clears the preflight cache entries
	// of its URL.
	Clearing CacheClearing
}

// RedirectPreflight says when a redirected request is preflighted again.
type RedirectPreflight uint8

const (
	// PreflightPerHop decides on each hop, from the current method and
	// headers, as the standard and Chromium do (no preflight after a 303
	// turned a PUT into a GET: redirect-303-put).
	PreflightPerHop RedirectPreflight = iota
	// PreflightEveryHop decides once, from the request as the page made
	// it, and then preflights every cross-origin hop, listing the current
	// CORS-unsafe names, as Firefox does (redirect-303-put,
	// redirect-authorization-a-to-b).
	PreflightEveryHop
	// PreflightEveryHopOriginalNames does the same, listing the request's
	// original CORS-unsafe names, Authorization included after it was
	// removed on a cross-origin hop, as WebKit does
	// (redirect-authorization-cross-origin-hop).
	PreflightEveryHopOriginalNames
)

// PreflightOrder is the order in which a preflight response is checked and
// its result stored.
type PreflightOrder uint8

const (
	// OrderCORSCheckFirst runs the CORS check, then the status check, then
	// the method and header checks, and stores the result only when all
	// pass, as Chromium (preflight_controller.cc) and Firefox do; the
	// standard requires the checks without an order and stores after them.
	OrderCORSCheckFirst PreflightOrder = iota
	// OrderStatusFirst checks the status first, so that a 404 without
	// Access-Control-Allow-Origin is reported as PreflightInvalidStatus,
	// and stores the result before the header check, so that a preflight
	// failing only that check still caches the methods and names it
	// allowed, as WebKit does (CrossOriginPreflightChecker.cpp;
	// div-failed-header-check-then-method).
	OrderStatusFirst
)

// RedirectRules govern redirects.
type RedirectRules struct {
	// Location holds the rules for reading a Location (see
	// redirect.Policy).
	Location redirect.Policy

	// ErrorModeNeedsLocation makes a redirect status without a Location
	// field (or with an empty one) no redirect in redirect mode "error":
	// the response is returned, as in follow mode, where Chromium and
	// WebKit fail the fetch only for a response they would follow
	// (redirect-error-no-location-*, redirect-error-empty-location).
	// Firefox and the standard fail the fetch for any redirect status
	// (#http-fetch, "If request's redirect mode is error").
	ErrorModeNeedsLocation bool

	// Manual says what redirect mode "manual" makes of the Location.
	Manual ManualLocation

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
}

// ManualLocation is what redirect mode "manual" makes of a Location.
type ManualLocation uint8

const (
	// ManualIgnoresLocation gives the opaque-redirect response whatever the
	// Location, as the standard, Firefox and WebKit (but for ftp:) do.
	ManualIgnoresLocation ManualLocation = iota
	// ManualParsesLocation parses the Location first, so that a value that
	// is not a URL fails the fetch, as Chromium's network stack does before
	// the page's redirect mode is applied
	// (redirect-manual-location-invalid-*). A missing or empty Location, or
	// a URL of any scheme, still gives the opaque-redirect response
	// (redirect-manual-no-location-*, redirect-manual-location-scheme-*).
	ManualParsesLocation
	// ManualRefusesFTP fails the fetch when the Location is an ftp: URL, as
	// WebKitGTK does (redirect-manual-location-scheme-ftp); other schemes,
	// data:, file: and javascript: included, and values that are not URLs
	// give the opaque-redirect response.
	ManualRefusesFTP
)

// ResponseRules govern what of a response the browser's network stack
// passes on.
type ResponseRules struct {
	// ProxyAuthFails makes every response with status 407 (Proxy
	// Authentication Required) a network error, as Chromium's network
	// stack does for a server it reached directly
	// (ERR_UNEXPECTED_PROXY_AUTH in HttpNetworkTransaction::
	// HandleAuthChallenge; check-status-407-*). corsfetch assumes Base
	// reaches servers directly. Firefox, WebKit and the standard hand the
	// 407 on like any other status (a preflight answered 407 fails
	// everywhere, not being ok).
	ProxyAuthFails bool

	// ResetContentBody hands the page the body that came with a 205 (Reset
	// Content) response, as WebKit does (check-status-205). 205 is a null
	// body status: Chromium, Firefox and the standard give the response an
	// empty body whatever the server sent (#null-body-status).
	ResetContentBody bool

	// MaxHeadBytes, when positive, is the largest response head, in bytes,
	// that the browser reads; a larger one is a network error
	// (net::ERR_RESPONSE_HEADERS_TOO_BIG). The head is counted as an
	// HTTP/1.1 head: the status line and a "Name: value" line per field,
	// each with its CRLF, and the empty line. Chromium: 262144 (256 KiB,
	// kMaxHeaderBufSize of HttpStreamParser; expose-header-size-256k-*).
	// WebKitGTK: 65538, libsoup reading at most 64 KiB of status line and
	// fields (expose-header-size-64k-*). Firefox read a 262,180-byte head
	// (expose-header-long-value-over-256k); the standard sets no limit.
	// Whatever the profile, Base may refuse a head first (net/http: 10 MB
	// unless its MaxResponseHeaderBytes says otherwise).
	MaxHeadBytes int
}

// CookieRules govern which cookies are stored and sent.
type CookieRules struct {
	// ThirdParty says what happens to cookies of requests to URLs that are
	// not same site with the page. The zero value is ThirdPartyAllowed.
	ThirdParty ThirdPartyCookies

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
	// SameSite goes back cross-site) and WebKitGTK does
	// (page-cookie-first-party-then-third-party: one set first-party goes
	// with a cross-site fetch). Chromium and RFC 6265bis treat it as Lax,
	// never sent on a cross-site fetch (div-b-cookie-default).
	UnsetSameSiteIsNone bool

	// Limits bound the cookie store a Browser creates (Browser.Cookies
	// left nil) and say which cookies go first past a bound: the engines'
	// values are in cookiestore.Limits' documentation, from Chromium's
	// cookie_monster.cc and Firefox's CookieCommons.h; WebKitGTK's store
	// and RFC 6265bis have none (the zero Limits).
	Limits cookiestore.Limits

	// SecureNeedsHTTPS refuses a Secure cookie set over plain http,
	// loopback included, as WebKitGTK does (cred-same-origin-default: its
	// `SameSite=None; Secure` cookie is not stored). Chromium and Firefox
	// treat loopback as a secure origin for cookies.
	SecureNeedsHTTPS bool
}

// HTTPCacheRules govern which stored responses the HTTP cache shares
// between requests and pages.
type HTTPCacheRules struct {
	// Unpartitioned keeps one HTTP cache for the pages of every site, as
	// WebKitGTK does (page-httpcache-partition: pages at A, B and C are all
	// answered by the response stored for A). Chromium, Firefox and the
	// standard partition it by the page's top-level site
	// (#determine-the-http-cache-partition).
	Unpartitioned bool

	// KeyedByCredentials stores the responses to requests that send
	// credentials apart from those to requests that do not, as Firefox
	// does, its cache key marking anonymous loads
	// (httpcache-credentials-include-then-omit;
	// page-httpcache-same-origin-then-p, where a same-origin fetch's stored
	// answer, without ACAO, does not fail another origin's CORS fetch
	// because that one sends no cookies). Chromium
	// (kSplitCacheByIncludeCredentials is off by default), WebKit and the
	// standard use one entry for both.
	KeyedByCredentials bool

	// KeepOnUnsafe leaves a stored GET response in place after a
	// successful POST, PUT, DELETE or other unsafe request to its URL, as
	// Firefox does (httpcache-post-invalidates: the GET after a POST is
	// answered from the cache). RFC 9111 section 4.4, Chromium and WebKit
	// invalidate it.
	KeepOnUnsafe bool
}

// LocalNetworkRules govern the Local Network Access check: which addresses
// are in which space, which requests are local network requests, and
// which fetch() options the engine knows.
type LocalNetworkRules struct {
	// Off makes no check, as WebKitGTK 2.50 makes none (its
	// LocalNetworkAccessEnabled setting is unstable and off).
	Off bool

	// Addresses is the engine's table of address blocks.
	Addresses AddressTable

	// LocalToLoopback makes a request from a page in the local space to a
	// loopback server a local network request, as the specification does
	// (loopback is less public than local). Chromium counts local and
	// loopback as one space in the comparison
	// (IsLessPublicAddressSpaceLNA), and Firefox skips the check by
	// default (network.lna.local-network-to-localhost.skip-checks):
	// lna-local-loopback-get-denied passes in both.
	LocalToLoopback bool

	// NoTargetAddressSpace ignores Options.TargetAddressSpace, as engines
	// without the targetAddressSpace member of RequestInit (Firefox,
	// WebKit) ignore it (lna-tas-local-to-loopback-granted passes in
	// Firefox, fails in Chromium), and keeps the mixed-content check for
	// local URLs.
	NoTargetAddressSpace bool

	// CacheUnchecked lets a response reused from the HTTP cache through
	// without the check, as Firefox does
	// (lna-cached-then-public-page-denied: a response a loopback page stored is
	// served to a public page). Chromium checks the stored response's
	// address like a connection's and fails the fetch.
	CacheUnchecked bool

	// InsecurePrompts asks a page that is not a secure context for the
	// permission like any other, as Firefox does by default
	// (network.lna.block_insecure_contexts false). Chromium and the
	// specification fail the request outright
	// (ReasonInsecureLocalNetwork).
	InsecurePrompts bool
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
	// ThirdPartyAllowed sends and stores them like any other cookie,
	// subject to SameSite. This is what the Fetch Standard alone implies.
	ThirdPartyAllowed ThirdPartyCookies = iota

	// ThirdPartyBlocked sends and stores only Partitioned (CHIPS) cookies
	// in cross-site requests, kept in the partition of the page's site.
	// This is the recorded Chromium's behaviour (third-party cookies
	// blocked, the headless default; cred-b-set-include,
	// cred-b-partitioned). A default desktop Chrome still allows
	// third-party cookies (ThirdPartyAllowed).
	ThirdPartyBlocked

	// ThirdPartyPartitioned keeps every cross-site cookie in the partition
	// of the page's site (Firefox's Total Cookie Protection;
	// cred-b-set-include, div-b-cookie-*).
	ThirdPartyPartitioned

	// ThirdPartyNone neither sends nor stores any cookie in a cross-site
	// request, Partitioned ones included, as Apple's Safari does
	// (Intelligent Tracking Prevention blocks third-party cookies fully,
	// and it has no CHIPS). No recorded engine does this; WebKitGTK's
	// policy is ThirdPartyNotStored.
	ThirdPartyNone

	// ThirdPartyNotStored stores no cookie from a cross-site response but
	// sends the cookies the store holds with cross-site requests, as
	// WebKitGTK does with its default policy, libsoup's "no third party"
	// (cred-b-set-include: a cookie set cross-site is not stored;
	// page-cookie-first-party-then-third-party,
	// page-cookie-set-from-a-read-on-p: cookies set first-party go with
	// later cross-site requests).
	ThirdPartyNotStored
)

// sendsUnpartitioned reports whether the policy sends a cross-site request
// the unpartitioned cookies of its URL.
func (p ThirdPartyCookies) sendsUnpartitioned() bool {
	return p == ThirdPartyAllowed || p == ThirdPartyNotStored
}

// Chrome is Chromium's behaviour, as recorded from Chromium 156 in
// conformance/corpus/chromium.json. It is what the zero Profile means.
var Chrome = Profile{
	Name:    "Chrome",
	Console: ConsoleChromium,
	Request: RequestRules{
		CombineRepeated:      true,
		SafelistedTotal:      true,
		NonASCIISafelisted:   true,
		ChromiumSafelist:     true,
		UserAgentForbidden:   true,
		Range:                RangeRules{Canonicalize: true, NumberMax: math.MaxInt64 - 1},
		ConditionalCacheMode: CacheNoCache,
	},
	Preflight: PreflightRules{
		WildcardCoversAuthorization: true,
		Bypass:                      ModeSet(CacheNoStore, CacheReload, CacheNoCache),
		MaxAgeParsing:               MaxAgeInteger,
		Clearing:                    ClearOnPreflightFailure,
	},
	PreflightCache: preflightcache.Options{
		MaxAgeLimit:    2 * time.Hour,
		MaxKeys:        1024,
		MaxURLLength:   1023,
		Wildcard:       preflightcache.WildcardUncredentialed,
		ReplaceOnStore: true,
	},
	Redirect: RedirectRules{
		Location:               redirect.Policy{Fields: redirect.FieldsIdentical, Empty: redirect.EmptyNoRedirect},
		ErrorModeNeedsLocation: true,
		Manual:                 ManualParsesLocation,
	},
	Response: ResponseRules{ProxyAuthFails: true, MaxHeadBytes: 256 << 10},
	Cookies: CookieRules{
		ThirdParty:                 ThirdPartyBlocked,
		SameSiteNoneRequiresSecure: true,
		Limits: cookiestore.Limits{
			PerDomain: 180, DomainPurge: 30, PartitionBytes: 10240, Total: 3300, TotalPurge: 300,
			KeepRecent: 30 * 24 * time.Hour, AccessInterval: time.Minute, Eviction: cookiestore.EvictChromium,
		},
	},
}

// Firefox is Firefox ESR's behaviour, as recorded from Firefox ESR 153 in
// conformance/corpus/firefox.json, with the cache bounds from Gecko's
// source (nsCORSListenerProxy.cpp).
var Firefox = Profile{
	Name:    "Firefox",
	Console: ConsoleFirefox,
	Request: RequestRules{
		Range:                RangeRules{NumberMax: math.MaxUint64},
		ConditionalCacheMode: CacheNoStore,
		FetchMetadata:        MetadataCrossSiteAfterRedirect,
	},
	Preflight: PreflightRules{
		ListRepeatedNames:           true,
		WildcardCoversAuthorization: true,
		Bypass:                      ModeSet(CacheNoStore, CacheReload),
		CacheHeaders:                ModeSet(CacheNoCache),
		AfterRedirect:               PreflightEveryHop,
		OriginUntainted:             true,
		MaxAgeParsing:               MaxAgeDigitsOrNothing,
		Clearing:                    ClearOnAnyFailure,
	},
	PreflightCache: preflightcache.Options{
		MaxAgeLimit:         24 * time.Hour,
		MaxKeys:             100,
		Wildcard:            preflightcache.WildcardLiteral,
		SeparateCredentials: true,
	},
	Redirect: RedirectRules{
		Location: redirect.Policy{Fields: redirect.FieldsIdentical, KeepInnerTabs: true},
	},
	Cookies: CookieRules{
		ThirdParty:                 ThirdPartyPartitioned,
		SameSiteCountsRedirects:    true,
		SameSiteNoneRequiresSecure: true,
		UnsetSameSiteIsNone:        true,
		Limits: cookiestore.Limits{
			PerDomain: 180, DomainPurge: 30, Total: 3300, TotalPurge: 300,
			KeepRecent: 30 * 24 * time.Hour, AccessInterval: time.Minute, Eviction: cookiestore.EvictFirefox,
		},
	},
	HTTPCache:    HTTPCacheRules{KeyedByCredentials: true, KeepOnUnsafe: true},
	LocalNetwork: LocalNetworkRules{Addresses: AddressesFirefox, NoTargetAddressSpace: true, CacheUnchecked: true, InsecurePrompts: true},
}

// Safari is WebKit's behaviour, as recorded from WebKitGTK 2.50 in
// conformance/corpus/webkit.json, with the cache bounds from WebKit's
// source (CrossOriginPreflightResultCache.cpp). WebKitGTK is not Safari:
// Safari's network stack (CFNetwork, not libsoup) and cookie policy
// (Intelligent Tracking Prevention) may differ.
var Safari = Profile{
	Name:    "Safari",
	Console: ConsoleWebKit,
	Request: RequestRules{
		CombineRepeated:         true,
		NonASCIISafelisted:      true,
		Range:                   RangeRules{UnitAnyCase: true, NumberMax: math.MaxUint64},
		ConditionalCacheMode:    CacheNoStore,
		OnlyIfCachedUsesNetwork: true,
		FetchMetadata:           MetadataOmittedAfterCrossOriginRedirect,
	},
	Preflight: PreflightRules{
		WildcardCoversAuthorization: true,
		CopiesUserAgent:             true,
		AfterRedirect:               PreflightEveryHopOriginalNames,
		SiteFromURLList:             true,
		Order:                       OrderStatusFirst,
		MaxAgeParsing:               MaxAgeInteger,
		Clearing:                    ClearNever,
	},
	PreflightCache: preflightcache.Options{
		MaxAgeLimit:                 10 * time.Minute,
		MaxKeys:                     math.MaxInt32,
		Wildcard:                    preflightcache.WildcardUncredentialed,
		WildcardCoversAuthorization: true,
		ReplaceOnStore:              true,
	},
	Redirect: RedirectRules{
		Location:                    redirect.Policy{Fields: redirect.FieldsJoined, Empty: redirect.EmptyFails, Latin1Location: true},
		ErrorModeNeedsLocation:      true,
		Manual:                      ManualRefusesFTP,
		OriginKeptAfterMethodChange: true,
	},
	Response:     ResponseRules{ResetContentBody: true, MaxHeadBytes: 64<<10 + 2},
	Cookies:      CookieRules{ThirdParty: ThirdPartyNotStored, UnsetSameSiteIsNone: true, SecureNeedsHTTPS: true},
	HTTPCache:    HTTPCacheRules{Unpartitioned: true},
	LocalNetwork: LocalNetworkRules{Off: true, NoTargetAddressSpace: true},
}

// Spec is the Fetch Standard read literally, with no imposed max-age limit,
// third-party cookies allowed and RFC 6265bis's cookie rules. Its preflight cache holds 1024 URLs
// (preflightcache.DefaultMaxKeys), a bound of corsfetch's: the standard sets
// none.
var Spec = Profile{
	Name:    "Spec",
	Request: RequestRules{SafelistedTotal: true, NonASCIISafelisted: true, ConditionalCacheMode: CacheNoStore},
	// RFC 6265bis, section 5.7: a SameSite=None cookie must be Secure.
	Cookies:      CookieRules{SameSiteNoneRequiresSecure: true},
	LocalNetwork: LocalNetworkRules{Addresses: AddressesSpec, LocalToLoopback: true},
}

// Profiles returns the four profiles, Chrome first.
func Profiles() []Profile { return []Profile{Chrome, Firefox, Safari, Spec} }

// ProfileByName returns the profile with the given name, in any case:
// "chrome" (or "chromium"), "firefox", "safari" (or "webkit") or "spec".
func ProfileByName(name string) (Profile, bool) {
	switch strings.ToLower(name) {
	case "chrome", "chromium":
		return Chrome, true
	case "firefox":
		return Firefox, true
	case "safari", "webkit":
		return Safari, true
	case "spec":
		return Spec, true
	}
	return Profile{}, false
}

// resolve returns the profile a Transport uses: Chrome for the zero value,
// and the profile named "custom" when it has no name.
func (p Profile) resolve() Profile {
	if p == (Profile{}) {
		return Chrome
	}
	if p.Name == "" {
		p.Name = "custom"
	}
	return p
}
