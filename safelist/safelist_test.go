package safelist_test

import (
	"net/http"
	"slices"
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
		{"GET", "#cors-safelisted-method", "GET is safelisted", "GET", true, false, "GET"},
		{"HEAD", "#cors-safelisted-method", "HEAD is safelisted", "HEAD", true, false, "HEAD"},
		{"POST", "#cors-safelisted-method", "POST is safelisted", "POST", true, false, "POST"},
		{"lower get", "#cors-safelisted-method", "the comparison is byte-exact; normalization makes it GET", "get", false, false, "GET"},
		{"mixed Post", "#concept-method-normalize", "POST in any case is normalized", "pOsT", false, false, "POST"},
		{"PUT", "#cors-safelisted-method", "PUT needs a preflight", "PUT", false, false, "PUT"},
		{"put", "#concept-method-normalize", "put is normalized to PUT", "put", false, false, "PUT"},
		{"delete", "#concept-method-normalize", "delete is normalized", "delete", false, false, "DELETE"},
		{"options", "#concept-method-normalize", "options is normalized", "Options", false, false, "OPTIONS"},
		{"head", "#concept-method-normalize", "head is normalized and then safelisted", "head", false, false, "HEAD"},
		{"patch", "#concept-method-normalize", "PATCH is not in the normalization list: patch stays patch", "patch", false, false, "patch"},
		{"PATCH", "#cors-safelisted-method", "PATCH needs a preflight", "PATCH", false, false, "PATCH"},
		{"CONNECT", "#forbidden-method", "CONNECT is forbidden", "CONNECT", false, true, "CONNECT"},
		{"trace", "#forbidden-method", "forbidden methods match byte-case-insensitively", "trace", false, true, "trace"},
		{"TrAcK", "#forbidden-method", "TRACK in any case is forbidden", "TrAcK", false, true, "TrAcK"},
		{"TRACES", "#forbidden-method", "only exact names are forbidden", "TRACES", false, false, "TRACES"},
		{"custom", "#concept-method", "any token is a method", "CHICKEN", false, false, "CHICKEN"},
		{"kelvin", "#concept-method-normalize", "only ASCII letters fold: U+212A is not k", "TRAC\u212a", false, false, "TRAC\u212a"},
		{"empty", "#concept-method", "the empty string is nothing", "", false, false, ""},
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
		{"Accept-Charset", "#forbidden-request-header", "listed name", "Accept-Charset", "utf-8", true},
		{"accept-encoding", "#forbidden-request-header", "listed names match byte-case-insensitively", "accept-encoding", "gzip", true},
		{"ACRH", "#forbidden-request-header", "the preflight headers are the browser's", "Access-Control-Request-Headers", "x", true},
		{"ACRM", "#forbidden-request-header", "the preflight headers are the browser's", "ACCESS-CONTROL-REQUEST-METHOD", "PUT", true},
		{"Connection", "#forbidden-request-header", "listed name", "Connection", "close", true},
		{"Content-Length", "#forbidden-request-header", "listed name", "Content-Length", "3", true},
		{"Cookie", "#forbidden-request-header", "cookies come from the jar only", "Cookie", "a=b", true},
		{"Cookie2", "#forbidden-request-header", "listed name", "Cookie2", "a", true},
		{"Date", "#forbidden-request-header", "listed name", "Date", "x", true},
		{"DNT", "#forbidden-request-header", "listed name", "dnt", "1", true},
		{"Expect", "#forbidden-request-header", "listed name", "Expect", "100-continue", true},
		{"Host", "#forbidden-request-header", "listed name", "Host", "evil.example", true},
		{"Keep-Alive", "#forbidden-request-header", "listed name", "Keep-Alive", "1", true},
		{"Origin", "#forbidden-request-header", "the page cannot forge its origin", "Origin", "https://a.example", true},
		{"Referer", "#forbidden-request-header", "listed name", "Referer", "x", true},
		{"Set-Cookie", "#forbidden-request-header", "added in 2022", "Set-Cookie", "a=b", true},
		{"TE", "#forbidden-request-header", "listed name", "te", "trailers", true},
		{"Trailer", "#forbidden-request-header", "listed name", "Trailer", "x", true},
		{"Transfer-Encoding", "#forbidden-request-header", "listed name", "Transfer-Encoding", "chunked", true},
		{"Upgrade", "#forbidden-request-header", "listed name", "Upgrade", "websocket", true},
		{"Via", "#forbidden-request-header", "listed name", "Via", "1.1 x", true},
		{"Proxy- prefix", "#forbidden-request-header", "any name starting with proxy-", "Proxy-Authorization", "x", true},
		{"proxy- lower", "#forbidden-request-header", "the prefix matches byte-case-insensitively", "proxy-anything", "x", true},
		{"Sec- prefix", "#forbidden-request-header", "any name starting with sec-", "Sec-Fetch-Site", "cross-site", true},
		{"SEC- upper", "#forbidden-request-header", "the prefix matches byte-case-insensitively", "SEC-CUSTOM", "x", true},
		{"Proxy without dash", "#forbidden-request-header", "the prefix includes the dash", "Proxyish", "x", false},
		{"Sec without dash", "#forbidden-request-header", "the prefix includes the dash", "Secret", "x", false},
		{"User-Agent", "#forbidden-request-header", "User-Agent is not forbidden by the standard (Chromium differs)", "User-Agent", "x", false},
		{"Authorization", "#forbidden-request-header", "Authorization may be set by script", "Authorization", "Bearer x", false},
		{"Accept", "#forbidden-request-header", "Accept may be set by script", "Accept", "*/*", false},
		{"X-HTTP-Method-Override TRACE", "#forbidden-request-header", "override naming a forbidden method", "X-HTTP-Method-Override", "TRACE", true},
		{"X-HTTP-Method connect lower", "#forbidden-request-header", "the method matches byte-case-insensitively", "x-http-method", "connect", true},
		{"X-Method-Override list", "#forbidden-request-header", "any item of the split value counts", "X-Method-Override", "GET, trace", true},
		{"X-HTTP-Method-Override PATCH", "#forbidden-request-header", "a non-forbidden method is fine", "X-HTTP-Method-Override", "PATCH", false},
		{"override quoted TRACE", "#forbidden-request-header", "a quoted item keeps its quotes and is not a method name", "X-HTTP-Method-Override", `"TRACE"`, false},
		{"override padded", "#header-value-get-decode-and-split", "items are trimmed of spaces and tabs", "X-HTTP-Method-Override", " GET ,\tTRACK\t", true},
		{"override empty", "#forbidden-request-header", "an empty value names no method", "X-HTTP-Method-Override", "", false},
		{"other override name", "#forbidden-request-header", "only the three names are checked", "X-Override-Method", "TRACE", false},
		{"custom", "#forbidden-request-header", "ordinary custom names are allowed", "X-Custom", "TRACE", false},
		{"empty name", "#forbidden-request-header", "an empty name matches nothing", "", "", false},
		{"bad bytes", "#forbidden-request-header", "invalid bytes in a name match nothing", "Cookie\x00", "x", false},
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
		{"accept any", "#cors-safelisted-request-header", "ordinary Accept values are safelisted", "Accept", "application/json, text/*;q=0.8", true, true},
		{"accept lower name", "#cors-safelisted-request-header", "names match byte-case-insensitively", "ACCEPT", "*/*", true, true},
		{"accept 128 bytes", "#cors-safelisted-request-header", "exactly 128 bytes is still allowed", "Accept", long, true, true},
		{"accept 129 bytes", "#cors-safelisted-request-header", "more than 128 bytes is unsafe", "Accept", long + "a", false, false},
		{"accept quote", "#cors-unsafe-request-header-byte", `" is an unsafe byte`, "Accept", `text/plain; q="1"`, false, false},
		{"accept colon", "#cors-unsafe-request-header-byte", ": is an unsafe byte", "Accept", "a:b", false, false},
		{"accept at", "#cors-unsafe-request-header-byte", "@ is an unsafe byte", "Accept", "a@b", false, false},
		{"accept parens", "#cors-unsafe-request-header-byte", "( is an unsafe byte", "Accept", "(a)", false, false},
		{"accept brackets", "#cors-unsafe-request-header-byte", "[ is an unsafe byte", "Accept", "[a", false, false},
		{"accept backslash", "#cors-unsafe-request-header-byte", `\ is an unsafe byte`, "Accept", `a\b`, false, false},
		{"accept braces", "#cors-unsafe-request-header-byte", "{ is an unsafe byte", "Accept", "{a}", false, false},
		{"accept angle", "#cors-unsafe-request-header-byte", "< is an unsafe byte", "Accept", "<a>", false, false},
		{"accept question", "#cors-unsafe-request-header-byte", "? is an unsafe byte", "Accept", "a?", false, false},
		{"accept DEL", "#cors-unsafe-request-header-byte", "0x7F is an unsafe byte", "Accept", "a\x7f", false, false},
		{"accept control", "#cors-unsafe-request-header-byte", "bytes below 0x20 are unsafe", "Accept", "a\x01b", false, false},
		{"accept tab", "#cors-unsafe-request-header-byte", "tab is the one control byte allowed", "Accept", "a\tb", true, true},
		{"accept high bytes", "#cors-unsafe-request-header-byte", "bytes above 0x7F are not unsafe", "Accept", "caf\xc3\xa9 \xff", true, true},
		{"accept-language", "#cors-safelisted-request-header", "letters, digits and ;=,.- are allowed", "Accept-Language", "en-US,en;q=0.9, fr *", true, true},
		{"accept-language underscore", "#cors-safelisted-request-header", "_ is not in the language byte set", "Accept-Language", "en_US", false, false},
		{"accept-language tab", "#cors-safelisted-request-header", "tab is not in the language byte set", "Accept-Language", "en\tUS", false, false},
		{"accept-language non-ASCII", "#cors-safelisted-request-header", "bytes above 0x7F are not in the language byte set", "Accept-Language", "fran\xc3\xa7ais", false, false},
		{"content-language", "#cors-safelisted-request-header", "same byte set as Accept-Language", "content-language", "de-DE", true, true},
		{"content-language slash", "#cors-safelisted-request-header", "/ is not in the language byte set", "Content-Language", "de/DE", false, false},
		{"content-language empty", "#cors-safelisted-request-header", "the empty value has no bad byte", "Content-Language", "", true, true},
		{"content-type text/plain", "#cors-safelisted-request-header", "one of the three essences", "Content-Type", "text/plain", true, true},
		{"content-type form", "#cors-safelisted-request-header", "one of the three essences", "Content-Type", "application/x-www-form-urlencoded", true, true},
		{"content-type multipart", "#cors-safelisted-request-header", "parameters do not change the essence", "Content-Type", "multipart/form-data; boundary=something", true, true},
		{"content-type upper", "#cors-safelisted-request-header", "the essence is lower-cased before comparing", "Content-Type", "TEXT/PLAIN", true, true},
		{"content-type charset", "#cors-safelisted-request-header", "parameters without unsafe bytes are fine", "Content-Type", "text/plain;charset=UTF-8", true, true},
		{"content-type quoted charset", "#cors-safelisted-request-header", `" is an unsafe byte even in a parameter`, "Content-Type", `text/plain; charset="utf-8"`, false, false},
		{"content-type json", "#cors-safelisted-request-header", "application/json is not one of the three", "Content-Type", "application/json", false, false},
		{"content-type two types", "#cors-safelisted-request-header", "a comma list fails to parse as one MIME type", "Content-Type", "text/plain, application/json", false, false},
		{"content-type no subtype", "#cors-safelisted-request-header", "a MIME type needs a subtype", "Content-Type", "text/", false, false},
		{"content-type no slash", "#cors-safelisted-request-header", "a MIME type needs a slash", "Content-Type", "text", false, false},
		{"content-type padded", "#cors-safelisted-request-header", "HTTP whitespace around the value is removed by the parser", "Content-Type", " text/plain ", true, true},
		{"content-type space before slash", "#cors-safelisted-request-header", "the type must be a token", "Content-Type", "text /plain", false, false},
		{"content-type space after subtype", "#cors-safelisted-request-header", "trailing whitespace of the subtype is removed", "Content-Type", "text/plain ;a=b", true, true},
		{"content-type control", "#cors-safelisted-request-header", "a control byte is unsafe", "Content-Type", "text/plain\x0b", false, false},
		{"content-type non-ASCII subtype", "#cors-safelisted-request-header", "non-ASCII is not a token code point", "Content-Type", "text/pl\xc3\xa4in", false, false},
		{"content-type long", "#cors-safelisted-request-header", "the 128-byte cap applies to content-type", "Content-Type", "text/plain;a=" + long, false, false},
		{"range start-end", "#simple-range-header-value", "a single range with a start", "Range", "bytes=100-200", true, false},
		{"range open", "#simple-range-header-value", "a start without an end", "Range", "bytes=0-", true, false},
		{"range suffix", "#cors-safelisted-request-header", "a range without a start is not safelisted", "Range", "bytes=-500", false, false},
		{"range equal", "#simple-range-header-value", "start may equal end", "Range", "bytes=5-5", true, false},
		{"range reversed", "#simple-range-header-value", "start greater than end fails", "Range", "bytes=200-100", false, false},
		{"range huge", "#simple-range-header-value", "digits of any length compare as numbers", "Range", "bytes=99999999999999999999999-100000000000000000000000", true, false},
		{"range huge reversed", "#simple-range-header-value", "digits of any length compare as numbers", "Range", "bytes=100000000000000000000000-99999999999999999999999", false, false},
		{"range leading zeros", "#simple-range-header-value", "leading zeros do not change the number", "Range", "bytes=0010-9", false, false},
		{"range two ranges", "#simple-range-header-value", "multiple ranges fail", "Range", "bytes=0-1,3-4", false, false},
		{"range space", "#simple-range-header-value", "whitespace is not allowed here", "Range", "bytes= 0-1", false, false},
		{"range upper unit", "#simple-range-header-value", `the unit must be exactly "bytes"`, "Range", "BYTES=0-1", false, false},
		{"range other unit", "#simple-range-header-value", `the unit must be exactly "bytes"`, "Range", "items=0-1", false, false},
		{"range empty", "#simple-range-header-value", "start and end cannot both be missing", "Range", "bytes=-", false, false},
		{"range no dash", "#simple-range-header-value", "the dash is required", "Range", "bytes=5", false, false},
		{"range lower name", "#cors-safelisted-request-header", "names match byte-case-insensitively", "range", "bytes=1-", true, false},
		{"authorization", "#cors-safelisted-request-header", "any other name is not safelisted", "Authorization", "Basic x", false, false},
		{"custom", "#cors-safelisted-request-header", "any other name is not safelisted", "X-Requested-With", "XMLHttpRequest", false, false},
		{"cache-control", "#cors-safelisted-request-header", "Cache-Control is not a safelisted request-header", "Cache-Control", "no-cache", false, false},
		{"empty name", "#cors-safelisted-request-header", "an empty name is not safelisted", "", "x", false, false},
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
		{"none", "#cors-unsafe-request-header-names", "safelisted headers need no preflight", http.Header{"Accept": {"*/*"}, "Content-Type": {"text/plain"}}, nil},
		{"empty", "#cors-unsafe-request-header-names", "no headers, nothing unsafe", http.Header{}, nil},
		{"json", "#cors-unsafe-request-header-names", "a non-safelisted content-type is unsafe", http.Header{"Accept": {"*/*"}, "Content-Type": {"application/json"}}, []string{"content-type"}},
		{"sorted lower", "#convert-header-names-to-a-sorted-lowercase-set", "names are byte-lowercased and sorted", http.Header{"X-Zeta": {"1"}, "Authorization": {"x"}, "X-Alpha": {"1"}}, []string{"authorization", "x-alpha", "x-zeta"}},
		{"dedupe case", "#convert-header-names-to-a-sorted-lowercase-set", "names differing only in case are one name", http.Header{"X-Custom": {"1"}, "x-custom": {"2"}, "X-CUSTOM": {"3"}}, []string{"x-custom"}},
		{"each field", "#cors-unsafe-request-header-names", "each field of a repeated name is checked on its own", http.Header{"Content-Type": {"text/plain", "application/json"}}, []string{"content-type"}},
		{"each field safe", "#cors-unsafe-request-header-names", "two safelisted fields are each safe (the combined value is not what is checked)", http.Header{"Accept": {"text/html", "text/plain"}}, nil},
		{"total at 1024", "#cors-unsafe-request-header-names", "a total of exactly 1024 bytes is still fine", http.Header{"Accept": {kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], kb[:100], strings.Repeat("b", 24)}}, nil},
		{"total over 1024", "#cors-unsafe-request-header-names", "past 1024 bytes every safelisted name becomes unsafe", http.Header{"Accept": {kb, kb, kb, kb, kb, kb, kb, kb, kb, kb}, "Content-Language": {strings.Repeat("c", 25)}, "X-Custom": {"1"}}, []string{"accept", "content-language", "x-custom"}},
		{"unsafe values do not count", "#cors-unsafe-request-header-names", "only safelisted values add to the total", http.Header{"X-Big": {strings.Repeat("x", 2000)}, "Accept": {"*/*"}}, []string{"x-big"}},
		{"long value", "#cors-safelisted-request-header", "a value over 128 bytes makes its name unsafe", http.Header{"Accept": {strings.Repeat("a", 129)}}, []string{"accept"}},
		{"uncommon canonical", "#convert-header-names-to-a-sorted-lowercase-set", "names outside the common table are lowered too", http.Header{"X-Very-Custom-Header": {"1"}, "X-Another-One": {"2"}}, []string{"x-another-one", "x-very-custom-header"}},
		{"empty value list", "#cors-unsafe-request-header-names", "a key without fields is no header", http.Header{"X-Nothing": {}}, nil},
		{"range suffix", "#cors-safelisted-request-header", "a suffix range is unsafe", http.Header{"Range": {"bytes=-5"}}, []string{"range"}},
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
		{"Cache-Control", "#cors-safelisted-response-header-name", "always exposed", "Cache-Control", nil, true, true, false},
		{"content-language", "#cors-safelisted-response-header-name", "names match byte-case-insensitively", "content-language", nil, true, true, false},
		{"Content-Length", "#cors-safelisted-response-header-name", "added in 2018 (whatwg/fetch#626)", "Content-Length", nil, true, true, false},
		{"Content-Type", "#cors-safelisted-response-header-name", "always exposed", "CONTENT-TYPE", nil, true, true, false},
		{"Expires", "#cors-safelisted-response-header-name", "always exposed", "Expires", nil, true, true, false},
		{"Last-Modified", "#cors-safelisted-response-header-name", "always exposed", "Last-Modified", nil, true, true, false},
		{"Pragma", "#cors-safelisted-response-header-name", "always exposed", "Pragma", nil, true, true, false},
		{"Date", "#cors-safelisted-response-header-name", "Date is not safelisted", "Date", nil, false, false, false},
		{"X-Custom listed", "#cors-safelisted-response-header-name", "an exposed name is visible", "X-Custom", []string{"x-custom"}, false, true, false},
		{"X-Custom unlisted", "#cors-safelisted-response-header-name", "an unlisted name is hidden", "X-Custom", []string{"x-other"}, false, false, false},
		{"Set-Cookie listed", "#forbidden-response-header-name", "Set-Cookie is never exposed, even when listed", "Set-Cookie", []string{"Set-Cookie"}, false, false, true},
		{"set-cookie2 listed", "#forbidden-response-header-name", "Set-Cookie2 is forbidden too", "set-cookie2", []string{"set-cookie2"}, false, false, true},
		{"star literal", "#cors-safelisted-response-header-name", "a * item matches only a header named *", "X-Custom", []string{"*"}, false, false, false},
		{"star named", "#cors-safelisted-response-header-name", "a * item matches a header named *", "*", []string{"*"}, false, true, false},
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
	f.Add("Content-Type", "text/plain", "accept", "*/*", 3)
	f.Add("X-A", "1", "x-a", "2", 1)
	f.Add("Accept", strings.Repeat("a", 128), "Content-Language", "en", 9)
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2 string, repeat int) {
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
		got := safelist.UnsafeRequestHeaderNames(h)
		want := slowUnsafeNames(h)
		if !cmp.Equal(got, want, cmpopts.EquateEmpty()) {
			t.Fatalf("UnsafeRequestHeaderNames(%q) = %q; oracle %q", h, got, want)
		}
	})
}
