package fetch

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSerializeURL checks serializeURL, the preflight-cache key's URL
// written without allocating, against url.URL.String, which the cache's
// stored keys used before it: the two must never differ, or a cached
// preflight would stop matching.
func FuzzSerializeURL(f *testing.F) {
	for _, s := range []string{
		"http://api.example/r", "https://api.example:8443/a/b?c=d&e", "http://[::1]:80/x", "http://127.0.0.1/",
		"http://api.example", "https://user:pw@api.example/", "http://api.example/a%2Fb", "http://api.example/é?ü",
		"http://api.example/#frag", "http://api.example/?", "mailto:x@y", "http://xn--caf-dma.example/p q",
		"http://api.example/" + strings.Repeat("a", 200), "http://a_b.example/", "HTTP://API.EXAMPLE/R",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		var buf [160]byte
		got := strings.Clone(serializeURL(&buf, u))
		if want := u.String(); got != want {
			t.Errorf("%q: serializeURL %q, String %q", raw, got, want)
		}
	})
}
