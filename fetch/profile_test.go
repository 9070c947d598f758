package fetch

import (
	"strconv"
	"testing"
	"time"
)

// TestMaxAge covers how each profile reads Access-Control-Max-Age
// (#cors-preflight-fetch-0 step "max-age"; Chromium: cache-max-age-*,
// preflight_result.cc; Firefox: nsCORSListenerProxy.cpp).
func TestMaxAge(t *testing.T) {
	tests := []struct {
		name   string
		b      Profile
		values []string
		want   time.Duration
		cached bool
		source string
	}{
		{name: "absent", b: Chrome, values: nil, want: 5 * time.Second, cached: true, source: "cache-max-age-absent"},
		{name: "0", b: Chrome, values: []string{"0"}, want: 0, cached: false, source: "cache-max-age-0"},
		{name: "-1", b: Chrome, values: []string{"-1"}, want: 0, cached: false, source: "cache-max-age-negative"},
		{name: "abc", b: Chrome, values: []string{"abc"}, want: 5 * time.Second, cached: true, source: "cache-max-age-non-numeric (cached, default)"},
		{name: "10.5", b: Chrome, values: []string{"10.5"}, want: 5 * time.Second, cached: true, source: "cache-max-age-decimal"},
		{name: "+10", b: Chrome, values: []string{"+10"}, want: 10 * time.Second, cached: true, source: "cache-max-age-plus; base::StringToInt64 accepts a sign"},
		{name: "empty", b: Chrome, values: []string{""}, want: 5 * time.Second, cached: true, source: "cache-max-age-empty"},
		{name: "86400 capped", b: Chrome, values: []string{"86400"}, want: 2 * time.Hour, cached: true, source: "cache-max-age-large; kMaxTimeout"},
		{name: "overflow", b: Chrome, values: []string{"99999999999999999999"}, want: 5 * time.Second, cached: true, source: "cache-max-age-huge: not an int64, so the default"},
		{name: "two fields", b: Chrome, values: []string{"60", "60"}, want: 5 * time.Second, cached: true, source: "cache-max-age-two-fields: joined \"60, 60\" is not an integer"},
		{name: "spec -1", b: Spec, values: []string{"-1"}, want: 5 * time.Second, cached: true, source: "#cors-preflight-fetch-0: not delta-seconds, so the default"},
		{name: "spec two fields", b: Spec, values: []string{"60", "60"}, want: 5 * time.Second, cached: true, source: "#extract-header-list-values: a second field is failure"},
		{name: "spec huge", b: Spec, values: []string{"99999999999999999999"}, want: (1 << 31) * time.Second, cached: true, source: "RFC 9111 section 1.2.2: overflow is 2^31 s"},
		{name: "spec 0", b: Spec, values: []string{"0"}, want: 0, cached: false, source: "0 s expires at once"},
		{name: "firefox abc", b: Firefox, values: []string{"abc"}, want: 0, cached: false, source: "nsCORSListenerProxy.cpp: a non-digit value is not cached"},
		{name: "firefox empty", b: Firefox, values: []string{""}, want: 5 * time.Second, cached: true, source: "nsCORSListenerProxy.cpp: empty means the default"},
		{name: "firefox cap", b: Firefox, values: []string{"999999"}, want: 24 * time.Hour, cached: true, source: "capped at 24 h"},
		{name: "safari cap", b: Safari, values: []string{"3600"}, want: 10 * time.Minute, cached: true, source: "maxPreflightCacheTimeout 600 s"},
	}
	for _, tt := range tests {
		b := tt.b.resolve()
		got, cached := b.Preflight.maxAge(tt.values, b.PreflightCache)
		if got != tt.want || cached != tt.cached {
			t.Errorf("%s %s: maxAge(%q) = %v, %v; want %v, %v (%s)", b.Name, tt.name, tt.values, got, cached, tt.want, tt.cached, tt.source)
		}
	}
}

// TestZeroProfileIsChrome checks the contract that the zero Profile
// behaves as Chrome, and that any other one is taken as written.
func TestZeroProfileIsChrome(t *testing.T) {
	if got := (Profile{}).resolve(); got != Chrome {
		t.Errorf("zero Profile resolves to %+v, want Chrome", got)
	}
	if got := (Profile{Request: RequestRules{CombineRepeated: true}}).resolve(); got.Name != "custom" || got.Redirect.Manual != ManualIgnoresLocation {
		t.Errorf("a partly set Profile resolves to %+v, want it as written, named custom", got)
	}
	if got := Spec.resolve(); got.Name != "Spec" || got.Request.CombineRepeated {
		t.Errorf("Spec resolves to %+v", got)
	}
}

// FuzzParseInteger checks parseInteger against strconv.ParseInt, which
// accepts the same language (an optional sign and decimal digits that fit
// in 64 bits).
func FuzzParseInteger(f *testing.F) {
	for _, s := range []string{"0", "-1", "+10", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "", "+", "1 ", "0x10", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseInteger(s)
		want, err := strconv.ParseInt(s, 10, 64)
		if ok != (err == nil) || ok && got != want {
			t.Fatalf("parseInteger(%q) = %d, %v; strconv.ParseInt = %d, %v", s, got, ok, want, err)
		}
		if ok && got > 0 && secondsToDuration(got) <= 0 {
			t.Fatalf("secondsToDuration(%d) = %v", got, secondsToDuration(got))
		}
	})
}
