package preflightcache_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/corsfetch/corsfetch/preflightcache"
)

const (
	maxAgeAnchor = "https://fetch.spec.whatwg.org/#http-access-control-max-age"
	deltaSeconds = "https://www.rfc-editor.org/rfc/rfc9111#section-1.2.2"
)

var parseMaxAgeTests = []struct {
	desc, spec, reason string
	in                 string
	want               time.Duration
	ok                 bool
}{
	{desc: "absent", spec: maxAgeAnchor, reason: "an absent header reaches the parser as the empty string; the caller's default applies", in: "", ok: false},
	{desc: "zero", spec: deltaSeconds, reason: "0 is delta-seconds; the entry expires at once", in: "0", want: 0, ok: true},
	{desc: "five", spec: deltaSeconds, reason: "plain digits", in: "5", want: 5 * time.Second, ok: true},
	{desc: "leading zeros", spec: deltaSeconds, reason: "1*DIGIT allows them", in: "0060", want: time.Minute, ok: true},
	{desc: "Chromium's cap value", spec: deltaSeconds, reason: "the cap is Options' business, not the parser's", in: "7200", want: 2 * time.Hour, ok: true},
	{desc: "a day", spec: deltaSeconds, reason: "plain digits", in: "86400", want: 24 * time.Hour, ok: true},
	{desc: "2^31-1", spec: deltaSeconds, reason: "below the greatest value", in: "2147483647", want: 2147483647 * time.Second, ok: true},
	{desc: "2^31", spec: deltaSeconds, reason: "exactly the greatest value", in: "2147483648", want: 1 << 31 * time.Second, ok: true},
	{desc: "2^31+1", spec: deltaSeconds, reason: "too large: treated as 2^31", in: "2147483649", want: 1 << 31 * time.Second, ok: true},
	{desc: "overflows uint64", spec: deltaSeconds, reason: "too large: treated as 2^31, never wrapped to a small or negative value", in: "99999999999999999999", want: 1 << 31 * time.Second, ok: true},
	{desc: "2^64", spec: deltaSeconds, reason: "too large: treated as 2^31, not wrapped around to 0", in: "18446744073709551616", want: 1 << 31 * time.Second, ok: true},
	{desc: "2^64+5", spec: deltaSeconds, reason: "too large: treated as 2^31, not wrapped around to 5", in: "18446744073709551621", want: 1 << 31 * time.Second, ok: true},
	{desc: "very many digits", spec: deltaSeconds, reason: "too large: treated as 2^31", in: strings.Repeat("9", 10000), want: 1 << 31 * time.Second, ok: true},
	{desc: "zeros then a small value", spec: deltaSeconds, reason: "leading zeros never overflow", in: strings.Repeat("0", 100) + "7", want: 7 * time.Second, ok: true},
	{desc: "negative", spec: deltaSeconds, reason: "a sign is not a DIGIT", in: "-1", ok: false},
	{desc: "plus sign", spec: deltaSeconds, reason: "a sign is not a DIGIT (WebKit accepts it)", in: "+5", ok: false},
	{desc: "leading space", spec: "https://fetch.spec.whatwg.org/#header-value", reason: "header values have no surrounding whitespace; a space is not a DIGIT", in: " 5", ok: false},
	{desc: "trailing tab", spec: deltaSeconds, reason: "not a DIGIT", in: "5\t", ok: false},
	{desc: "fraction", spec: deltaSeconds, reason: "not a DIGIT", in: "5.5", ok: false},
	{desc: "exponent", spec: deltaSeconds, reason: "not a DIGIT", in: "1e3", ok: false},
	{desc: "hexadecimal", spec: deltaSeconds, reason: "not a DIGIT", in: "0x10", ok: false},
	{desc: "repeated header", spec: "https://fetch.spec.whatwg.org/#extract-header-list-values", reason: "two fields combine to `5, 5`, which is not delta-seconds", in: "5, 5", ok: false},
	{desc: "word", spec: deltaSeconds, reason: "not a DIGIT", in: "forever", ok: false},
	{desc: "non-ASCII digit", spec: deltaSeconds, reason: "DIGIT is ASCII 0-9 only", in: "\u0663", ok: false},
	{desc: "fullwidth digit", spec: deltaSeconds, reason: "DIGIT is ASCII 0-9 only", in: "\uff15", ok: false},
	{desc: "NUL byte", spec: deltaSeconds, reason: "not a DIGIT", in: "5\x00", ok: false},
}

func TestParseMaxAge(t *testing.T) {
	for _, tc := range parseMaxAgeTests {
		t.Run(tc.desc, func(t *testing.T) {
			got, ok := preflightcache.ParseMaxAge(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseMaxAge(%.40q) = %v, %v; want %v, %v\nspec %s: %s", tc.in, got, ok, tc.want, tc.ok, tc.spec, tc.reason)
			}
		})
	}
}

func TestParseMaxAgeAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { preflightcache.ParseMaxAge("86400") }); n != 0 {
		t.Errorf("ParseMaxAge allocates %v times per call; want 0", n)
	}
}

// FuzzParseMaxAge checks ParseMaxAge against strconv: it never panics,
// accepts exactly the non-empty strings of ASCII digits, and returns their
// value, or 2^31 seconds when the value is larger.
func FuzzParseMaxAge(f *testing.F) {
	for _, tc := range parseMaxAgeTests {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := preflightcache.ParseMaxAge(in)
		digits := in != "" && strings.Trim(in, "0123456789") == ""
		if ok != digits {
			t.Fatalf("ParseMaxAge(%q) ok = %v; want %v", in, ok, digits)
		}
		if !ok {
			if got != 0 {
				t.Fatalf("ParseMaxAge(%q) = %v, false; want 0 on failure", in, got)
			}
			return
		}
		want := preflightcache.MaxDeltaSeconds * time.Second
		if n, err := strconv.ParseUint(in, 10, 64); err == nil && n < preflightcache.MaxDeltaSeconds {
			want = time.Duration(n) * time.Second
		}
		if got != want {
			t.Fatalf("ParseMaxAge(%q) = %v; want %v", in, got, want)
		}
	})
}
