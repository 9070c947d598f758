package safelist

import (
	"net/http"
	"slices"
	"strings"

	"github.com/corsfetch/corsfetch/internal/headerlist"
)

// MaxValueLength is the longest value, in bytes, a CORS-safelisted
// request-header may have.
//
// [CORS-safelisted request-header]: https://fetch.spec.whatwg.org/#cors-safelisted-request-header
const MaxValueLength = 128

// MaxSafelistedTotal is the most bytes the values of all CORS-safelisted
// request-headers of one request may add up to; past it every one of them
// counts as CORS-unsafe.
//
// [CORS-unsafe request-header names]: https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
const MaxSafelistedTotal = 1024

// forbiddenNames are the forbidden request-header names of step 1, lower case.
var forbiddenNames = [...]string{
	"accept-charset", "accept-encoding", "access-control-request-headers",
	"access-control-request-method", "connection", "content-length", "cookie",
	"cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin",
	"referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade",
	"via",
}

// IsForbiddenRequestHeader reports whether (name, value) is a forbidden
// request-header, one a page cannot set (fetch() silently drops it):
//
//  1. name is a byte-case-insensitive match for one of Accept-Charset,
//     Accept-Encoding, Access-Control-Request-Headers,
//     Access-Control-Request-Method, Connection, Content-Length, Cookie,
//     Cookie2, Date, DNT, Expect, Host, Keep-Alive, Origin, Referer,
//     Set-Cookie, TE, Trailer, Transfer-Encoding, Upgrade or Via;
//  2. name starts with "proxy-" or "sec-", byte-case-insensitively;
//  3. name is X-HTTP-Method, X-HTTP-Method-Override or X-Method-Override and
//     one item of value, split as get, decode, and split splits it, is a
//     forbidden method ("GET, trace" is forbidden; a quoted "TRACE" is not).
//
// [forbidden request-header]: https://fetch.spec.whatwg.org/#forbidden-request-header
func IsForbiddenRequestHeader(name, value string) bool {
	for _, f := range forbiddenNames {
		if headerlist.EqualFold(name, f) {
			return true
		}
	}
	if headerlist.HasPrefixFold(name, "proxy-") || headerlist.HasPrefixFold(name, "sec-") {
		return true
	}
	if headerlist.EqualFold(name, "X-HTTP-Method") ||
		headerlist.EqualFold(name, "X-HTTP-Method-Override") ||
		headerlist.EqualFold(name, "X-Method-Override") {
		sp := headerlist.Split(value)
		for {
			item, ok := sp.Next()
			if !ok {
				return false
			}
			if IsForbiddenMethod(item) {
				return true
			}
		}
	}
	return false
}

// isUnsafeByte reports whether b is a CORS-unsafe request-header byte: below
// 0x20 except tab, or one of " ( ) : < > ? @ [ \ ] { } and DEL.
//
// [CORS-unsafe request-header byte]: https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
func isUnsafeByte(b byte) bool {
	if b < 0x20 {
		return b != '\t'
	}
	switch b {
	case '"', '(', ')', ':', '<', '>', '?', '@', '[', '\\', ']', '{', '}', 0x7F:
		return true
	}
	return false
}

func hasUnsafeByte(v string) bool {
	for i := 0; i < len(v); i++ {
		if isUnsafeByte(v[i]) {
			return true
		}
	}
	return false
}

// isLanguageValue reports whether every byte of v is allowed in a safelisted
// Accept-Language or Content-Language: 0-9, A-Z, a-z, space, and * , - . ; =.
func isLanguageValue(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case '0' <= c && c <= '9', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case c == ' ', c == '*', c == ',', c == '-', c == '.', c == ';', c == '=':
		default:
			return false
		}
	}
	return true
}

// IsRequestHeader reports whether (name, value) is a CORS-safelisted
// request-header, one that does not by itself make a request need a CORS
// preflight:
//
//   - the value is at most 128 bytes, and
//   - name is Accept and value has no CORS-unsafe request-header byte; or
//   - name is Accept-Language or Content-Language and value has only the bytes
//     0-9 A-Z a-z space * , - . ; =; or
//   - name is Content-Type, value has no CORS-unsafe request-header byte, and it
//     parses as a MIME type whose essence is application/x-www-form-urlencoded,
//     multipart/form-data or text/plain (so `text/plain; charset="utf-8"` is
//     not safelisted: the quote is an unsafe byte); or
//   - name is Range and value is a single byte range with a start, such as
//     "bytes=0-" or "bytes=100-200", without whitespace.
//
// Names are matched byte-case-insensitively; every other name is not
// safelisted.
//
// [CORS-safelisted request-header]: https://fetch.spec.whatwg.org/#cors-safelisted-request-header
func IsRequestHeader(name, value string) bool {
	if len(value) > MaxValueLength {
		return false
	}
	// The five names have five lengths: one comparison decides.
	switch len(name) {
	case len("Accept"):
		return headerlist.EqualFold(name, "Accept") && !hasUnsafeByte(value)
	case len("Accept-Language"):
		return headerlist.EqualFold(name, "Accept-Language") && isLanguageValue(value)
	case len("Content-Language"):
		return headerlist.EqualFold(name, "Content-Language") && isLanguageValue(value)
	case len("Content-Type"):
		if !headerlist.EqualFold(name, "Content-Type") || hasUnsafeByte(value) {
			return false
		}
		typ, sub, ok := parseMIMEEssence(value)
		if !ok {
			return false
		}
		return headerlist.EqualFold(typ, "application") && headerlist.EqualFold(sub, "x-www-form-urlencoded") ||
			headerlist.EqualFold(typ, "multipart") && headerlist.EqualFold(sub, "form-data") ||
			headerlist.EqualFold(typ, "text") && headerlist.EqualFold(sub, "plain")
	case len("Range"):
		if !headerlist.EqualFold(name, "Range") {
			return false
		}
		start, _, ok := parseSingleRange(value, false)
		return ok && start != ""
	}
	return false
}

// IsNoCORSRequestHeader reports whether (name, value) is a no-CORS-safelisted
// request-header: name is Accept, Accept-Language, Content-Language or
// Content-Type and (name, value) is a CORS-safelisted request-header. Range
// is not among them. A no-cors request keeps only these; when a name is
// repeated the browser checks the combined value ("a, b"), so pass that.
//
// [no-CORS-safelisted request-header]: https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header
func IsNoCORSRequestHeader(name, value string) bool {
	if !IsNoCORSRequestHeaderName(name) {
		return false
	}
	return IsRequestHeader(name, value)
}

// IsNoCORSRequestHeaderName reports whether name is a no-CORS-safelisted
// request-header name: Accept, Accept-Language, Content-Language or
// Content-Type.
//
// [no-CORS-safelisted request-header name]: https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header-name
func IsNoCORSRequestHeaderName(name string) bool {
	return headerlist.EqualFold(name, "Accept") ||
		headerlist.EqualFold(name, "Accept-Language") ||
		headerlist.EqualFold(name, "Content-Language") ||
		headerlist.EqualFold(name, "Content-Type")
}

// IsNonWildcardRequestHeaderName reports whether name is a CORS non-wildcard
// request-header name, one that a "*" in Access-Control-Allow-Headers does not
// cover: only Authorization.
//
// [CORS non-wildcard request-header name]: https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
func IsNonWildcardRequestHeaderName(name string) bool {
	return headerlist.EqualFold(name, "Authorization")
}

// IsRequestBodyHeaderName reports whether name is a request-body-header name
// (Content-Encoding, Content-Language, Content-Location or Content-Type), the
// headers dropped when a redirect turns a request into a GET without body.
//
// [request-body-header name]: https://fetch.spec.whatwg.org/#request-body-header-name
func IsRequestBodyHeaderName(name string) bool {
	return headerlist.EqualFold(name, "Content-Encoding") ||
		headerlist.EqualFold(name, "Content-Language") ||
		headerlist.EqualFold(name, "Content-Location") ||
		headerlist.EqualFold(name, "Content-Type")
}

// commonLower holds the lower-case form of header names often seen as
// CORS-unsafe, so that UnsafeRequestHeaderNames need not build them.
var commonLower = [...]string{
	"accept", "accept-language", "authorization", "cache-control",
	"content-language", "content-type", "if-match", "if-modified-since",
	"if-none-match", "pragma", "range", "user-agent", "x-api-key",
	"x-csrf-token", "x-request-id", "x-requested-with",
}

// knownLower returns name byte-lowercased and true when that needs no new
// string: name is already lower case or one of commonLower.
func knownLower(name string) (string, bool) {
	if headerlist.IsLower(name) {
		return name, true
	}
	for _, c := range commonLower {
		if headerlist.EqualFold(name, c) {
			return c, true
		}
	}
	return "", false
}

// judged is a name of a header list and whether it is listed among the
// CORS-unsafe names (AppendUnsafeRequestHeaderNames).
type judged struct {
	name   string
	listed bool
}

// isFieldUnsafe reports whether any field of a name is not a CORS-safelisted
// request-header, and adds the lengths of the safelisted ones to *total.
func isFieldUnsafe(name string, values []string, total *int) bool {
	unsafe := false
	for _, v := range values {
		if IsRequestHeader(name, v) {
			*total += len(v)
		} else {
			unsafe = true
		}
	}
	return unsafe
}

// UnsafeRequestHeaderNames returns the CORS-unsafe request-header names of
// the header list h: every name one of whose fields is not a CORS-safelisted
// request-header and, when the values of the safelisted fields add up to more
// than 1024 bytes, every other name too. Each field of a repeated name is
// judged on its own. The result is byte-lowercased, de-duplicated and sorted
// by byte; it is nil when there is none. A request whose result is not empty
// needs a CORS preflight, and the result is what its
// Access-Control-Request-Headers lists.
//
// h must be the header list the browser would send: include the Accept (and,
// where the engine adds one, Accept-Language) that fetch() adds, and leave out
// what the network layer adds (User-Agent, Accept-Encoding, Content-Length).
// The result and the strings in it are the only allocations (and, for a
// header list of more than 16 names, one more).
//
// [CORS-unsafe request-header names]: https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
func UnsafeRequestHeaderNames(h http.Header) []string {
	return AppendUnsafeRequestHeaderNames(nil, h)
}

// AppendUnsafeRequestHeaderNames appends the CORS-unsafe request-header
// names of h, as UnsafeRequestHeaderNames returns them, to dst and returns
// the extended slice; dst's elements are left as they are. With room in
// dst, names that are already lower case and at most 16 names in h, it
// allocates nothing.
func AppendUnsafeRequestHeaderNames(dst []string, h http.Header) []string {
	// One walk of h judges every name; the names are kept for the rest.
	var buf [16]judged
	fields := buf[:0]
	if len(h) > len(buf) {
		fields = make([]judged, 0, len(h))
	}
	total, nUnsafe := 0, 0
	for name, values := range h {
		if len(values) == 0 {
			continue
		}
		unsafe := isFieldUnsafe(name, values, &total)
		if unsafe {
			nUnsafe++
		}
		fields = append(fields, judged{name, unsafe})
	}
	over := total > MaxSafelistedTotal
	n := nUnsafe
	if over {
		n = len(fields)
	}
	if n == 0 {
		return dst
	}
	// Names that are not already lower case are written into one builder
	// grown once; each is a substring of it, so they cost one allocation.
	need := 0
	for i := range fields {
		f := &fields[i]
		f.listed = over || f.listed
		if !f.listed {
			continue
		}
		if _, ok := knownLower(f.name); !ok {
			need += len(f.name)
		}
	}
	start0 := len(dst)
	names := dst
	if cap(names)-len(names) < n {
		names = make([]string, len(dst), len(dst)+n)
		copy(names, dst)
	}
	var b strings.Builder
	b.Grow(need)
	for _, f := range fields {
		if !f.listed {
			continue
		}
		if l, ok := knownLower(f.name); ok {
			names = append(names, l)
			continue
		}
		start := b.Len()
		for i := 0; i < len(f.name); i++ {
			c := f.name[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		}
		names = append(names, b.String()[start:])
	}
	slices.Sort(names[start0:])
	return names[:start0+len(slices.Compact(names[start0:]))]
}
