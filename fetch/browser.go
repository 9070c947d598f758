package fetch

import (
	"math"
	"reflect"
	"time"

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
// The fields' documentation gives each engine's value and the evidence: a
// scenario of the Chromium recording (conformance/testdata/chromium.json)
// or, where no recording shows it yet, the engine's source.
type Browser struct {
	// Name names the profile in errors and traces: "Chrome", "Firefox",
	// "Safari", "Spec".
	Name string

	// CombineRepeatedHeaders joins the fields of a request header the page
	// set more than once into one value (", "-separated) before it is
	// classified and sent, as Blink's Headers does. The standard keeps them
	// as separate header-list entries, each judged on its own: eight
	// 120-byte Accept-Language fields need no preflight there, but do in
	// Chromium, where the one combined value is over 128 bytes
	// (simple-total-1024-under).
	CombineRepeatedHeaders bool

	// SaveDataSafelisted makes `Save-Data: on` a CORS-safelisted
	// request-header, as Chromium's IsCorsSafelistedHeader does
	// (simple-header-20). The standard safelists five names only.
	SaveDataSafelisted bool

	// DropUserAgent drops a User-Agent the page sets, as Chromium does
	// (still a forbidden header there; simple-forbidden-header-11). In the
	// standard User-Agent is no longer forbidden: it is sent and, being
	// CORS-unsafe, makes the request preflighted.
	DropUserAgent bool

	// WildcardCoversAuthorization lets `*` in a fresh preflight's
	// Access-Control-Allow-Headers cover Authorization (for a request
	// without credentials). The standard says `*` never does
	// (#cors-preflight-fetch-0, step "If request's header list contains a
	// CORS non-wildcard request-header name"); all three engines allow it
	// for web compatibility (whatwg/fetch#1919;
	// preflight-acah-star-authorization).
	WildcardCoversAuthorization bool

	// PreflightObeysCacheMode makes the request's cache mode reach its
	// preflight: with no-store, reload and no-cache the preflight cache is
	// not consulted (a fresh preflight is stored as usual) and the
	// preflight carries the cache-mode request headers. Chromium does this
	// (cache-mode-*). In the standard the preflight is a new request with
	// the default cache mode, and the preflight cache is always consulted.
	PreflightObeysCacheMode bool

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
	// preflightcache.WildcardLiteral.
	CacheWildcard preflightcache.Wildcard

	// CachedWildcardCoversAuthorization lets a cached `*` header name cover
	// Authorization. Chromium: no, a new preflight is sent even though a
	// fresh `*` covered it (cache-star-header-then-authorization). The
	// standard: no.
	CachedWildcardCoversAuthorization bool

	// CacheSeparateCredentials keeps credentialed and uncredentialed
	// results apart, so that a credentialed result does not serve an
	// uncredentialed request. Firefox does; Chromium does not
	// (cache-cred-*).
	CacheSeparateCredentials bool

	// CacheReplaceOnStore makes a new preflight result replace everything
	// cached for its origin and URL instead of adding to it. Chromium and
	// WebKit keep one result per key.
	CacheReplaceOnStore bool

	// KeepCacheOnFailure keeps the preflight cache entries of a URL when
	// the actual request then fails (a failed CORS check on its
	// response). The standard's main fetch clears them; Chromium does not
	// (cache-cleared-by-failed-actual).
	KeepCacheOnFailure bool

	// ThirdPartyCookies says what happens to cookies of requests to URLs
	// that are not same site with the page. The zero value is
	// ThirdPartyCookiesAllow.
	ThirdPartyCookies ThirdPartyCookies

	// SameSiteNoneRequiresSecure rejects a cookie with SameSite=None that is
	// not Secure (cred-unsecure-samesite-none), as RFC 6265bis and the
	// engines do.
	SameSiteNoneRequiresSecure bool

	// NormalizeRange rewrites a Range request header that is one valid
	// byte range into its canonical form on the wire ("bytes= 0-1" is sent
	// as "bytes=0-1"), as Chromium's HTTP cache layer does
	// (simple-header-17); values it cannot read go out unchanged
	// (simple-header-16, -18). The request is classified with the value as
	// the page set it.
	NormalizeRange bool

	// RedirectNeedsLocation treats a redirect status without a Location
	// as no redirect in every redirect mode: the response is returned, as
	// in Chromium, whose network stack only sees a redirect where there is
	// a location. In the standard, redirect modes "error" and "manual"
	// apply to any redirect status (#http-fetch).
	RedirectNeedsLocation bool

	// Redirect holds the profile's redirect rules (see redirect.Policy).
	Redirect redirect.Policy
}

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
	CombineRepeatedHeaders:      true,
	SaveDataSafelisted:          true,
	DropUserAgent:               true,
	WildcardCoversAuthorization: true,
	PreflightObeysCacheMode:     true,
	MaxAgeLimit:                 2 * time.Hour,
	MaxAgeParsing:               MaxAgeInteger,
	CacheMaxKeys:                1024,
	CacheMaxURLLength:           1023,
	CacheWildcard:               preflightcache.WildcardUncredentialed,
	CacheReplaceOnStore:         true,
	KeepCacheOnFailure:          true,
	ThirdPartyCookies:           ThirdPartyCookiesBlock,
	SameSiteNoneRequiresSecure:  true,
	RedirectNeedsLocation:       true,
	NormalizeRange:              true,
	Redirect:                    redirect.Policy{IdenticalLocations: true, EmptyLocationIsNone: true},
}

// Firefox is Firefox ESR's behaviour, from Gecko's source
// (nsCORSListenerProxy.cpp) until a recording of Firefox exists.
var Firefox = Browser{
	Name:                        "Firefox",
	WildcardCoversAuthorization: true,
	MaxAgeLimit:                 24 * time.Hour,
	MaxAgeParsing:               MaxAgeDigitsOrNothing,
	CacheMaxKeys:                100,
	CacheWildcard:               preflightcache.WildcardLiteral,
	CacheSeparateCredentials:    true,
	ThirdPartyCookies:           ThirdPartyCookiesPartition,
	SameSiteNoneRequiresSecure:  true,
}

// Safari is WebKit's behaviour, from WebKit's source
// (CrossOriginPreflightResultCache.cpp) until a recording of WebKit exists.
var Safari = Browser{
	Name:                              "Safari",
	WildcardCoversAuthorization:       true,
	CachedWildcardCoversAuthorization: true,
	MaxAgeLimit:                       10 * time.Minute,
	MaxAgeParsing:                     MaxAgeInteger,
	CacheMaxKeys:                      math.MaxInt32,
	CacheWildcard:                     preflightcache.WildcardUncredentialed,
	CacheReplaceOnStore:               true,
	ThirdPartyCookies:                 ThirdPartyCookiesBlock,
	SameSiteNoneRequiresSecure:        true,
}

// Spec is the Fetch Standard read literally, with no imposed max-age limit
// and third-party cookies allowed.
var Spec = Browser{
	Name: "Spec",
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
			n, ok := parseInteger(joinValues(values))
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
		v := joinValues(values)
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
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (math.MaxInt64-int64(c-'0'))/10 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// secondsToDuration converts n > 0 seconds to a Duration, saturating.
func secondsToDuration(n int64) time.Duration {
	if n > int64(math.MaxInt64/time.Second) {
		return math.MaxInt64
	}
	return time.Duration(n) * time.Second
}

// joinValues is the standard's "get": the values joined by ", ".
func joinValues(values []string) string {
	switch len(values) {
	case 0:
		return ""
	case 1:
		return values[0]
	}
	n := 2 * (len(values) - 1)
	for _, v := range values {
		n += len(v)
	}
	b := make([]byte, 0, n)
	for i, v := range values {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, v...)
	}
	return string(b)
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
