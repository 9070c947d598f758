package fetch

import (
	"strings"
	"testing"
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
