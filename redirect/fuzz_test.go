package redirect_test

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/redirect"
)

var fuzzBases = []string{hostB + "/s/r1", hostB + "/s/r1?q#frag", "https://a.example/", "http://[::1]:8080/a/b"}

// simpleAbsolute matches absolute http(s) URLs that the URL Standard and
// net/url read alike and that are already in serialized form.
var simpleAbsolute = regexp.MustCompile(`^https?://[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)*/([a-z0-9]+/)*[a-z0-9]*(\?[a-z0-9=&]*)?$`)

// FuzzLocation checks that Location never panics, that its three outcomes
// are consistent (nil, an ErrInvalidLocation, or an absolute URL; http(s)
// URLs with a valid host), that an http(s) result parses again to itself,
// and that URLs in serialized form come back unchanged (the oracle: net/url
// and the URL Standard agree on them).
func FuzzLocation(f *testing.F) {
	for _, s := range []string{"r2", "/a?b", "http://[bad", "", "data:,x", `\\evil.example\x`, "///x", "https:x", "http:r", "1a:b",
		"http://u:p@h/", "http://@h/", "HTTP://0x7F.1:80/x", "#f", "?q", "../..", " \t/r\n ", "http://bücher.example/", "%zz", "http://h/%zz"} {
		f.Add(s, uint8(0), false, false)
	}
	f.Add("http://a.example/x", uint8(1), true, true)
	bases := urls(f, fuzzBases...)
	f.Fuzz(func(t *testing.T, raw string, bi uint8, twice, chromiumPolicy bool) {
		base := bases[int(bi)%len(bases)]
		h := http.Header{"Location": {raw}}
		if twice {
			h["Location"] = append(h["Location"], raw)
		}
		p := redirect.Policy{}
		if chromiumPolicy {
			p = chromium
		}
		u, err := redirect.Location(302, h, base, p)
		switch {
		case err != nil:
			if u != nil || !errors.Is(err, redirect.ErrInvalidLocation) {
				t.Fatalf("Location(%q) = %v, %v: an error must wrap ErrInvalidLocation and come alone", raw, u, err)
			}
			return
		case u == nil:
			if !(chromiumPolicy && raw == "") {
				t.Fatalf("Location(%q) = nil, nil; only an empty Location under EmptyNoRedirect is none", raw)
			}
			return
		}
		if twice && !chromiumPolicy {
			t.Fatalf("Location with two fields = %v; want failure under the spec policy", u)
		}
		if u.Scheme == "" {
			t.Fatalf("Location(%q) = %v: not absolute", raw, u)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return
		}
		if _, err := origin.FromURLStrict(u); err != nil || u.Host == "" || u.Opaque != "" {
			t.Fatalf("Location(%q) = %v: http(s) URL without a valid host (%v)", raw, u, err)
		}
		// Against the base without its fragment: an empty fragment cannot
		// be written by net/url (package doc), so u.String() may lack one.
		noFragment := *base
		noFragment.Fragment, noFragment.RawFragment = "", ""
		again, err := redirect.Location(302, http.Header{"Location": {u.String()}}, &noFragment, redirect.Policy{})
		if err != nil || again.String() != u.String() {
			t.Fatalf("Location(%q) = %q, which parses again to %v, %v", raw, u, again, err)
		}
		if simpleAbsolute.MatchString(raw) {
			want, _ := url.Parse(raw)
			want.Fragment = base.Fragment
			if u.String() != want.String() {
				t.Fatalf("Location(%q) = %q; net/url oracle says %q", raw, u, want)
			}
		}
	})
}
