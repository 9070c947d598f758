package fetch

import (
	"strconv"
	"strings"

	"github.com/corsfetch/corsfetch/safelist"
)

// chromiumSafelisted reports whether the request header name: value is one
// that Chromium adds to the CORS-safelisted request-headers
// (IsCorsSafelistedHeader in services/network/public/cpp/cors/cors.cc),
// with the value rules recorded from Chromium 156 (div-chromium-header-*):
//
//   - Save-Data: "on", in any case;
//   - Intervention: any value;
//   - Device-Memory, DPR, Downlink: 1*DIGIT [ "." 1*DIGIT ];
//   - Width, Viewport-Width, RTT: 1*DIGIT;
//   - ECT: "slow-2g", "2g", "3g" or "4g", in lower case;
//
// and at most 128 bytes, like every safelisted value. The name may be in
// any case; the value is the one the header list holds (trimmed, and
// combined where Chromium combines repeated fields).
func chromiumSafelisted(name, value string) bool {
	if len(value) > safelist.MaxValueLength {
		return false
	}
	switch strings.ToLower(name) {
	case "save-data":
		return strings.EqualFold(value, "on")
	case "intervention":
		return true
	case "device-memory", "dpr", "downlink":
		whole, frac, dot := strings.Cut(value, ".")
		return allDigits(whole) && (!dot || allDigits(frac))
	case "width", "viewport-width", "rtt":
		return allDigits(value)
	case "ect":
		switch value {
		case "slow-2g", "2g", "3g", "4g":
			return true
		}
	}
	return false
}

// isChromiumSafelistedName reports whether the lower-case name is one of
// the names chromiumSafelisted may accept.
func isChromiumSafelistedName(name string) bool {
	switch name {
	case "save-data", "intervention", "device-memory", "dpr", "downlink", "width", "viewport-width", "rtt", "ect":
		return true
	}
	return false
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// chromiumRange returns the Range value v as Chromium's network stack sends
// it when it reads v as one byte range ("bytes=0-1", "bytes=5-",
// "bytes=-5"), and false when it does not, in which case v goes out as set.
// It reads what the recordings show (simple-header-13 to -18,
// div-range-unit-case-*, div-range-value-*): the unit in any case, spaces
// and tabs around "=", "-" and the numbers, empty list elements ("bytes=,0-1",
// "bytes=0-1 ,"), one "+" before a number; several ranges, a reversed
// range, "++1", a suffix of zero or a number beyond int64 leave v
// unchanged. The caller decides whether Chromium rewrites the range at all
// (a GET that may use the HTTP cache).
func chromiumRange(v string) (string, bool) {
	if len(v) < 5 || !strings.EqualFold(v[:5], "bytes") {
		return "", false
	}
	rest := strings.TrimLeft(v[5:], " \t")
	if !strings.HasPrefix(rest, "=") {
		return "", false
	}
	var spec string
	n := 0
	for _, e := range strings.Split(rest[1:], ",") {
		if e = strings.Trim(e, " \t"); e != "" {
			spec, n = e, n+1
		}
	}
	if n != 1 {
		return "", false
	}
	first, last, ok := strings.Cut(spec, "-")
	if !ok {
		return "", false
	}
	first, last = strings.Trim(first, " \t"), strings.Trim(last, " \t")
	if first == "" {
		// A suffix of zero bytes is not a range (div-range-wire-07).
		l, ok := chromiumInt(last)
		if !ok || l == 0 {
			return "", false
		}
		return "bytes=-" + strconv.FormatInt(l, 10), true
	}
	f, ok := chromiumInt(first)
	if !ok {
		return "", false
	}
	// Chromium reads a last position of -1 as "not given", its own marker
	// for an open range: "bytes=5--1" goes out as "bytes=5-"
	// (div-range-wire-08).
	if last == "" || last == "-1" {
		return "bytes=" + strconv.FormatInt(f, 10) + "-", true
	}
	l, ok := chromiumInt(last)
	if !ok || l < f {
		return "", false
	}
	return "bytes=" + strconv.FormatInt(f, 10) + "-" + strconv.FormatInt(l, 10), true
}

// chromiumInt reads a non-negative decimal number with at most one leading
// "+" that fits in 64 bits.
func chromiumInt(s string) (int64, bool) {
	s = strings.TrimPrefix(s, "+")
	if !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// webkitRangeSafelisted reports whether WebKit treats the Range value v as
// a CORS-safelisted request-header (div-range-unit-case-*,
// div-range-value-*): the standard's "bytes=first-last" or "bytes=first-"
// with no spaces, but the unit in any case and one "+" allowed before each
// number ("bytes=+1-2", "bytes=0-+1"; not after the "-" of a suffix range,
// which is never safelisted anyway).
func webkitRangeSafelisted(v string) bool {
	if len(v) > safelist.MaxValueLength || len(v) < 6 || !strings.EqualFold(v[:5], "bytes") || v[5] != '=' {
		return false
	}
	first, last, ok := strings.Cut(v[6:], "-")
	if !ok {
		return false
	}
	// A "+" must sign a number: "bytes=1-+" is preflighted (div-range-wire-09).
	if first == "+" || last == "+" {
		return false
	}
	first, last = strings.TrimPrefix(first, "+"), strings.TrimPrefix(last, "+")
	return safelist.IsRequestHeader("Range", "bytes="+first+"-"+last)
}

// rangeNumbersWithin reports whether rangeValueWithin holds for each of
// the Range values vs.
func rangeNumbersWithin(vs []string, max uint64) bool {
	for _, v := range vs {
		if !rangeValueWithin(v, max) {
			return false
		}
	}
	return true
}

// rangeValueWithin reports whether every run of digits in the Range value
// v, read as a decimal number, is at most max. For a value the profile
// otherwise safelists the digit runs are the range's positions; for any
// other value the answer changes nothing, as it is preflighted anyway.
func rangeValueWithin(v string, max uint64) bool {
	for i := 0; i < len(v); {
		if v[i] < '0' || v[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(v) && '0' <= v[j] && v[j] <= '9' {
			j++
		}
		n, err := strconv.ParseUint(v[i:j], 10, 64)
		if err != nil || n > max {
			return false
		}
		i = j
	}
	return true
}
