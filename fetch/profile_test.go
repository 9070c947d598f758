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
		{"absent", Chrome, nil, 5 * time.Second, true, "cache-max-age-absent"},
		{"0", Chrome, []string{"0"}, 0, false, "cache-max-age-0"},
		{"-1", Chrome, []string{"-1"}, 0, false, "cache-max-age-negative"},
		{"abc", Chrome, []string{"abc"}, 5 * time.Second, true, "cache-max-age-non-numeric (cached, default)"},
		{"10.5", Chrome, []string{"10.5"}, 5 * time.Second, true, "cache-max-age-decimal"},
		{"+10", Chrome, []string{"+10"}, 10 * time.Second, true, "cache-max-age-plus; base::StringToInt64 accepts a sign"},
		{"empty", Chrome, []string{""}, 5 * time.Second, true, "cache-max-age-empty"},
		{"86400 capped", Chrome, []string{"86400"}, 2 * time.Hour, true, "cache-max-age-large; kMaxTimeout"},
		{"overflow", Chrome, []string{"99999999999999999999"}, 5 * time.Second, true, "cache-max-age-huge: not an int64, so the default"},
		{"two fields", Chrome, []string{"60", "60"}, 5 * time.Second, true, "cache-max-age-two-fields: joined \"60, 60\" is not an integer"},
		{"spec -1", Spec, []string{"-1"}, 5 * time.Second, true, "#cors-preflight-fetch-0: not delta-seconds, so the default"},
		{"spec two fields", Spec, []string{"60", "60"}, 5 * time.Second, true, "#extract-header-list-values: a second field is failure"},
		{"spec huge", Spec, []string{"99999999999999999999"}, (1 << 31) * time.Second, true, "RFC 9111 section 1.2.2: overflow is 2^31 s"},
		{"spec 0", Spec, []string{"0"}, 0, false, "0 s expires at once"},
		{"firefox abc", Firefox, []string{"abc"}, 0, false, "nsCORSListenerProxy.cpp: a non-digit value is not cached"},
		{"firefox empty", Firefox, []string{""}, 5 * time.Second, true, "nsCORSListenerProxy.cpp: empty means the default"},
		{"firefox cap", Firefox, []string{"999999"}, 24 * time.Hour, true, "capped at 24 h"},
		{"safari cap", Safari, []string{"3600"}, 10 * time.Minute, true, "maxPreflightCacheTimeout 600 s"},
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
