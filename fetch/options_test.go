package fetch_test

import (
	"encoding"
	"fmt"
	"testing"

	"github.com/corsfetch/corsfetch/fetch"
)

// textValue is an option type that marshals to fetch()'s names.
type textValue interface {
	fmt.Stringer
	encoding.TextMarshaler
}

// TestOptionNames checks that every value of the option types round-trips
// through the name fetch() uses for it (#requestinit), and that other names
// and values are refused.
func TestOptionNames(t *testing.T) {
	tests := []struct {
		values    []textValue
		names     []string
		unmarshal func(string) (textValue, error)
	}{
		{
			values: []textValue{fetch.ModeCORS, fetch.ModeNoCORS, fetch.ModeSameOrigin},
			names:  []string{"cors", "no-cors", "same-origin"},
			unmarshal: func(s string) (textValue, error) {
				var v fetch.Mode
				err := v.UnmarshalText([]byte(s))
				return v, err
			},
		},
		{
			values: []textValue{fetch.CredentialsSameOrigin, fetch.CredentialsOmit, fetch.CredentialsInclude},
			names:  []string{"same-origin", "omit", "include"},
			unmarshal: func(s string) (textValue, error) {
				var v fetch.Credentials
				err := v.UnmarshalText([]byte(s))
				return v, err
			},
		},
		{
			values: []textValue{fetch.RedirectFollow, fetch.RedirectError, fetch.RedirectManual},
			names:  []string{"follow", "error", "manual"},
			unmarshal: func(s string) (textValue, error) {
				var v fetch.Redirect
				err := v.UnmarshalText([]byte(s))
				return v, err
			},
		},
		{
			values: []textValue{fetch.CacheDefault, fetch.CacheNoStore, fetch.CacheReload, fetch.CacheNoCache, fetch.CacheForceCache, fetch.CacheOnlyIfCached},
			names:  []string{"default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached"},
			unmarshal: func(s string) (textValue, error) {
				var v fetch.CacheMode
				err := v.UnmarshalText([]byte(s))
				return v, err
			},
		},
	}
	for _, tt := range tests {
		for i, v := range tt.values {
			text, err := v.MarshalText()
			if err != nil || string(text) != tt.names[i] || v.String() != tt.names[i] {
				t.Errorf("%T %d: MarshalText = %q, %v, String = %q; want %q", v, i, text, err, v.String(), tt.names[i])
			}
			back, err := tt.unmarshal(tt.names[i])
			if err != nil || back != v {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", tt.names[i], back, err, v)
			}
		}
		if _, err := tt.unmarshal("CORS"); err == nil {
			t.Errorf("%T: UnmarshalText accepted a name fetch() does not use", tt.values[0])
		}
	}
	if _, err := fetch.Mode(9).MarshalText(); err == nil || fetch.Mode(9).String() != "Mode(invalid)" {
		t.Error("an invalid Mode marshals")
	}
}

// TestProfileByName checks the names a profile is looked up by.
func TestProfileByName(t *testing.T) {
	for name, want := range map[string]string{"chrome": "Chrome", "Chromium": "Chrome", "firefox": "Firefox", "safari": "Safari", "WebKit": "Safari", "spec": "Spec"} {
		if p, ok := fetch.ProfileByName(name); !ok || p.Name != want {
			t.Errorf("ProfileByName(%q) = %q, %v; want %s", name, p.Name, ok, want)
		}
	}
	if _, ok := fetch.ProfileByName("edge"); ok {
		t.Error(`ProfileByName("edge") found a profile`)
	}
	if len(fetch.Profiles()) != 4 || fetch.Profiles()[0] != fetch.Chrome {
		t.Error("Profiles() does not list the four profiles, Chrome first")
	}
}
