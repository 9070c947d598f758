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
		{"Save-Data", "on", true, "simple-header-20"},
		{"Save-Data", "ON", true, "div-chromium-header-23"},
		{"Save-Data", "off", false, "div-chromium-header-24"},
		{"Intervention", "x", true, "div-chromium-header-01"},
		{"Intervention", "<x>", true, "div-chromium-header-02: no byte rule"},
		{"Intervention", "", true, "div-chromium-header-26"},
		{"Intervention", strings.Repeat("a", 128), true, "div-chromium-header-27: the 128-byte limit"},
		{"Intervention", strings.Repeat("a", 129), false, "div-chromium-header-03"},
		{"Device-Memory", "8", true, "div-chromium-header-28"},
		{"Device-Memory", "0.5", true, "div-chromium-header-04"},
		{"Device-Memory", ".5", false, "div-chromium-header-05"},
		{"Device-Memory", "1.", false, "div-chromium-header-06"},
		{"Device-Memory", "1.2.3", false, "div-chromium-header-29"},
		{"Device-Memory", "-1", false, "div-chromium-header-30"},
		{"Device-Memory", "", false, "div-chromium-header-31"},
		{"Dpr", "2", true, "div-chromium-header-32"},
		{"Dpr", "1.5", true, "div-chromium-header-07"},
		{"Dpr", "abc", false, "div-chromium-header-08"},
		{"Downlink", "10", true, "div-chromium-header-33"},
		{"Downlink", "1.5", true, "div-chromium-header-15"},
		{"Downlink", "abc", false, "div-chromium-header-16"},
		{"Downlink", ".5", false, "div-chromium-header-34"},
		{"Width", "100", true, "div-chromium-header-09"},
		{"Width", "1.5", false, "div-chromium-header-10"},
		{"Width", "", false, "div-chromium-header-35"},
		{"Viewport-Width", "100", true, "div-chromium-header-11"},
		{"Viewport-Width", "-1", false, "div-chromium-header-12"},
		{"Rtt", "50", true, "div-chromium-header-13"},
		{"Rtt", "1.5", false, "div-chromium-header-14"},
		{"Rtt", "", false, "div-chromium-header-36"},
		{"Ect", "4g", true, "div-chromium-header-17"},
		{"Ect", "3g", true, "div-chromium-header-18"},
		{"Ect", "2g", true, "div-chromium-header-19"},
		{"Ect", "slow-2g", true, "div-chromium-header-20"},
		{"Ect", "4G", false, "div-chromium-header-21"},
		{"Ect", "5g", false, "div-chromium-header-22"},
		{"Ect", "", false, "div-chromium-header-37"},
		{"Lang", "en", false, "div-chromium-header-25: no longer on Chromium's list"},
		{"X-Custom", "1", false, "not on the list (simple-custom-header)"},
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
		{"bytes=0-", "bytes=0-", "simple-header-13"},
		{"bytes=100-200", "bytes=100-200", "simple-header-14"},
		{"bytes= 0-1", "bytes=0-1", "simple-header-17"},
		{"bytes=0-1,3-4", "", "simple-header-16: several ranges"},
		{"bytes=5-1", "", "simple-header-18: reversed"},
		{"Bytes=0-1", "bytes=0-1", "div-range-unit-case-01"},
		{"bYtEs=0-", "bytes=0-", "div-range-unit-case-03"},
		{"Bytes=-5", "bytes=-5", "div-range-unit-case-04"},
		{"Bytes=0-1,3-4", "", "div-range-unit-case-06"},
		{"Bytes=5-1", "", "div-range-unit-case-07"},
		{"bytes =0-1", "bytes=0-1", "div-range-value-01"},
		{"bytes=0 -1", "bytes=0-1", "div-range-value-02"},
		{"bytes=0-1 ,", "bytes=0-1", "div-range-value-03"},
		{"bytes=,0-1", "bytes=0-1", "div-range-value-04"},
		{"bytes=+1-2", "bytes=1-2", "div-range-value-05"},
		{"bytes=0-+1", "bytes=0-1", "div-range-value-06"},
		{"bytes=+1-", "bytes=1-", "div-range-value-07"},
		{"bytes=-+5", "bytes=-5", "div-range-value-08"},
		{"bytes=++1-2", "", "div-range-value-09"},
		{"bytes=1-2,3-4,", "", "div-range-value-10"},
		{"bytes=-00", "", "div-range-wire-07: a suffix of zero bytes"},
		{"bytes=5--1", "bytes=5-", "div-range-wire-08: -1 is Chromium's 'not given'"},
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
		{"bytes=0-", true, "simple-header-13"},
		{"bytes=-500", false, "simple-header-15: a suffix range is never safelisted"},
		{"bytes= 0-1", false, "simple-header-17"},
		{"Bytes=0-1", true, "div-range-unit-case-01"},
		{"BYTES=0-1", true, "div-range-unit-case-02"},
		{"bYtEs=0-", true, "div-range-unit-case-03"},
		{"Bytes= 0-1", false, "div-range-unit-case-05"},
		{"Bytes=5-1", false, "div-range-unit-case-07"},
		{"bytes =0-1", false, "div-range-value-01"},
		{"bytes=+1-2", true, "div-range-value-05"},
		{"bytes=0-+1", true, "div-range-value-06"},
		{"bytes=+1-", true, "div-range-value-07"},
		{"bytes=-+5", false, "div-range-value-08"},
		{"bytes=++1-2", false, "div-range-value-09"},
		{"bytes=1-+", false, "div-range-wire-09: a lone '+'"},
		{"bytes=+" + strings.Repeat("0", 59) + "1-+" + strings.Repeat("0", 59) + "2", false, "#cors-safelisted-request-header step 1: 129 bytes as set, though 127 without the signs"},
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
		{"bytes=0-9223372036854775806", true, true, "div-range-number-01", "2^63-2"},
		{"bytes=0-9223372036854775807", false, true, "div-range-number-02", "2^63-1"},
		{"bytes=9223372036854775807-", false, true, "div-range-number-03", "the first position counts too"},
		{"bytes=0-18446744073709551615", false, true, "div-range-number-04", "2^64-1"},
		{"bytes=0-018446744073709551615", false, true, "div-range-number-05", "leading zeros do not count"},
		{"bytes=0-18446744073709551616", false, false, "div-range-number-06", "2^64"},
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
