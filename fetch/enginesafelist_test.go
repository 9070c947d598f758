package fetch

import (
	"strings"
	"testing"

	"github.com/corsfetch/corsfetch/safelist"
)

// TestChromiumSafelisted holds chromiumSafelisted to what Chromium 156 did:
// a GET to another site with the one header sent without a preflight
// ("safe") or with one, in the recorded scenario each case names.
func TestChromiumSafelisted(t *testing.T) {
	tests := []struct {
		name, value string
		safe        bool
		scenario    string
	}{
		{name: "Save-Data", value: "on", safe: true, scenario: "simple-header-20"},
		{name: "Save-Data", value: "ON", safe: true, scenario: "div-chromium-header-23"},
		{name: "Save-Data", value: "off", safe: false, scenario: "div-chromium-header-24"},
		{name: "Intervention", value: "x", safe: true, scenario: "div-chromium-header-01"},
		{name: "Intervention", value: "<x>", safe: true, scenario: "div-chromium-header-02: no byte rule"},
		{name: "Intervention", value: "", safe: true, scenario: "div-chromium-header-26"},
		{name: "Intervention", value: strings.Repeat("a", 128), safe: true, scenario: "div-chromium-header-27: the 128-byte limit"},
		{name: "Intervention", value: strings.Repeat("a", 129), safe: false, scenario: "div-chromium-header-03"},
		{name: "Device-Memory", value: "8", safe: true, scenario: "div-chromium-header-28"},
		{name: "Device-Memory", value: "0.5", safe: true, scenario: "div-chromium-header-04"},
		{name: "Device-Memory", value: ".5", safe: false, scenario: "div-chromium-header-05"},
		{name: "Device-Memory", value: "1.", safe: false, scenario: "div-chromium-header-06"},
		{name: "Device-Memory", value: "1.2.3", safe: false, scenario: "div-chromium-header-29"},
		{name: "Device-Memory", value: "-1", safe: false, scenario: "div-chromium-header-30"},
		{name: "Device-Memory", value: "", safe: false, scenario: "div-chromium-header-31"},
		{name: "Dpr", value: "2", safe: true, scenario: "div-chromium-header-32"},
		{name: "Dpr", value: "1.5", safe: true, scenario: "div-chromium-header-07"},
		{name: "Dpr", value: "abc", safe: false, scenario: "div-chromium-header-08"},
		{name: "Downlink", value: "10", safe: true, scenario: "div-chromium-header-33"},
		{name: "Downlink", value: "1.5", safe: true, scenario: "div-chromium-header-15"},
		{name: "Downlink", value: "abc", safe: false, scenario: "div-chromium-header-16"},
		{name: "Downlink", value: ".5", safe: false, scenario: "div-chromium-header-34"},
		{name: "Width", value: "100", safe: true, scenario: "div-chromium-header-09"},
		{name: "Width", value: "1.5", safe: false, scenario: "div-chromium-header-10"},
		{name: "Width", value: "", safe: false, scenario: "div-chromium-header-35"},
		{name: "Viewport-Width", value: "100", safe: true, scenario: "div-chromium-header-11"},
		{name: "Viewport-Width", value: "-1", safe: false, scenario: "div-chromium-header-12"},
		{name: "Rtt", value: "50", safe: true, scenario: "div-chromium-header-13"},
		{name: "Rtt", value: "1.5", safe: false, scenario: "div-chromium-header-14"},
		{name: "Rtt", value: "", safe: false, scenario: "div-chromium-header-36"},
		{name: "Ect", value: "4g", safe: true, scenario: "div-chromium-header-17"},
		{name: "Ect", value: "3g", safe: true, scenario: "div-chromium-header-18"},
		{name: "Ect", value: "2g", safe: true, scenario: "div-chromium-header-19"},
		{name: "Ect", value: "slow-2g", safe: true, scenario: "div-chromium-header-20"},
		{name: "Ect", value: "4G", safe: false, scenario: "div-chromium-header-21"},
		{name: "Ect", value: "5g", safe: false, scenario: "div-chromium-header-22"},
		{name: "Ect", value: "", safe: false, scenario: "div-chromium-header-37"},
		{name: "Lang", value: "en", safe: false, scenario: "div-chromium-header-25: no longer on Chromium's list"},
		{name: "X-Custom", value: "1", safe: false, scenario: "not on the list (simple-custom-header)"},
	}
	for _, tt := range tests {
		if got := chromiumSafelisted(tt.name, tt.value); got != tt.safe {
			t.Errorf("chromiumSafelisted(%q, %q) = %v; want %v (#cors-safelisted-request-header, Chromium's additions; %s)", tt.name, tt.value, got, tt.safe, tt.scenario)
		}
		if got := isChromiumSafelistedName(strings.ToLower(tt.name)); tt.safe && !got {
			t.Errorf("isChromiumSafelistedName(%q) = false for a name chromiumSafelisted accepts", strings.ToLower(tt.name))
		}
	}
}

// TestChromiumRange holds chromiumRange to the Range values Chromium 156
// sent on the wire in the recorded scenario each case names.
func TestChromiumRange(t *testing.T) {
	tests := []struct {
		in, out  string // out "" when the value goes out as set
		scenario string
	}{
		{in: "bytes=0-", out: "bytes=0-", scenario: "simple-header-13"},
		{in: "bytes=100-200", out: "bytes=100-200", scenario: "simple-header-14"},
		{in: "bytes= 0-1", out: "bytes=0-1", scenario: "simple-header-17"},
		{in: "bytes=0-1,3-4", out: "", scenario: "simple-header-16: several ranges"},
		{in: "bytes=5-1", out: "", scenario: "simple-header-18: reversed"},
		{in: "Bytes=0-1", out: "bytes=0-1", scenario: "div-range-unit-case-01"},
		{in: "bYtEs=0-", out: "bytes=0-", scenario: "div-range-unit-case-03"},
		{in: "Bytes=-5", out: "bytes=-5", scenario: "div-range-unit-case-04"},
		{in: "Bytes=0-1,3-4", out: "", scenario: "div-range-unit-case-06"},
		{in: "Bytes=5-1", out: "", scenario: "div-range-unit-case-07"},
		{in: "bytes =0-1", out: "bytes=0-1", scenario: "div-range-value-01"},
		{in: "bytes=0 -1", out: "bytes=0-1", scenario: "div-range-value-02"},
		{in: "bytes=0-1 ,", out: "bytes=0-1", scenario: "div-range-value-03"},
		{in: "bytes=,0-1", out: "bytes=0-1", scenario: "div-range-value-04"},
		{in: "bytes=+1-2", out: "bytes=1-2", scenario: "div-range-value-05"},
		{in: "bytes=0-+1", out: "bytes=0-1", scenario: "div-range-value-06"},
		{in: "bytes=+1-", out: "bytes=1-", scenario: "div-range-value-07"},
		{in: "bytes=-+5", out: "bytes=-5", scenario: "div-range-value-08"},
		{in: "bytes=++1-2", out: "", scenario: "div-range-value-09"},
		{in: "bytes=1-2,3-4,", out: "", scenario: "div-range-value-10"},
		{in: "bytes=-00", out: "", scenario: "div-range-wire-07: a suffix of zero bytes"},
		{in: "bytes=5--1", out: "bytes=5-", scenario: "div-range-wire-08: -1 is Chromium's 'not given'"},
	}
	for _, tt := range tests {
		got, ok := chromiumRange(tt.in)
		if !ok {
			got = ""
		}
		if got != tt.out {
			t.Errorf("chromiumRange(%q) = %q, %v; want %q (Chromium's wire form, %s)", tt.in, got, ok, tt.out, tt.scenario)
		}
	}
}

// TestWebKitRangeSafelisted holds webkitRangeSafelisted to what WebKitGTK
// 2.50 preflighted (#simple-range-header-value, with WebKit's leniencies).
func TestWebKitRangeSafelisted(t *testing.T) {
	tests := []struct {
		in       string
		safe     bool
		scenario string
	}{
		{in: "bytes=0-", safe: true, scenario: "simple-header-13"},
		{in: "bytes=-500", safe: false, scenario: "simple-header-15: a suffix range is never safelisted"},
		{in: "bytes= 0-1", safe: false, scenario: "simple-header-17"},
		{in: "Bytes=0-1", safe: true, scenario: "div-range-unit-case-01"},
		{in: "BYTES=0-1", safe: true, scenario: "div-range-unit-case-02"},
		{in: "bYtEs=0-", safe: true, scenario: "div-range-unit-case-03"},
		{in: "Bytes= 0-1", safe: false, scenario: "div-range-unit-case-05"},
		{in: "Bytes=5-1", safe: false, scenario: "div-range-unit-case-07"},
		{in: "bytes =0-1", safe: false, scenario: "div-range-value-01"},
		{in: "bytes=+1-2", safe: true, scenario: "div-range-value-05"},
		{in: "bytes=0-+1", safe: true, scenario: "div-range-value-06"},
		{in: "bytes=+1-", safe: true, scenario: "div-range-value-07"},
		{in: "bytes=-+5", safe: false, scenario: "div-range-value-08"},
		{in: "bytes=++1-2", safe: false, scenario: "div-range-value-09"},
		{in: "bytes=1-+", safe: false, scenario: "div-range-wire-09: a lone '+'"},
		{in: "bytes=+" + strings.Repeat("0", 59) + "1-+" + strings.Repeat("0", 59) + "2", safe: false, scenario: "#cors-safelisted-request-header step 1: 129 bytes as set, though 127 without the signs"},
	}
	for _, tt := range tests {
		if got := webkitRangeSafelisted(tt.in); got != tt.safe {
			t.Errorf("webkitRangeSafelisted(%q) = %v; want %v (%s)", tt.in, got, tt.safe, tt.scenario)
		}
	}
}

// FuzzChromiumRange checks that what chromiumRange sends is a range the
// standard's parser reads (whitespace allowed) and that it is a fixed
// point: Chromium would send its own output unchanged.
func FuzzChromiumRange(f *testing.F) {
	for _, s := range []string{"bytes=0-1", "Bytes= 0 - 1 ,", "bytes=-+5", "bytes=+1-", "bytes=5-1", "bytes=,,", "bytes=99999999999999999999-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := chromiumRange(s)
		if !ok {
			return
		}
		if _, _, pok := safelist.ParseRange(out); !pok {
			t.Fatalf("chromiumRange(%q) = %q, which the standard's parser refuses", s, out)
		}
		if again, ok := chromiumRange(out); !ok || again != out {
			t.Fatalf("chromiumRange(%q) = %q, but chromiumRange(%q) = %q, %v", s, out, out, again, ok)
		}
	})
}

// TestRangeNumbersWithin holds the profiles' Range position limits to the
// recorded div-range-number-* scenarios: Chromium preflights a position of
// 2^63-1 or more, Firefox and WebKit one above 2^64-1.
func TestRangeNumbersWithin(t *testing.T) {
	tests := []struct {
		v                string
		chrome, firefox  bool // within Chrome's, and Firefox's and Safari's, limit
		scenario, reason string
	}{
		{v: "bytes=0-9223372036854775806", chrome: true, firefox: true, scenario: "div-range-number-01", reason: "2^63-2"},
		{v: "bytes=0-9223372036854775807", chrome: false, firefox: true, scenario: "div-range-number-02", reason: "2^63-1"},
		{v: "bytes=9223372036854775807-", chrome: false, firefox: true, scenario: "div-range-number-03", reason: "the first position counts too"},
		{v: "bytes=0-18446744073709551615", chrome: false, firefox: true, scenario: "div-range-number-04", reason: "2^64-1"},
		{v: "bytes=0-018446744073709551615", chrome: false, firefox: true, scenario: "div-range-number-05", reason: "leading zeros do not count"},
		{v: "bytes=0-18446744073709551616", chrome: false, firefox: false, scenario: "div-range-number-06", reason: "2^64"},
	}
	for _, tt := range tests {
		v := []string{tt.v}
		if got := rangeNumbersWithin(v, Chrome.Request.Range.NumberMax); got != tt.chrome {
			t.Errorf("rangeNumbersWithin(%q, Chrome) = %v; want %v (%s: %s)", tt.v, got, tt.chrome, tt.scenario, tt.reason)
		}
		for _, b := range []Profile{Firefox, Safari} {
			if got := rangeNumbersWithin(v, b.Request.Range.NumberMax); got != tt.firefox {
				t.Errorf("rangeNumbersWithin(%q, %s) = %v; want %v (%s: %s)", tt.v, b.Name, got, tt.firefox, tt.scenario, tt.reason)
			}
		}
	}
}
