package preflightcache

import "time"

// MaxDeltaSeconds is the value RFC 9111 section 1.2.2 tells a cache to use
// for a delta-seconds value too large to represent: 2^31 seconds (about
// 68 years). ParseMaxAge returns it for every larger value.
const MaxDeltaSeconds = 1 << 31

// ParseMaxAge parses the value of an [Access-Control-Max-Age] header, whose
// grammar is RFC 9111's delta-seconds: one or more ASCII digits and nothing
// else. It reports false for the empty string (the header is absent) and
// for anything that is not delta-seconds: a sign (so negative values),
// whitespace, a fraction, or two values joined by a comma, which is what
// the standard's [extract header list values] sees when the header is
// repeated. Header values reach it without surrounding whitespace.
//
// Leading zeros are allowed. A value above MaxDeltaSeconds gives
// MaxDeltaSeconds, as RFC 9111 asks; a user agent's own limit
// (Options.MaxAgeLimit) then applies when the result is stored.
//
// What failure means is the caller's. The standard uses 5 seconds;
// Firefox caches nothing. Chromium and WebKit use 5 seconds too, but they
// parse a leading minus sign as part of a number and cache nothing for a
// negative value, and WebKit also accepts a leading plus sign: a caller
// emulating them checks for a sign before applying the failure rule.
//
// [Access-Control-Max-Age]: https://fetch.spec.whatwg.org/#http-access-control-max-age
// [extract header list values]: https://fetch.spec.whatwg.org/#extract-header-list-values
func ParseMaxAge(value string) (time.Duration, bool) {
	if value == "" {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n <= MaxDeltaSeconds { // beyond it, n only needs to stay beyond
			n = n*10 + uint64(c-'0')
		}
	}
	n = min(n, MaxDeltaSeconds)
	return time.Duration(n) * time.Second, true
}
