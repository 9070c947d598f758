package safelist_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/safelist"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestMethods(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		method             string
		safelisted         bool
		forbidden          bool
		normalized         string
	}{
		{desc: "GET", spec: "#cors-safelisted-method", reason: "GET is safelisted", method: "GET", safelisted: true, forbidden: false, normalized: "GET"},
		{desc: "HEAD", spec: "#cors-safelisted-method", reason: "HEAD is safelisted", method: "HEAD", safelisted: true, forbidden: false, normalized: "HEAD"},
		{desc: "POST", spec: "#cors-safelisted-method", reason: "POST is safelisted", method: "POST", safelisted: true, forbidden: false, normalized: "POST"},
		{desc: "lower get", spec: "#cors-safelisted-method", reason: "the comparison is byte-exact; normalization makes it GET", method: "get", safelisted: false, forbidden: false, normalized: "GET"},
		{desc: "mixed Post", spec: "#concept-method-normalize", reason: "POST in any case is normalized", method: "pOsT", safelisted: false, forbidden: false, normalized: "POST"},
		{desc: "PUT", spec: "#cors-safelisted-method", reason: "PUT needs a preflight", method: "PUT", safelisted: false, forbidden: false, normalized: "PUT"},
		{desc: "put", spec: "#concept-method-normalize", reason: "put is normalized to PUT", method: "put", safelisted: false, forbidden: false, normalized: "PUT"},
		{desc: "delete", spec: "#concept-method-normalize", reason: "delete is normalized", method: "delete", safelisted: false, forbidden: false, normalized: "DELETE"},
		{desc: "options", spec: "#concept-method-normalize", reason: "options is normalized", method: "Options", safelisted: false, forbidden: false, normalized: "OPTIONS"},
		{desc: "head", spec: "#concept-method-normalize", reason: "head is normalized and then safelisted", method: "head", safelisted: false, forbidden: false, normalized: "HEAD"},
		{desc: "patch", spec: "#concept-method-normalize", reason: "PATCH is not in the normalization list: patch stays patch", method: "patch", safelisted: false, forbidden: false, normalized: "patch"},
		{desc: "PATCH", spec: "#cors-safelisted-method", reason: "PATCH needs a preflight", method: "PATCH", safelisted: false, forbidden: false, normalized: "PATCH"},
		{desc: "CONNECT", spec: "#forbidden-method", reason: "CONNECT is forbidden", method: "CONNECT", safelisted: false, forbidden: true, normalized: "CONNECT"},
		{desc: "trace", spec: "#forbidden-method", reason: "forbidden methods match byte-case-insensitively", method: "trace", safelisted: false, forbidden: true, normalized: "trace"},
		{desc: "TrAcK", spec: "#forbidden-method", reason: "TRACK in any case is forbidden", method: "TrAcK", safelisted: false, forbidden: true, normalized: "TrAcK"},
		{desc: "TRACES", spec: "#forbidden-method", reason: "only exact names are forbidden", method: "TRACES", safelisted: false, forbidden: false, normalized: "TRACES"},
		{desc: "custom", spec: "#concept-method", reason: "any token is a method", method: "CHICKEN", safelisted: false, forbidden: false, normalized: "CHICKEN"},
		{desc: "kelvin", spec: "#concept-method-normalize", reason: "only ASCII letters fold: U+212A is not k", method: "TRAC\u212a", safelisted: false, forbidden: false, normalized: "TRAC\u212a"},
		{desc: "empty", spec: "#concept-method", reason: "the empty string is nothing", method: "", safelisted: false, forbidden: false, normalized: ""},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := safelist.IsMethod(tc.method); got != tc.safelisted {
				t.Errorf("IsMethod(%q) = %v; want %v (%s: %s)", tc.method, got, tc.safelisted, tc.spec, tc.reason)
			}
			if got := safelist.IsForbiddenMethod(tc.method); got != tc.forbidden {
				t.Errorf("IsForbiddenMethod(%q) = %v; want %v (%s: %s)", tc.method, got, tc.forbidden, tc.spec, tc.reason)
			}
			if got := safelist.NormalizeMethod(tc.method); got != tc.normalized {
				t.Errorf("NormalizeMethod(%q) = %q; want %q (%s: %s)", tc.method, got, tc.normalized, tc.spec, tc.reason)
			}
		})
	}
	for _, m := range []string{"GET", "CHICKEN", "*", "Egg"} {
		if !safelist.IsValidMethod(m) {
			t.Errorf("IsValidMethod(%q) = false; any token is a method (#concept-method)", m)
		}
	}
	for _, m := range []string{"", "GET ", "G\x00T", "GÉT", "a/b"} {
		if safelist.IsValidMethod(m) {
			t.Errorf("IsValidMethod(%q) = true; only tokens are methods (#concept-method)", m)
		}
	}
}

func TestIsForbiddenRequestHeader(t *testing.T) {
	tests := []struct {
		desc, spec, reason string
		name, value        string
		want               bool
	}{
		{desc: "Accept-Charset", spec: "#forbidden-request-header", reason: "listed name", name: "Accept-Charset", value: "utf-8", want: true},
		{desc: "accept-encoding", spec: "#forbidden-request-header", reason: "listed names match byte-case-insensitively", name: "accept-encoding", value: "gzip", want: true},
		{desc: "ACRH", spec: "#forbidden-request-header", reason: "the preflight headers are the browser's", name: "Access-Control-Request-Headers", value: "x", want: true},
		{desc: "ACRM", spec: "#forbidden-request-header", reason: "the preflight headers are the browser's", name: "ACCESS-CONTROL-REQUEST-METHOD", value: "PUT", want: true},
		{desc: "Connection", spec: "#forbidden-request-header", reason: "listed name", name: "Connection", value: "close", want: true},
		{desc: "Content-Length", spec: "#forbidden-request-header", reason: "listed name", name: "Content-Length", value: "3", want: true},
		{desc: "Cookie", spec: "#forbidden-request-header", reason: "cookies come from the jar only", name: "Cookie", value: "a=b", want: true},
		{desc: "Cookie2", spec: "#forbidden-request-header", reason: "listed name", name: "Cookie2", value: "a", want: true},
		{desc: "Date", spec: "#forbidden-request-header", reason: "listed name", name: "Date", value: "x", want: true},
		{desc: "DNT", spec: "#forbidden-request-header", reason: "listed name", name: "dnt", value: "1", want: true},
		{desc: "Expect", spec: "#forbidden-request-header", reason: "listed name", name: "Expect", value: "100-continue", want: true},
		{desc: "Host", spec: "#forbidden-request-header", reason: "listed name", name: "Host", value: "evil.example", want: true},
		{desc: "Keep-Alive", spec: "#forbidden-request-header", reason: "listed name", name: "Keep-Alive", value: "1", want: true},
		{desc: "Origin", spec: "#forbidden-request-header", reason: "the page cannot forge its origin", name: "Origin", value: "https://a.example", want: true},
		{desc: "Referer", spec: "#forbidden-request-header", reason: "listed name", name: "Referer", value: "x", want: true},
		{desc: "Set-Cookie", spec: "#forbidden-request-header", reason: "added in 2022", name: "Set-Cookie", value: "a=b", want: true},
		{desc: "TE", spec: "#forbidden-request-header", reason: "listed name", name: "te", value: "trailers", want: true},
		{desc: "Trailer", spec: "#forbidden-request-header", reason: "listed name", name: "Trailer", value: "x", want: true},
		{desc: "Transfer-Encoding", spec: "#forbidden-request-header", reason: "listed name", name: "Transfer-Encoding", value: "chunked", want: true},
		{desc: "Upgrade", spec: "#forbidden-request-header", reason: "listed name", name: "Upgrade", value: "websocket", want: true},
		{desc: "Via", spec: "#forbidden-request-header", reason: "listed name", name: "Via", value: "1.1 x", want: true},
		{desc: "Proxy- prefix", spec: "#forbidden-request-header", reason: "any name starting with proxy-", name: "Proxy-Authorization", value: "x", want: true},
		{desc: "proxy- lower", spec: "#forbidden-request-header", reason: "the prefix matches byte-case-insensitively", name: "proxy-anything", value: "x", want: true},
		{desc: "Sec- prefix", spec: "#forbidden-request-header", reason: "any name starting with sec-", name: "Sec-Fetch-Site", value: "cross-site", want: true},
		{desc: "SEC- upper", spec: "#forbidden-request-header", reason: "the prefix matches byte-case-insensitively", name: "SEC-CUSTOM", value: "x", want: true},
		{desc: "Proxy without dash", spec: "#forbidden-request-header", reason: "the prefix includes the dash", name: "Proxyish", value: "x", want: false},
		{desc: "Sec without dash", spec: "#forbidden-request-header", reason: "the prefix includes the dash", name: "Secret", value: "x", want: false},
		{desc: "User-Agent", spec: "#forbidden-request-header", reason: "User-Agent is not forbidden by the standard (Chromium differs)", name: "User-Agent", value: "x", want: false},
		{desc: "Authorization", spec: "#forbidden-request-header", reason: "Authorization may be set by script", name: "Authorization", value: "Bearer x", want: false},
		{desc: "Accept", spec: "#forbidden-request-header", reason: "Accept may be set by script", name: "Accept", value: "*/*", want: false},
		{desc: "X-HTTP-Method-Override TRACE", spec: "#forbidden-request-header", reason: "override naming a forbidden method", name: "X-HTTP-Method-Override", value: "TRACE", want: true},
		{desc: "X-HTTP-Method connect lower", spec: "#forbidden-request-header", reason: "the method matches byte-case-insensitively", name: "x-http-method", value: "connect", want: true},
		{desc: "X-Method-Override list", spec: "#forbidden-request-header", reason: "any item of the split value counts", name: "X-Method-Override", value: "GET, trace", want: true},
		{desc: "X-HTTP-Method-Override PATCH", spec: "#forbidden-request-header", reason: "a non-forbidden method is fine", name: "X-HTTP-Method-Override", value: "PATCH", want: false},
		{desc: "override quoted TRACE", spec: "#forbidden-request-header", reason: "a quoted item keeps its quotes and is not a method name", name: "X-HTTP-Method-Override", value: `"TRACE"`, want: false},
		{desc: "override padded", spec: "#header-value-get-decode-and-split", reason: "items are trimmed of spaces and tabs", name: "X-HTTP-Method-Override", value: " GET ,\tTRACK\t", want: true},
		{desc: "override empty", spec: "#forbidden-request-header", reason: "an empty value names no method", name: "X-HTTP-Method-Override", value: "", want: false},
		{desc: "other override name", spec: "#forbidden-request-header", reason: "only the three names are checked", name: "X-Override-Method", value: "TRACE", want: false},
		{desc: "custom", spec: "#forbidden-request-header", reason: "ordinary custom names are allowed", name: "X-Custom", value: "TRACE", want: false},
		{desc: "empty name", spec: "#forbidden-request-header", reason: "an empty name matches nothing", name: "", value: "", want: false},
		{desc: "bad bytes", spec: "#forbidden-request-header", reason: "invalid bytes in a name match nothing", name: "Cookie\x00", value: "x", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := safelist.IsForbiddenRequestHeader(tc.name, tc.value); got != tc.want {
				t.Errorf("IsForbiddenRequestHeader(%q, %q) = %v; want %v (%s: %s)", tc.name, tc.value, got, tc.want, tc.spec, tc.reason)
			}
		})
	}
}

func TestIsRequestHeader(t *testing.T) {
	long := strings.Repeat("a", 128)
	tests := []struct {
		desc, spec, reason string
		name, value        string
		want               bool
		noCORS             bool // the expected IsNoCORSRequestHeader
	}{
		{desc: "accept any", spec: "#cors-safelisted-request-header", reason: "ordinary Accept values are safelisted", name: "Accept", value: "application/json, text/*;q=0.8", want: true, noCORS: true},
		{desc: "accept lower name", spec: "#cors-safelisted-request-header", reason: "names match byte-case-insensitively", name: "ACCEPT", value: "*/*", want: true, noCORS: true},
		{desc: "accept 128 bytes", spec: "#cors-safelisted-request-header", reason: "exactly 128 bytes is still allowed", name: "Accept", value: long, want: true, noCORS: true},
		{desc: "accept 129 bytes", spec: "#cors-safelisted-request-header", reason: "more than 128 bytes is unsafe", name: "Accept", value: long + "a", want: false, noCORS: false},
		{desc: "accept quote", spec: "#cors-unsafe-request-header-byte", reason: `" is an unsafe byte`, name: "Accept", value: `text/plain; q="1"`, want: false, noCORS: false},
		{desc: "accept colon", spec: "#cors-unsafe-request-header-byte", reason: ": is an unsafe byte", name: "Accept", value: "a:b", want: false, noCORS: false},
		{desc: "accept at", spec: "#cors-unsafe-request-header-byte", reason: "@ is an unsafe byte", name: "Accept", value: "a@b", want: false, noCORS: false},
		{desc: "accept parens", spec: "#cors-unsafe-request-header-byte", reason: "( is an unsafe byte", name: "Accept", value: "(a)", want: false, noCORS: false},
		{desc: "accept brackets", spec: "#cors-unsafe-request-header-byte", reason: "[ is an unsafe byte", name: "Accept", value: "[a", want: false, noCORS: false},
		{desc: "accept backslash", spec: "#cors-unsafe-request-header-byte", reason: `\ is an unsafe byte`, name: "Accept", value: `a\b`, want: false, noCORS: false},
		{desc: "accept braces", spec: "#cors-unsafe-request-header-byte", reason: "{ is an unsafe byte", name: "Accept", value: "{a}", want: false, noCORS: false},
		{desc: "accept angle", spec: "#cors-unsafe-request-header-byte", reason: "< is an unsafe byte", name: "Accept", value: "<a>", want: false, noCORS: false},
		{desc: "accept question", spec: "#cors-unsafe-request-header-byte", reason: "? is an unsafe byte", name: "Accept", value: "a?", want: false, noCORS: false},
		{desc: "accept DEL", spec: "#cors-unsafe-request-header-byte", reason: "0x7F is an unsafe byte", name: "Accept", value: "a\x7f", want: false, noCORS: false},
		{desc: "accept control", spec: "#cors-unsafe-request-header-byte", reason: "bytes below 0x20 are unsafe", name: "Accept", value: "a\x01b", want: false, noCORS: false},
		{desc: "accept tab", spec: "#cors-unsafe-request-header-byte", reason: "tab is the one control byte allowed", name: "Accept", value: "a\tb", want: true, noCORS: true},
		{desc: "accept high bytes", spec: "#cors-unsafe-request-header-byte", reason: "bytes above 0x7F are not unsafe", name: "Accept", value: "caf\xc3\xa9 \xff", want: true, noCORS: true},
		{desc: "accept-language", spec: "#cors-safelisted-request-header", reason: "letters, digits and ;=,.- are allowed", name: "Accept-Language", value: "en-US,en;q=0.9, fr *", want: true, noCORS: true},
		{desc: "accept-language underscore", spec: "#cors-safelisted-request-header", reason: "_ is not in the language byte set", name: "Accept-Language", value: "en_US", want: false, noCORS: false},
		{desc: "accept-language tab", spec: "#cors-safelisted-request-header", reason: "tab is not in the language byte set", name: "Accept-Language", value: "en\tUS", want: false, noCORS: false},
		{desc: "accept-language non-ASCII", spec: "#cors-safelisted-request-header", reason: "bytes above 0x7F are not in the language byte set", name: "Accept-Language", value: "fran\xc3\xa7ais", want: false, noCORS: false},
		{desc: "content-language", spec: "#cors-safelisted-request-header", reason: "same byte set as Accept-Language", name: "content-language", value: "de-DE", want: true, noCORS: true},
		{desc: "content-language slash", spec: "#cors-safelisted-request-header", reason: "/ is not in the language byte set", name: "Content-Language", value: "de/DE", want: false, noCORS: false},
		{desc: "content-language empty", spec: "#cors-safelisted-request-header", reason: "the empty value has no bad byte", name: "Content-Language", value: "", want: true, noCORS: true},
		{desc: "content-type text/plain", spec: "#cors-safelisted-request-header", reason: "one of the three essences", name: "Content-Type", value: "text/plain", want: true, noCORS: true},
		{desc: "content-type form", spec: "#cors-safelisted-request-header", reason: "one of the three essences", name: "Content-Type", value: "application/x-www-form-urlencoded", want: true, noCORS: true},
		{desc: "content-type multipart", spec: "#cors-safelisted-request-header", reason: "parameters do not change the essence", name: "Content-Type", value: "multipart/form-data; boundary=something", want: true, noCORS: true},
		{desc: "content-type upper", spec: "#cors-safelisted-request-header", reason: "the essence is lower-cased before comparing", name: "Content-Type", value: "TEXT/PLAIN", want: true, noCORS: true},
		{desc: "content-type charset", spec: "#cors-safelisted-request-header", reason: "parameters without unsafe bytes are fine", name: "Content-Type", value: "text/plain;charset=UTF-8", want: true, noCORS: true},
		{desc: "content-type quoted charset", spec: "#cors-safelisted-request-header", reason: `" is an unsafe byte even in a parameter`, name: "Content-Type", value: `text/plain; charset="utf-8"`, want: false, noCORS: false},
		{desc: "content-type json", spec: "#cors-safelisted-request-header", reason: "application/json is not one of the three", name: "Content-Type", value: "application/json", want: false, noCORS: false},
		{desc: "content-type two types", spec: "#cors-safelisted-request-header", reason: "a comma list fails to parse as one MIME type", name: "Content-Type", value: "text/plain, application/json", want: false, noCORS: false},
		{desc: "content-type no subtype", spec: "#cors-safelisted-request-header", reason: "a MIME type needs a subtype", name: "Content-Type", value: "text/", want: false, noCORS: false},
		{desc: "content-type no slash", spec: "#cors-safelisted-request-header", reason: "a MIME type needs a slash", name: "Content-Type", value: "text", want: false, noCORS: false},
		{desc: "content-type padded", spec: "#cors-safelisted-request-header", reason: "HTTP whitespace around the value is removed by the parser", name: "Content-Type", value: " text/plain ", want: true, noCORS: true},
		{desc: "content-type space before slash", spec: "#cors-safelisted-request-header", reason: "the type must be a token", name: "Content-Type", value: "text /plain", want: false, noCORS: false},
		{desc: "content-type space after subtype", spec: "#cors-safelisted-request-header", reason: "trailing whitespace of the subtype is removed", name: "Content-Type", value: "text/plain ;a=b", want: true, noCORS: true},
		{desc: "content-type control", spec: "#cors-safelisted-request-header", reason: "a control byte is unsafe", name: "Content-Type", value: "text/plain\x0b", want: false, noCORS: false},
		{desc: "content-type non-ASCII subtype", spec: "#cors-safelisted-request-header", reason: "non-ASCII is not a token code point", name: "Content-Type", value: "text/pl\xc3\xa4in", want: false, noCORS: false},
		{desc: "content-type long", spec: "#cors-safelisted-request-header", reason: "the 128-byte cap applies to content-type", name: "Content-Type", value: "text/plain;a=" + long, want: false, noCORS: false},
		{desc: "range start-end", spec: "#simple-range-header-value", reason: "a single range with a start", name: "Range", value: "bytes=100-200", want: true, noCORS: false},
		{desc: "range open", spec: "#simple-range-header-value", reason: "a start without an end", name: "Range", value: "bytes=0-", want: true, noCORS: false},
		{desc: "range suffix", spec: "#cors-safelisted-request-header", reason: "a range without a start is not safelisted", name: "Range", value: "bytes=-500", want: false, noCORS: false},
		{desc: "range equal", spec: "#simple-range-header-value", reason: "start may equal end", name: "Range", value: "bytes=5-5", want: true, noCORS: false},
		{desc: "range reversed", spec: "#simple-range-header-value", reason: "start greater than end fails", name: "Range", value: "bytes=200-100", want: false, noCORS: false},
		{desc: "range huge", spec: "#simple-range-header-value", reason: "digits of any length compare as numbers", name: "Range", value: "bytes=99999999999999999999999-100000000000000000000000", want: true, noCORS: false},
		{desc: "range huge reversed", spec: "#simple-range-header-value", reason: "digits of any length compare as numbers", name: "Range", value: "bytes=100000000000000000000000-99999999999999999999999", want: false, noCORS: false},
		{desc: "range leading zeros", spec: "#simple-range-header-value", reason: "leading zeros do not change the number", name: "Range", value: "bytes=0010-9", want: false, noCORS: false},
		{desc: "range two ranges", spec: "#simple-range-header-value", reason: "multiple ranges fail", name: "Range", value: "bytes=0-1,3-4", want: false, noCORS: false},
		{desc: "range space", spec: "#simple-range-header-value", reason: "whitespace is not allowed here", name: "Range", value: "bytes= 0-1", want: false, noCORS: false},
		{desc: "range upper unit", spec: "#simple-range-header-value", reason: `the unit must be exactly "bytes"`, name: "Range", value: "BYTES=0-1", want: false, noCORS: false},
		{desc: "range other unit", spec: "#simple-range-header-value", reason: `the unit must be exactly "bytes"`, name: "Range", value: "items=0-1", want: false, noCORS: false},
		{desc: "range empty", spec: "#simple-range-header-value", reason: "start and end cannot both be missing", name: "Range", value: "bytes=-", want: false, noCORS: false},
		{desc: "range no dash", spec: "#simple-range-header-value", reason: "the dash is required", name: "Range", value: "bytes=5", want: false, noCORS: false},
		{desc: "range lower name", spec: "#cors-safelisted-request-header", reason: "names match byte-case-insensitively", name: "range", value: "bytes=1-", want: true, noCORS: false},
		{desc: "authorization", spec: "#cors-safelisted-request-header", reason: "any other name is not safelisted", name: "Authorization", value: "Basic x", want: false, noCORS: false},
		{desc: "custom", spec: "#cors-safelisted-request-header", reason: "any other name is not safelisted", name: "X-Requested-With", value: "XMLHttpRequest", want: false, noCORS: false},
		{desc: "cache-control", spec: "#cors-safelisted-request-header", reason: "Cache-Control is not a safelisted request-header", name: "Cache-Control", value: "no-cache", want: false, noCORS: false},
		{desc: "empty name", spec: "#cors-safelisted-request-header", reason: "an empty name is not safelisted", name: "", value: "x", want: false, noCORS: false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := safelist.IsRequestHeader(tc.name, tc.value); got != tc.want {
				t.Errorf("IsRequestHeader(%q, %q) = %v; want %v (%s: %s)", tc.name, tc.value, got, tc.want, tc.spec, tc.reason)
			}
			if got := safelist.IsNoCORSRequestHeader(tc.name, tc.value); got != tc.noCORS {
				t.Errorf("IsNoCORSRequestHeader(%q, %q) = %v; want %v (#no-cors-safelisted-request-header: Range is not a no-CORS name)", tc.name, tc.value, got, tc.noCORS)
			}
		})
	}
}

func TestUnsafeRequestHeaderNames(t *testing.T) {
	kb := strings.Repeat("a", 100)
	tests := []struct {
		desc, spec, reason string
		h                  http.Header
		want               []string
	}{
		{desc: "none", spec: "#cors-unsafe-request-header-names", reason: "safelisted headers need no preflight", h: http.Header{"Accept": {"*/*"}, "Content-Type": {"text/plain"}}, want: nil},
		{desc: "empty", spec: "#cors-unsafe-request-header-names", reason: "no headers, nothing unsafe", h: http.Header{}, want: nil},
		{desc: "json", spec: "#cors-unsafe-request-header-names", reason: "a non-safelisted content-type is unsafe", h: http.Header{"Accept": {"*/*"}, "Content-Type": {"application/json"}}, want: []string{"content-type"}},
		{desc: "sorted lower", spec: "#convert-header-names-to-a-sorted-lowercase-set", reason: "names are byte-lowercased and sorted", h: http.Header{"X-Zeta": {"1"}, "Authorization": {"x"}, "X-Alpha": {"1"}}, want: []string{"authorization", "x-alpha", "x-zeta"}},
		{desc: "dedupe case", spec: "#convert-header-names-to-a-sorted-lowercase-set", reason: "names differing only in case are one name", h: http.Header{"X-Custom": {"1"}, "x-custom": {"2"}, "X-CUSTOM": {"3"}}, want: []string{"x-custom"}},
		{desc: "each field", spec: "#cors-unsafe-request-header-names", reason: "each field of a repeated name is checked on its own", h: http.Header{"Content-Type": {"text/plain", "application/json"}}, want: []string{"content-type"}},
		{desc: "each field safe", spec: "#cors-unsafe-request-header-names", reason: "two safelisted fields are each safe (the combined value is not what is checked)", h: http.Header{"Accept": {"text/html", "text/plain"}}, want: nil},
		{desc: "total at 1024", spec: "#cors-unsafe-request-header-names", reason: "a total of exactly 1024 bytes is still fine", h: http.Header{"Accept": {kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], strings.Repeat("b", 24)}}, want: nil},
		{desc: "total over 1024", spec: "#cors-unsafe-request-header-names", reason: "past 1024 bytes every safelisted name becomes unsafe", h: http.Header{"Accept": {kb, kb, kb, kb, kb, kb, kb, kb, kb, kb}, "Content-Language": {strings.Repeat("c", 25)}, "X-Custom": {"1"}}, want: []string{"accept", "content-language", "x-custom"}},
		{desc: "unsafe values do not count", spec: "#cors-unsafe-request-header-names", reason: "only safelisted values add to the total", h: http.Header{"X-Big": {strings.Repeat("x", 2000)}, "Accept": {"*/*"}}, want: []string{"x-big"}},
		{desc: "long value", spec: "#cors-safelisted-request-header", reason: "a value over 128 bytes makes its name unsafe", h: http.Header{"Accept": {strings.Repeat("a", 129)}}, want: []string{"accept"}},
		{desc: "uncommon canonical", spec: "#convert-header-names-to-a-sorted-lowercase-set", reason: "names outside the common table are lowered too", h: http.Header{"X-Very-Custom-Header": {"1"}, "X-Another-One": {"2"}}, want: []string{"x-another-one", "x-very-custom-header"}},
		{desc: "empty value list", spec: "#cors-unsafe-request-header-names", reason: "a key without fields is no header", h: http.Header{"X-Nothing": {}}, want: nil},
		{desc: "range suffix", spec: "#cors-safelisted-request-header", reason: "a suffix range is unsafe", h: http.Header{"Range": {"bytes=-5"}}, want: []string{"range"}},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got := safelist.UnsafeRequestHeaderNames(tc.h)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("UnsafeRequestHeaderNames(%v) mismatch (-want +got):\n%s\n%s: %s", tc.h, diff, tc.spec, tc.reason)
			}
		})
	}
}

func TestResponseHeaderNames(t *testing.T) {
	tests := []struct {
		desc, spec, reason  string
		name                string
		exposed             []string
		safelisted, visible bool
		forbidden           bool
	}{
		{desc: "Cache-Control", spec: "#cors-safelisted-response-header-name", reason: "always exposed", name: "Cache-Control", exposed: nil, safelisted: true, visible: true, forbidden: false},
		{desc: "content-language", spec: "#cors-safelisted-response-header-name", reason: "names match byte-case-insensitively", name: "content-language", exposed: nil, safelisted: true, visible: true, forbidden: false},
		{desc: "Content-Length", spec: "#cors-safelisted-response-header-name", reason: "added in 2018 (whatwg/fetch#626)", name: "Content-Length", exposed: nil, safelisted: true, visible: true, forbidden: false},
		{desc: "Content-Type", spec: "#cors-safelisted-response-header-name", reason: "always exposed", name: "CONTENT-TYPE", exposed: nil, safelisted: true, visible: true, forbidden: false},
		{desc: "Expires", spec: "#cors-safelisted-response-header-name", reason: "always exposed", name: "Expires", exposed: nil, safelisted: true, visible: true, forbidden: false},
		{desc: "Last-Modified", spec: "#cors-safelisted-response-header-name", reason: "always exposed", name: "Last-Modified", exposed: nil, safelisted: true, visible: true, forbidden: false},
		{desc: "Pragma", spec: "#cors-safelisted-response-header-name", reason: "always exposed", name: "Pragma", exposed: nil, safelisted: true, visible: true, forbidden: false},
		{desc: "Date", spec: "#cors-safelisted-response-header-name", reason: "Date is not safelisted", name: "Date", exposed: nil, safelisted: false, visible: false, forbidden: false},
		{desc: "X-Custom listed", spec: "#cors-safelisted-response-header-name", reason: "an exposed name is visible", name: "X-Custom", exposed: []string{"x-custom"}, safelisted: false, visible: true, forbidden: false},
		{desc: "X-Custom unlisted", spec: "#cors-safelisted-response-header-name", reason: "an unlisted name is hidden", name: "X-Custom", exposed: []string{"x-other"}, safelisted: false, visible: false, forbidden: false},
		{desc: "Set-Cookie listed", spec: "#forbidden-response-header-name", reason: "Set-Cookie is never exposed, even when listed", name: "Set-Cookie", exposed: []string{"Set-Cookie"}, safelisted: false, visible: false, forbidden: true},
		{desc: "set-cookie2 listed", spec: "#forbidden-response-header-name", reason: "Set-Cookie2 is forbidden too", name: "set-cookie2", exposed: []string{"set-cookie2"}, safelisted: false, visible: false, forbidden: true},
		{desc: "star literal", spec: "#cors-safelisted-response-header-name", reason: "a * item matches only a header named *", name: "X-Custom", exposed: []string{"*"}, safelisted: false, visible: false, forbidden: false},
		{desc: "star named", spec: "#cors-safelisted-response-header-name", reason: "a * item matches a header named *", name: "*", exposed: []string{"*"}, safelisted: false, visible: true, forbidden: false},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := safelist.IsResponseHeaderName(tc.name); got != tc.safelisted {
				t.Errorf("IsResponseHeaderName(%q) = %v; want %v (%s: %s)", tc.name, got, tc.safelisted, tc.spec, tc.reason)
			}
			if got := safelist.IsExposed(tc.name, tc.exposed); got != tc.visible {
				t.Errorf("IsExposed(%q, %q) = %v; want %v (%s: %s)", tc.name, tc.exposed, got, tc.visible, tc.spec, tc.reason)
			}
			if got := safelist.IsForbiddenResponseHeaderName(tc.name); got != tc.forbidden {
				t.Errorf("IsForbiddenResponseHeaderName(%q) = %v; want %v (%s: %s)", tc.name, got, tc.forbidden, tc.spec, tc.reason)
			}
		})
	}
}

func TestOtherNames(t *testing.T) {
	for _, n := range []string{"Authorization", "authorization", "AUTHORIZATION"} {
		if !safelist.IsNonWildcardRequestHeaderName(n) {
			t.Errorf("IsNonWildcardRequestHeaderName(%q) = false; want true (#cors-non-wildcard-request-header-name)", n)
		}
	}
	if safelist.IsNonWildcardRequestHeaderName("X-Authorization") {
		t.Error("IsNonWildcardRequestHeaderName: only Authorization (#cors-non-wildcard-request-header-name)")
	}
	for _, n := range []string{"Content-Encoding", "content-language", "Content-Location", "CONTENT-TYPE"} {
		if !safelist.IsRequestBodyHeaderName(n) {
			t.Errorf("IsRequestBodyHeaderName(%q) = false; want true (#request-body-header-name)", n)
		}
	}
	if safelist.IsRequestBodyHeaderName("Content-Length") {
		t.Error("IsRequestBodyHeaderName(Content-Length) = true; it is not in the list (#request-body-header-name)")
	}
	for _, n := range []string{"Accept", "accept-language", "Content-Language", "content-type"} {
		if !safelist.IsNoCORSRequestHeaderName(n) {
			t.Errorf("IsNoCORSRequestHeaderName(%q) = false (#no-cors-safelisted-request-header-name)", n)
		}
	}
	if safelist.IsNoCORSRequestHeaderName("Range") {
		t.Error("IsNoCORSRequestHeaderName(Range) = true; Range is privileged, not no-CORS-safelisted (#no-cors-safelisted-request-header-name)")
	}
}

func typical() http.Header {
	return http.Header{
		"Accept":           {"application/json"},
		"Accept-Language":  {"en-US,en;q=0.9"},
		"Content-Type":     {"application/json"},
		"Authorization":    {"Bearer abc"},
		"X-Requested-With": {"XMLHttpRequest"},
	}
}

func TestAllocs(t *testing.T) {
	h := typical()
	if n := testing.AllocsPerRun(100, func() {
		_ = safelist.IsRequestHeader("Content-Type", "multipart/form-data; boundary=x")
		_ = safelist.IsRequestHeader("Range", "bytes=0-100")
		_ = safelist.IsForbiddenRequestHeader("X-HTTP-Method-Override", "GET, PUT")
		_ = safelist.NormalizeMethod("patch")
		_ = safelist.IsExposed("X-Custom", []string{"x-custom"})
	}); n != 0 {
		t.Errorf("classification allocates %v times; want 0", n)
	}
	// The result slice is the only allocation for names in the common table.
	if n := testing.AllocsPerRun(100, func() { _ = safelist.UnsafeRequestHeaderNames(h) }); n != 1 {
		t.Errorf("UnsafeRequestHeaderNames(typical) allocates %v times; want 1 (the result)", n)
	}
	// Names outside the table cost one more allocation, shared by all of them.
	h["X-Custom-One"] = []string{"1"}
	h["X-Custom-Two"] = []string{"2"}
	if n := testing.AllocsPerRun(100, func() { _ = safelist.UnsafeRequestHeaderNames(h) }); n != 2 {
		t.Errorf("UnsafeRequestHeaderNames(custom) allocates %v times; want 2", n)
	}
	safe := http.Header{"Accept": {"*/*"}, "Content-Type": {"text/plain"}}
	if n := testing.AllocsPerRun(100, func() { _ = safelist.UnsafeRequestHeaderNames(safe) }); n != 0 {
		t.Errorf("UnsafeRequestHeaderNames(safe) allocates %v times; want 0", n)
	}
	// Past 16 names, the names judged take one more.
	many := http.Header{}
	for i := range 17 {
		many["x-"+strconv.Itoa(i)] = []string{"1"}
	}
	if n := testing.AllocsPerRun(100, func() { _ = safelist.UnsafeRequestHeaderNames(many) }); n != 2 {
		t.Errorf("UnsafeRequestHeaderNames(17 lower-case names) allocates %v times; want 2", n)
	}
}

func BenchmarkIsRequestHeader(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if !safelist.IsRequestHeader("Content-Type", "text/plain;charset=UTF-8") {
			b.Fatal("not safelisted")
		}
	}
}

func BenchmarkUnsafeRequestHeaderNames(b *testing.B) {
	h := typical()
	b.ReportAllocs()
	for b.Loop() {
		if len(safelist.UnsafeRequestHeaderNames(h)) != 3 {
			b.Fatal("wrong result")
		}
	}
}

func BenchmarkIsForbiddenRequestHeader(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if safelist.IsForbiddenRequestHeader("X-Requested-With", "XMLHttpRequest") {
			b.Fatal("forbidden")
		}
	}
}

// slowUnsafeNames transcribes #cors-unsafe-request-header-names step by step
// for FuzzUnsafeRequestHeaderNames.
func slowUnsafeNames(h http.Header) []string {
	var unsafe, potentially []string
	size := 0
	for name, values := range h {
		for _, v := range values {
			if !safelist.IsRequestHeader(name, v) {
				unsafe = append(unsafe, name)
			} else {
				potentially = append(potentially, name)
				size += len(v)
			}
		}
	}
	if size > 1024 {
		unsafe = append(unsafe, potentially...)
	}
	set := map[string]bool{}
	for _, n := range unsafe {
		set[strings.ToLower(n)] = true // names in the fuzz input are ASCII
	}
	var out []string
	for n := range set {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func FuzzUnsafeRequestHeaderNames(f *testing.F) {
	f.Add("Content-Type", "text/plain", "accept", "*/*", 3, 0)
	f.Add("X-A", "1", "x-a", "2", 1, 0)
	f.Add("Accept", strings.Repeat("a", 128), "Content-Language", "en", 9, 0)
	f.Add("Accept", strings.Repeat("a", 128), "Content-Language", "en", 9, 17)
	f.Add("Content-Type", "text/plain", "X-F1", "1", 1, 20)
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2 string, repeat, fill int) {
		for _, n := range []string{n1, n2} {
			for i := 0; i < len(n); i++ {
				if n[i] >= 0x80 {
					return // keep the oracle's ToLower byte-exact
				}
			}
		}
		repeat = repeat%12 + 1
		if repeat < 1 {
			repeat = 1
		}
		h := http.Header{}
		for range repeat {
			h[n1] = append(h[n1], v1)
		}
		h[n2] = append(h[n2], v2)
		// Up to 20 more names, past the 16 that
		// AppendUnsafeRequestHeaderNames judges without allocating.
		for i := range fill % 21 {
			h["X-F"+strconv.Itoa(i)] = []string{"1"}
		}
		got := safelist.UnsafeRequestHeaderNames(h)
		want := slowUnsafeNames(h)
		if !cmp.Equal(got, want, cmpopts.EquateEmpty()) {
			t.Fatalf("UnsafeRequestHeaderNames(%q) = %q; oracle %q", h, got, want)
		}
	})
}
