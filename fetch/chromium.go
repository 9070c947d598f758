package fetch

import (
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
