package preflightcache

import "time"

// Defaults used when the matching [Options] field is zero or negative.
const (
	// DefaultMaxKeys is Chromium's bound on its preflight cache
	// (kMaxCacheEntries in services/network/cors/preflight_cache.cc).
	DefaultMaxKeys = 1024

	// DefaultMaxKeyBytes bounds the memory one key may hold: the bytes of
	// its Partition, Origin and URL, plus, for each stored method or header
	// name, the length of the name and a fixed per-entry overhead
	// (EntryOverhead). No engine has such a bound; it exists so that a
	// server listing thousands of names cannot make one key arbitrarily
	// large.
	DefaultMaxKeyBytes = 16 << 10

	// EntryOverhead is what one stored method or header name costs against
	// MaxKeyBytes on top of its length: roughly the size of its entry.
	EntryOverhead = 48
)

// Wildcard selects when a cached `*` method or header name stands for any
// name. The Fetch Standard's [method cache entry match] and
// [header-name cache entry match] and the engines disagree; see the
// constants.
//
// [method cache entry match]: https://fetch.spec.whatwg.org/#concept-cache-match-method
// [header-name cache entry match]: https://fetch.spec.whatwg.org/#concept-cache-match-header
type Wildcard uint8

const (
	// WildcardSpec reads the standard literally: a `*` entry stands for any
	// name whenever the entry itself is a [cache entry match] for the
	// request. An entry stored with credentials matches credentialed
	// requests, so a `*` stored from a credentialed preflight (for example
	// from `Access-Control-Allow-Methods: *, PUT`, where the preflight
	// itself honoured only PUT) then covers every method of later
	// credentialed requests. No engine does this.
	//
	// [cache entry match]: https://fetch.spec.whatwg.org/#concept-cache-match
	WildcardSpec Wildcard = iota

	// WildcardUncredentialed honours a cached `*` only when the entry was
	// stored without credentials; such an entry only ever serves requests
	// without credentials. Chromium (PreflightResult checks its own
	// credentials flag before honouring `*`) and WebKit
	// (CrossOriginPreflightResultCacheItem checks its stored credentials
	// policy) do this.
	WildcardUncredentialed

	// WildcardLiteral never treats a cached `*` as a wildcard: it matches
	// only a method or header name that is itself `*`. Firefox does this
	// (nsPreflightCache::CacheEntry::CheckRequest compares tokens
	// literally), so a `*` answer is never reused from its cache.
	WildcardLiteral
)

// Options configures a [Cache]. The zero value is the Fetch Standard's
// [CORS-preflight cache] with the default bounds. Bounds never make the
// cache non-conforming: the standard lets a user agent remove entries
// before they expire. The standard leaves the max-age limit to the user
// agent and lets `*` never cover the [CORS non-wildcard request-header name]
// `Authorization`.
//
// The engines' values are held by package fetch's browser profiles (the
// PreflightCache field of fetch.Chrome, fetch.Firefox and fetch.Safari),
// each checked against a recording of its engine; the field documentation
// below names the scenarios that show them.
//
// Options is comparable; use keyed literals, so that fields can be added.
//
// [CORS-preflight cache]: https://fetch.spec.whatwg.org/#concept-cache
// [CORS non-wildcard request-header name]: https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
type Options struct {
	// MaxAgeLimit is the user agent's "imposed limit" on max-age: Store
	// clamps longer durations to it. Zero or negative means no limit
	// beyond the 2^31 seconds ParseMaxAge already applies.
	// Chromium: 7200 s (kMaxTimeout). Firefox: 86400 s. WebKit: 600 s
	// (maxPreflightCacheTimeout).
	//
	// The max-age used when Access-Control-Max-Age is absent or does not
	// parse (5 s in the standard, Chromium and WebKit; "do not cache" in
	// Firefox, which also does not cache a max-age of 0) is the caller's
	// to apply: the cache only sees the duration Store is given.
	MaxAgeLimit time.Duration

	// MaxKeys bounds the number of keys (distinct Partition, Origin and
	// URL triples) held at once; zero or negative means DefaultMaxKeys.
	// Storing a new key into a full cache evicts another (see the package
	// documentation). Chromium: 1024, one result per origin, URL and
	// partition. Firefox: 100 (PREFLIGHT_CACHE_SIZE), where the
	// credentialed and uncredentialed results of one URL count as two.
	// WebKit: no bound (use a large value such as math.MaxInt32).
	MaxKeys int

	// MaxKeyBytes bounds the bytes one key holds (see DefaultMaxKeyBytes);
	// zero or negative means DefaultMaxKeyBytes. A key whose Partition,
	// Origin and URL alone exceed it is not cached; names that do not fit
	// are not stored, so requests needing them miss and preflight again.
	MaxKeyBytes int

	// MaxURLLength, when positive, is the longest URL that is cached; Store
	// ignores keys with longer ones. Chromium does not cache URLs of 1024
	// bytes or more (kMaxKeyLength), so its value is 1023. Firefox and
	// WebKit: no limit (zero).
	MaxURLLength int

	// Wildcard selects when a cached `*` is a wildcard; the zero value is
	// WildcardSpec. New panics on a value that is not one of the
	// constants.
	Wildcard Wildcard

	// WildcardCoversAuthorization lets a cached `*` header name cover
	// `Authorization`. The standard says it never does. WebKit's cache
	// lets it; Chromium's does not, though a fresh `*` covers
	// Authorization in all three engines, for web compatibility
	// (whatwg/fetch#1919): a second request with Authorization after a
	// cached `*` is preflighted again (cache-star-header-then-authorization).
	// It only matters where Wildcard honours `*` at all.
	WildcardCoversAuthorization bool

	// SeparateCredentials makes an entry stored with credentials serve
	// only credentialed requests. In the standard (and in Chromium and
	// WebKit) it serves requests with and without credentials. Firefox
	// keys its cache on the credentials flag: its value is true.
	SeparateCredentials bool

	// ReplaceOnStore makes Store drop every entry of the key, with or
	// without credentials, before it records the new ones, so that the key
	// holds exactly the last preflight's result. Chromium and WebKit keep
	// one result per key and replace it: their value is true. In the
	// standard (and Firefox) a preflight only adds or refreshes entries.
	ReplaceOnStore bool
}

// ClampMaxAge returns d clamped to o.MaxAgeLimit, the user agent's "imposed
// limit" on max-age (#cors-preflight-fetch-0); d itself when there is none.
// Store clamps with it.
func (o Options) ClampMaxAge(d time.Duration) time.Duration {
	if o.MaxAgeLimit > 0 && d > o.MaxAgeLimit {
		return o.MaxAgeLimit
	}
	return d
}
