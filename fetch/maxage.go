package fetch

import (
	"math"
	"time"

	"github.com/corsfetch/corsfetch/internal/headerlist"
	"github.com/corsfetch/corsfetch/preflightcache"
)

// maxAge returns the max-age of a preflight result whose
// Access-Control-Max-Age fields are values, clamped to the user agent's
// limit, and whether the result is cached at all.
//
// [CORS-preflight fetch]: https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
func (r *PreflightRules) maxAge(values []string, limit preflightcache.Options) (time.Duration, bool) {
	def := r.MaxAgeDefault
	if def == 0 {
		def = 5 * time.Second
	}
	var d time.Duration
	switch r.MaxAgeParsing {
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
	d = limit.ClampMaxAge(d)
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
