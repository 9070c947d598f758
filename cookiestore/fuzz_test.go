package cookiestore

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzStore sets the cookies of fuzzed Set-Cookie lines from fuzzed URLs
// and checks what requests carry against the retrieval rules (RFC 6265bis
// section 5.8.3): every cookie returned domain-matches and path-matches the
// request, a Secure one only over a secure channel, none expired, a
// partitioned one only in its partition, and the store stays within its
// bounds.
func FuzzStore(f *testing.F) {
	f.Add("http://a.example.com/x/y", "a=1; Domain=example.com; Path=/x", "http://b.example.com/x/z", true, uint8(0))
	f.Add("https://127.0.0.1:8000/", "__Host-a=1; Secure; Path=/; Partitioned", "https://127.0.0.1/", false, uint8(1))
	f.Add("http://[::1]/p", "a=1; Max-Age=1; Domain=::1", "http://[::1]/p/q", false, uint8(2))
	f.Add("http://xn--bcher-kva.example/", "a=1; Domain=BÜCHER.example", "http://bücher.example/", true, uint8(1))
	f.Fuzz(func(t *testing.T, from, line, to string, secure bool, eviction uint8) {
		fu, err1 := url.Parse(from)
		tu, err2 := url.Parse(to)
		c, err3 := http.ParseSetCookie(line)
		if err1 != nil || err2 != nil || err3 != nil {
			return
		}
		clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		l := Limits{PerDomain: 2, Total: 3, Eviction: Eviction(eviction % 3)}
		s := New(&Options{Limits: l, Now: func() time.Time { return clock }})
		for i := range 4 {
			cc := *c
			cc.Value += strings.Repeat("x", i)
			if cc.Name != "" && i%2 == 1 {
				cc.Name += "-" + strings.Repeat("n", i) // another cookie
			}
			s.Set(Request{URL: fu, Secure: secure, Partition: "https://p.example"}, []*http.Cookie{&cc})
		}
		if n := s.Len(); n > 3 && l.Eviction != EvictChromium || n-s.partitioned > 3 {
			t.Fatalf("Len() = %d over the total bound (%v)", n, l.Eviction)
		}
		for key, list := range s.entries {
			for _, e := range list {
				if n := len(s.group(key, e.Partition)); n > 2 {
					t.Fatalf("%d cookies in a group of %s; want at most 2 (%v)", n, key, l.Eviction)
				}
			}
		}
		host, ok := canonicalHost(tu)
		for _, part := range []string{"https://p.example", "https://q.example"} {
			got := s.Get(Request{URL: tu, Secure: secure, Partition: part})
			if !ok && len(got) > 0 {
				t.Fatalf("cookies %v for %q, which has none", got, to)
			}
			path := tu.Path
			if path == "" {
				path = "/"
			}
			for _, g := range got {
				switch {
				case g.Domain == "" && host != mustHost(t, fu):
					t.Fatalf("host-only cookie of %q sent to %q", from, to)
				case g.Domain != "" && !domainMatch(host, g.Domain):
					t.Fatalf("cookie for domain %q sent to %q", g.Domain, host)
				case !pathMatch(path, g.Path):
					t.Fatalf("cookie for path %q sent to %q", g.Path, path)
				case g.Secure && !secure:
					t.Fatal("Secure cookie over an insecure channel")
				case g.Partitioned && part != "https://p.example":
					t.Fatalf("cookie of partition p.example read in %s", part)
				case !g.Expires.IsZero() && !g.Expires.After(clock):
					t.Fatalf("expired cookie returned (expires %v)", g.Expires)
				}
			}
		}
	})
}

func mustHost(t *testing.T, u *url.URL) string {
	h, ok := canonicalHost(u)
	if !ok {
		t.Fatalf("a cookie was stored from %v, which has no host", u)
	}
	return h
}
