package fetch

import (
	"hash/maphash"
	"net/url"
	"strconv"
	"testing"

	"github.com/corsfetch/corsfetch/origin"
)

// TestOriginOf checks that Transport.originOf, which remembers origins,
// gives what origin.FromURL gives (#concept-url-origin), the second time
// as the first, and that an invalid host gives a new opaque origin each
// time; and that two hosts a page alternates between cost no allocation
// once seen.
func TestOriginOf(t *testing.T) {
	tr := &Transport{}
	for _, raw := range []string{
		"http://api.example/r", "https://api.example:8443/r", "https://API.example/r", "http://[::1]:8080/",
		"http://127.0.0.2:1/", "https://xn--nxasmq6b.example/", "http://0x7f.1/", "HTTP://api.example/", "https://a.example:99999/",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			got, want := tr.originOf(u), origin.FromURL(u)
			if want.IsOpaque() {
				if !got.IsOpaque() || got == tr.originOf(u) {
					t.Errorf("%s (call %d): %v; want a new opaque origin each time", raw, i, got)
				}
				continue
			}
			if got != want {
				t.Errorf("%s (call %d): %v; want %v", raw, i, got, want)
			}
		}
	}
	slot := func(host string) uint64 { return maphash.String(originSeed, host) % uint64(len(tr.origins)) }
	a, _ := url.Parse("https://app.example/")
	b, _ := url.Parse("https://cdn0.example/")
	for i := 1; slot(b.Host) == slot(a.Host); i++ {
		b.Host = "cdn" + strconv.Itoa(i) + ".example"
	}
	tr.originOf(a)
	tr.originOf(b)
	if n := testing.AllocsPerRun(100, func() { tr.originOf(a); tr.originOf(b) }); n != 0 {
		t.Errorf("alternating two remembered hosts allocates %v times; want 0", n)
	}
}
