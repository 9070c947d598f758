package fetch

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unsafe"

	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/preflightcache"
	"github.com/corsfetch/corsfetch/safelist"
)

// mainFetch runs main fetch's switch for the current URL and sends the
// request: the basic, opaque or CORS path, the last with a preflight when
// needed. It returns the unfiltered response after the CORS check.
//
// [main fetch]: https://fetch.spec.whatwg.org/#concept-main-fetch
func (f *fetchState) mainFetch() (response, ResponseType, *Error) {
	cur := f.current()
	httpScheme := cur.Scheme == "http" || cur.Scheme == "https"
	if f.t.Origin.Scheme() == "https" && !origin.IsURLPotentiallyTrustworthy(cur) && !f.localMixedContent(cur) {
		// Mixed content (main fetch step "should fetching request be
		// blocked as mixed content"): Chromium restricts pages served
		// over https.
		return response{}, 0, f.fail(ReasonMixedContent, cur.Redacted())
	}
	switch {
	case f.tainting == taintBasic && f.currentOrigin().SameOrigin(f.t.Origin):
		if !httpScheme {
			return response{}, 0, f.fail(ReasonUnsupportedScheme, cur.Scheme)
		}
		raw, err := f.send(cur)
		return raw, TypeBasic, err
	case f.opts.Mode == ModeSameOrigin:
		return response{}, 0, f.fail(ReasonDisallowedByMode, "")
	case f.opts.Mode == ModeNoCORS:
		if f.opts.Redirect != RedirectFollow {
			return response{}, 0, f.fail(ReasonDisallowedByMode, "")
		}
		if !httpScheme {
			return response{}, 0, f.fail(ReasonUnsupportedScheme, cur.Scheme)
		}
		f.tainting = taintOpaque
		raw, err := f.send(cur)
		return raw, TypeOpaque, err
	case !httpScheme:
		return response{}, 0, f.fail(ReasonCorsDisabledScheme, cur.Scheme)
	}
	f.tainting = taintCORS
	var names, listed []string
	if len(f.urls) == 1 && !f.p.Preflight.ListRepeatedNames {
		// The first hop sends the header list setup classified, whose
		// unsafe names are the names listed when repeats are not.
		names, listed = f.initialListed, f.initialListed
	} else {
		names, listed = f.unsafeNames(f.header)
	}
	needed := !safelist.IsMethod(f.method) || len(names) > 0
	forced := !needed && f.p.Preflight.AfterRedirect != PreflightPerHop && f.initialNeedsPreflight
	if needed || forced {
		f.preflighted = true
		if f.p.Preflight.AfterRedirect == PreflightEveryHopOriginalNames && len(f.urls) > 1 {
			listed = f.initialListed
		}
		if err := f.preflightIfNeeded(cur, names, listed, forced); err != nil {
			f.clearCache(cur, true)
			return response{}, 0, err
		}
	}
	raw, err := f.send(cur)
	if err != nil {
		return response{}, 0, err
	}
	if reason, value, ok := corsCheck(raw.Header, f.serializedOrigin(), f.include()); !ok {
		discard(raw.Body, raw.owned)
		f.clearCache(cur, false)
		e := f.fail(reason, value)
		e.Status = raw.StatusCode
		return response{}, 0, e
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
	if f.namesFastPath() {
		var dst []string
		if !f.namesUsed {
			dst, f.namesUsed = f.namesBuf[:0], true
		}
		names = safelist.AppendUnsafeRequestHeaderNames(dst, h)
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

// namesFastPath reports whether unsafeNames asks the safelist package for
// the names (the standard's rules, with a few checks after) rather than
// judging every field itself: where the profile counts the total, takes
// non-ASCII bytes as the standard does and lists each name once. Its
// empty result is then an empty slice of namesBuf, not nil.
func (f *fetchState) namesFastPath() bool { return f.p.namesFastPath() }

// namesFastPath reports whether the profile judges request headers by the
// standard's rules, with a few checks after (fetchState.namesFastPath).
func (p *Profile) namesFastPath() bool {
	return p.Request.SafelistedTotal && p.Request.NonASCIISafelisted && !p.Preflight.ListRepeatedNames
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
	if f.p.Preflight.clears(preflight, f.preflighted) {
		var buf [keyBufLen]byte
		f.t.cache.Clear(f.cacheKey(&buf, u))
	}
}

// clears reports whether a failed fetch clears the preflight cache's
// entries for its URL under the profile: preflight tells whether the
// preflight itself failed, preflighted whether the fetch took the
// CORS-with-preflight path.
func (r *PreflightRules) clears(preflight, preflighted bool) bool {
	switch r.Clearing {
	case ClearNever:
		return false
	case ClearOnPreflightFailure:
		return preflight
	case ClearOnPreflightPathFailure:
		return preflighted
	}
	return true
}

// lookupPreflight looks the request at u up in the preflight cache, with
// its key written on the stack.
func (f *fetchState) lookupPreflight(u *url.URL, method string, names []string) preflightcache.Outcome {
	var buf [keyBufLen]byte
	return f.t.cache.Lookup(f.cacheKey(&buf, u), method, names, f.t.now())
}

// cacheKey returns the preflight cache key of the request at u. Its URL
// may be written in buf (serializeURL): a key for a look-up only, valid
// while buf is. ownedKey makes one the cache may keep.
func (f *fetchState) cacheKey(buf *[keyBufLen]byte, u *url.URL) preflightcache.Key {
	return preflightKey(buf, f.preflightOrigin(), u, f.include())
}

// preflightKey returns the preflight cache key of a request to u with the
// serialized request origin reqOrigin, its URL written in buf when it fits
// (serializeURL).
func preflightKey(buf *[keyBufLen]byte, reqOrigin string, u *url.URL, include bool) preflightcache.Key {
	return preflightcache.Key{Origin: reqOrigin, URL: serializeURL(buf, u), Credentials: include}
}

// ownedKey returns k with a URL of its own, for the cache to keep.
func ownedKey(k preflightcache.Key) preflightcache.Key {
	k.URL = strings.Clone(k.URL)
	return k
}

// keyBufLen is the size of the buffers the cache keys' URLs are written
// in (serializeURL).
const keyBufLen = 160

// serializeURL returns u.String(), written in buf when u is a plain
// absolute URL (no user info, no opaque part, no raw path, no fragment,
// no forced query) that fits: the common request, serialized without
// allocating. The string shares buf's bytes: it is valid until the next
// call with buf and must not be kept.
func serializeURL(buf *[keyBufLen]byte, u *url.URL) string {
	if u.User != nil || u.Opaque != "" || u.RawPath != "" || u.Fragment != "" || u.ForceQuery || u.OmitHost || u.Scheme == "" || !plainHost(u.Host) {
		return u.String()
	}
	path := u.EscapedPath()
	if path != "" && path[0] != '/' {
		return u.String()
	}
	b := append(buf[:0], u.Scheme...)
	b = append(b, "://"...)
	b = append(b, u.Host...)
	b = append(b, path...)
	if u.RawQuery != "" {
		b = append(b, '?')
		b = append(b, u.RawQuery...)
	}
	if len(b) > len(buf) {
		return u.String()
	}
	return unsafe.String(&buf[0], len(b))
}

// plainHost reports whether host is not empty and has only bytes that
// url.URL.String writes unescaped in a host: letters, digits, ".", "-",
// ":" and the brackets of an IPv6 literal.
func plainHost(host string) bool {
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	return host != ""
}

// bypassesCache reports whether the request's cache mode makes the profile
// skip the preflight cache and mark its preflight uncacheable on the wire.
func (f *fetchState) bypassesCache() bool {
	return f.p.Preflight.Bypass.Has(f.opts.Cache)
}
