package httpcache

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Directives are the directives of Cache-Control fields: lower-case names
// mapped to their values ("" for a directive without one). A name given
// twice keeps its first value.
type Directives map[string]string

// ParseCacheControl returns the directives of the Cache-Control fields
// values (RFC 9111 section 5.2): a comma-separated list of token or
// token=value, the value a token or a quoted string. Malformed elements are
// skipped; names are matched case-insensitively.
func ParseCacheControl(values []string) Directives {
	d := Directives{}
	for _, v := range values {
		for len(v) > 0 {
			var item string
			item, v = nextItem(v)
			name, value, _ := strings.Cut(item, "=")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" || !isToken(name) {
				continue
			}
			value = strings.TrimSpace(value)
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = unquote(value[1 : len(value)-1])
			}
			if _, dup := d[name]; !dup {
				d[name] = value
			}
		}
	}
	return d
}

// nextItem returns the first comma-separated item of s, commas inside a
// quoted string not counting, and the rest after the comma.
func nextItem(s string) (item, rest string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted && i+1 < len(s):
			i++
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// unquote removes the backslashes of a quoted string's quoted pairs.
func unquote(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// isToken reports whether s is an HTTP token (RFC 9110 section 5.6.2).
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// VaryNames returns the request field names the response's Vary lists,
// canonical and without repeats, and whether it lists "*", which no
// request matches (RFC 9111 section 4.1).
func VaryNames(h http.Header) (names []string, star bool) {
	for _, v := range h["Vary"] {
		for _, name := range strings.Split(v, ",") {
			name = strings.TrimSpace(name)
			switch {
			case name == "*":
				star = true
			case isToken(name):
				name = http.CanonicalHeaderKey(name)
				if !contains(names, name) {
					names = append(names, name)
				}
			}
		}
	}
	return names, star
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Storable reports whether a private cache may store a response to a GET
// with this status and header (RFC 9111 section 3): not no-store, a status
// that is heuristically cacheable (RFC 9110 section 15.1; 206 is left out,
// as ranges are not combined), and a way to be used later: explicit
// freshness (max-age, Expires), no-cache (stored, validated on every use)
// or a validator (ETag, Last-Modified, which also gives heuristic
// freshness).
func Storable(status int, h http.Header) bool {
	if !heuristicallyCacheable(status) {
		return false
	}
	cc := h["Cache-Control"]
	if hasDirective(cc, "no-store") {
		return false
	}
	return hasDirective(cc, "max-age") || hasDirective(cc, "no-cache") || len(h["Expires"]) > 0 || len(h["Etag"]) > 0 || len(h["Last-Modified"]) > 0
}

// hasDirective reports whether the Cache-Control field values name the
// directive name (lower case), as ParseCacheControl would find it, without
// allocating: Storable runs on every response a cache sees.
func hasDirective(values []string, name string) bool {
	for _, v := range values {
		for len(v) > 0 {
			var item string
			item, v = nextItem(v)
			n, _, _ := strings.Cut(item, "=")
			// A token is ASCII, so EqualFold folds no other letter
			// ("ſ" is not "s"), as ParseCacheControl's ToLower does not.
			if n = strings.TrimSpace(n); isToken(n) && strings.EqualFold(n, name) {
				return true
			}
		}
	}
	return false
}

// heuristicallyCacheable reports whether a response with this status may
// get heuristic freshness (RFC 9110 section 15.1).
func heuristicallyCacheable(status int) bool {
	switch status {
	case 200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501:
		return true
	}
	return false
}

// freshnessLifetime returns the freshness lifetime of e (RFC 9111 section
// 4.2.1) as a private cache computes it: max-age (s-maxage is for shared
// caches), else Expires minus Date, else heuristic freshness.
func freshnessLifetime(e *entry, cc Directives, o Options) time.Duration {
	if v, ok := cc["max-age"]; ok {
		return deltaSeconds(v)
	}
	date := e.date()
	if vs := e.header["Expires"]; len(vs) > 0 {
		expires, err := http.ParseTime(vs[0])
		if err != nil {
			return 0 // an invalid Expires is in the past (section 5.3)
		}
		return expires.Sub(date)
	}
	_, public := cc["public"]
	lm, err := http.ParseTime(get(e.header, "Last-Modified"))
	if o.HeuristicPercent < 0 || err != nil || !heuristicallyCacheable(e.status) && !public || !lm.Before(date) {
		return 0
	}
	d := date.Sub(lm) * time.Duration(o.HeuristicPercent) / 100
	if o.HeuristicMax > 0 && d > o.HeuristicMax {
		d = o.HeuristicMax
	}
	return d
}

// deltaSeconds reads a delta-seconds value (RFC 9111 section 1.2.2): digits,
// 2^31 seconds at most; anything else is 0, stale at once.
func deltaSeconds(v string) time.Duration {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange || v == "" || strings.TrimLeft(v, "0123456789") != "" {
			return 0
		}
		n = math.MaxUint64
	}
	if n > 1<<31 {
		n = 1 << 31
	}
	return time.Duration(n) * time.Second
}

// date returns the response's Date, or the time it was received when it has
// none or an invalid one.
func (e *entry) date() time.Time {
	if d, err := http.ParseTime(get(e.header, "Date")); err == nil {
		return d
	}
	return e.responseTime
}

// initialAge returns e's corrected initial age (RFC 9111 section 4.2.3):
// its age when it was received, to which the time since is added.
func initialAge(e *entry) time.Duration {
	apparent := max(0, e.responseTime.Sub(e.date()))
	ageValue := deltaSeconds(strings.TrimSpace(get(e.header, "Age")))
	corrected := ageValue + e.responseTime.Sub(e.requestTime)
	return max(apparent, corrected)
}
