package cookiestore

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable time for the store under test.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// parse reads Set-Cookie lines as net/http does.
func parse(t testing.TB, lines ...string) []*http.Cookie {
	t.Helper()
	var out []*http.Cookie
	for _, l := range lines {
		c, err := http.ParseSetCookie(l)
		if err != nil {
			t.Fatalf("ParseSetCookie(%q): %v", l, err)
		}
		out = append(out, c)
	}
	return out
}

// names returns "a=1 b=2" for the cookies, in order.
func names(cs []*http.Cookie) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, " ")
}

// storeTest is one scenario: cookies set from one URL, then what requests
// to other URLs carry. Each runs on a fresh Store at t0.
type storeTest struct {
	desc, rfc, reason string
	from              string   // the URL the cookies are set from
	secure            bool     // the setting request counts as secure
	setCookie         []string // the Set-Cookie lines
	queries           []query
}

type query struct {
	to     string
	secure bool
	want   string // names() of the result
}

var storeTests = []storeTest{
	{desc: "host-only", rfc: "5.7 step 9", reason: "no Domain attribute: the host alone",
		from: "http://www.example.com/", secure: false, setCookie: []string{"a=1"},
		queries: []query{{to: "http://www.example.com/", secure: false, want: "a=1"}, {to: "http://sub.www.example.com/", secure: false, want: ""}, {to: "http://example.com/", secure: false, want: ""}}},
	{desc: "domain cookie", rfc: "5.7 step 8", reason: "Domain: the domain and its subdomains",
		from: "http://www.example.com/", secure: false, setCookie: []string{"a=1; Domain=example.com"},
		queries: []query{{to: "http://example.com/", secure: false, want: "a=1"}, {to: "http://x.y.example.com/", secure: false, want: "a=1"}, {to: "http://notexample.com/", secure: false, want: ""}}},
	{desc: "leading dot", rfc: "5.6.3", reason: "a leading dot of Domain is ignored",
		from: "http://www.example.com/", secure: false, setCookie: []string{"a=1; Domain=.EXAMPLE.com"},
		queries: []query{{to: "http://example.com/", secure: false, want: "a=1"}}},
	{desc: "domain not matching the host", rfc: "5.7 step 8", reason: "a host cannot set a cookie for another domain",
		from: "http://www.example.com/", secure: false, setCookie: []string{"a=1; Domain=other.com", "b=2; Domain=sub.www.example.com"},
		queries: []query{{to: "http://other.com/", secure: false, want: ""}, {to: "http://sub.www.example.com/", secure: false, want: ""}}},
	{desc: "public suffix", rfc: "5.7 step 7", reason: "Domain=co.uk would reach every site under it",
		from: "http://a.example.co.uk/", secure: false, setCookie: []string{"a=1; Domain=co.uk"},
		queries: []query{{to: "http://b.co.uk/", secure: false, want: ""}, {to: "http://a.example.co.uk/", secure: false, want: ""}}},
	{desc: "public suffix that is the host", rfc: "5.7 step 7", reason: "a public suffix may set a host-only cookie for itself",
		from: "http://github.io/", secure: false, setCookie: []string{"a=1; Domain=github.io"},
		queries: []query{{to: "http://github.io/", secure: false, want: "a=1"}, {to: "http://x.github.io/", secure: false, want: ""}}},
	{desc: "IP address", rfc: "5.1.3", reason: "an IP host matches only itself; Domain may only repeat it",
		from: "http://127.0.0.1:8000/", secure: false, setCookie: []string{"a=1", "b=2; Domain=127.0.0.1", "c=3; Domain=0.0.1"},
		queries: []query{{to: "http://127.0.0.1:9000/", secure: false, want: "a=1 b=2"}, {to: "http://127.0.0.2/", secure: false, want: ""}}},
	{desc: "IPv6", rfc: "5.1.2", reason: "brackets are not part of the canonical host",
		from: "http://[::1]:8000/", secure: false, setCookie: []string{"a=1"},
		queries: []query{{to: "http://[::1]/x", secure: false, want: "a=1"}, {to: "http://[::2]/", secure: false, want: ""}}},
	{desc: "ports do not matter", rfc: "8.5", reason: "cookies do not provide isolation by port",
		from: "http://example.com:8000/", secure: false, setCookie: []string{"a=1"},
		queries: []query{{to: "http://example.com:9000/", secure: false, want: "a=1"}, {to: "https://example.com/", secure: true, want: "a=1"}}},
	{desc: "default path", rfc: "5.1.4", reason: "without Path, the directory of the request path",
		from: "http://example.com/dir/page", secure: false, setCookie: []string{"a=1", "b=2; Path=relative"},
		queries: []query{{to: "http://example.com/dir", secure: false, want: "a=1 b=2"}, {to: "http://example.com/dir/x", secure: false, want: "a=1 b=2"}, {to: "http://example.com/", secure: false, want: ""}, {to: "http://example.com/directory", secure: false, want: ""}}},
	{desc: "path match", rfc: "5.1.4", reason: "a path matches itself and the paths under it",
		from: "http://example.com/", secure: false, setCookie: []string{"a=1; Path=/p", "b=2; Path=/p/"},
		queries: []query{{to: "http://example.com/p", secure: false, want: "a=1"}, {to: "http://example.com/p/q", secure: false, want: "b=2 a=1"}, {to: "http://example.com/pq", secure: false, want: ""}}},
	{desc: "order", rfc: "5.8.3 step 2", reason: "longer paths first, then earlier creation",
		from: "http://example.com/", secure: false, setCookie: []string{"short=1; Path=/", "long=2; Path=/a/b", "mid=3; Path=/a", "short2=4; Path=/"},
		queries: []query{{to: "http://example.com/a/b/c", secure: false, want: "long=2 mid=3 short=1 short2=4"}}},
	{desc: "secure from an insecure request", rfc: "5.7 step 12", reason: "a Secure cookie needs a secure channel to be set",
		from: "http://example.com/", secure: false, setCookie: []string{"a=1; Secure", "b=2"},
		queries: []query{{to: "https://example.com/", secure: true, want: "b=2"}}},
	{desc: "secure only over a secure channel", rfc: "5.8.3 step 1", reason: "a Secure cookie is sent over a secure channel only",
		from: "https://example.com/", secure: true, setCookie: []string{"a=1; Secure", "b=2"},
		queries: []query{{to: "https://example.com/", secure: true, want: "a=1 b=2"}, {to: "http://example.com/", secure: false, want: "b=2"}}},
	{desc: "__Secure- prefix", rfc: "5.7 step 16", reason: "needs Secure, in any case of the prefix",
		from: "https://example.com/", secure: true, setCookie: []string{"__Secure-a=1", "__secure-b=2", "__Secure-c=3; Secure"},
		queries: []query{{to: "https://example.com/", secure: true, want: "__Secure-c=3"}}},
	{desc: "__Host- prefix", rfc: "5.7 step 17", reason: "needs Secure, no Domain and Path=/",
		from: "https://example.com/x/y", secure: true, setCookie: []string{"__Host-a=1; Secure; Path=/", "__Host-b=2; Secure", "__Host-c=3; Secure; Path=/; Domain=example.com", "__HOST-d=4; Path=/"},
		queries: []query{{to: "https://example.com/", secure: true, want: "__Host-a=1"}}},
	{desc: "replace", rfc: "5.7 step 22", reason: "same name, domain, host-only and path: the new value, the old creation time",
		from: "http://example.com/", secure: false, setCookie: []string{"a=1", "b=2", "a=3"},
		queries: []query{{to: "http://example.com/", secure: false, want: "a=3 b=2"}}},
	{desc: "host-only and domain are two cookies", rfc: "5.7 step 22", reason: "the host-only flag is part of the identity",
		from: "http://example.com/", secure: false, setCookie: []string{"a=1", "a=2; Domain=example.com"},
		queries: []query{{to: "http://example.com/", secure: false, want: "a=1 a=2"}, {to: "http://www.example.com/", secure: false, want: "a=2"}}},
	{desc: "Max-Age=0 deletes", rfc: "5.7 step 6", reason: "an expiry in the past removes the cookie",
		from: "http://example.com/", secure: false, setCookie: []string{"a=1", "b=2", "a=x; Max-Age=0", "b=y; Expires=Thu, 01 Jan 1970 00:00:00 GMT"},
		queries: []query{{to: "http://example.com/", secure: false, want: ""}}},
	{desc: "not an http URL", rfc: "5.8.3", reason: "cookies belong to http(s) URLs",
		from: "ftp://example.com/", secure: false, setCookie: []string{"a=1"},
		queries: []query{{to: "ftp://example.com/", secure: false, want: ""}, {to: "http://example.com/", secure: false, want: ""}}},
	{desc: "too long", rfc: "5.7 step 3", reason: "a name and value over 4096 bytes",
		from: "http://example.com/", secure: false, setCookie: []string{"a=" + strings.Repeat("v", 4096), "b=" + strings.Repeat("v", 4095)},
		queries: []query{{to: "http://example.com/", secure: false, want: "b=" + strings.Repeat("v", 4095)}}},
}

func TestStore(t *testing.T) {
	for _, tt := range storeTests {
		t.Run(tt.desc, func(t *testing.T) {
			c := &clock{t0}
			s := New(&Options{Now: c.now})
			for i, l := range tt.setCookie {
				c.t = t0.Add(time.Duration(i) * time.Second)
				s.Set(Request{URL: mustURL(t, tt.from), Secure: tt.secure}, parse(t, l))
			}
			for _, q := range tt.queries {
				got := names(s.Get(Request{URL: mustURL(t, q.to), Secure: q.secure}))
				if got != q.want {
					t.Errorf("RFC 6265bis %s: set from %s, request to %s carries %q; want %q (%s)", tt.rfc, tt.from, q.to, got, q.want, tt.reason)
				}
			}
		})
	}
}

// TestExpiry checks that Max-Age and Expires end a cookie at their time and
// that Max-Age wins over Expires (RFC 6265bis section 5.7 step 6).
func TestExpiry(t *testing.T) {
	c := &clock{t0}
	s := New(&Options{Now: c.now})
	u := mustURL(t, "http://example.com/")
	s.Set(Request{URL: u}, parse(t, "a=1; Max-Age=10", "b=2; Expires="+t0.Add(20*time.Second).Format(http.TimeFormat), "c=3; Max-Age=30; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "session=4"))
	for _, tt := range []struct {
		after time.Duration
		want  string
	}{{after: 0, want: "a=1 b=2 c=3 session=4"}, {after: 10 * time.Second, want: "b=2 c=3 session=4"}, {after: 20 * time.Second, want: "c=3 session=4"}, {after: time.Hour, want: "session=4"}} {
		c.t = t0.Add(tt.after)
		if got := names(s.Get(Request{URL: u})); got != tt.want {
			t.Errorf("after %v: %q; want %q", tt.after, got, tt.want)
		}
	}
}

// TestAttributesReturned checks that Get returns what the caller needs to
// apply its policy: SameSite, Secure, HttpOnly, the host-only flag (an empty
// Domain), Path, expiry and the partition.
func TestAttributesReturned(t *testing.T) {
	c := &clock{t0}
	s := New(&Options{Now: c.now})
	u := mustURL(t, "https://www.example.com/")
	r := Request{URL: u, Secure: true, Partition: "https://top.example"}
	s.Set(r, parse(t, "lax=1; SameSite=Lax; HttpOnly", "none=2; SameSite=None; Secure; Domain=example.com; Max-Age=60", "part=3; Secure; Partitioned; Path=/"))
	got := s.Get(r)
	if len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	want := []http.Cookie{
		{Name: "lax", Value: "1", Path: "/", SameSite: http.SameSiteLaxMode, HttpOnly: true},
		{Name: "none", Value: "2", Path: "/", Domain: "example.com", SameSite: http.SameSiteNoneMode, Secure: true, Expires: t0.Add(time.Minute)},
		{Name: "part", Value: "3", Path: "/", Secure: true, Partitioned: true},
	}
	for i, w := range want {
		if g := *got[i]; g.String() != w.String() || g.Partitioned != w.Partitioned || g.HttpOnly != w.HttpOnly || !g.Expires.Equal(w.Expires) {
			t.Errorf("cookie %d: %+v; want %+v", i, g, w)
		}
	}
}

// TestPartitions checks that a Partitioned cookie is set in and read from
// the request's partition only (CHIPS), and dropped without one.
func TestPartitions(t *testing.T) {
	s := New(nil)
	u := mustURL(t, "https://api.example/")
	s.Set(Request{URL: u, Secure: true, Partition: "https://a.example"}, parse(t, "p=a; Secure; Partitioned", "plain=1; Secure"))
	s.Set(Request{URL: u, Secure: true, Partition: "https://b.example"}, parse(t, "p=b; Secure; Partitioned"))
	s.Set(Request{URL: u, Secure: true}, parse(t, "p=none; Secure; Partitioned"))
	for part, want := range map[string]string{"https://a.example": "p=a plain=1", "https://b.example": "plain=1 p=b", "": "plain=1"} {
		if got := names(s.Get(Request{URL: u, Secure: true, Partition: part})); got != want {
			t.Errorf("partition %q: %q; want %q", part, got, want)
		}
	}
}

// TestLeaveSecureCookiesAlone checks that an insecure request cannot shadow
// a Secure cookie of the same name (RFC 6265bis section 5.7 step 13), while
// a secure one can replace it.
func TestLeaveSecureCookiesAlone(t *testing.T) {
	s := New(nil)
	secure := Request{URL: mustURL(t, "https://example.com/"), Secure: true}
	plain := Request{URL: mustURL(t, "http://example.com/"), Secure: false}
	s.Set(secure, parse(t, "a=secure; Secure"))
	s.Set(plain, parse(t, "a=plain", "a=sub; Path=/sub", "b=plain"))
	if got := names(s.Get(Request{URL: mustURL(t, "https://example.com/sub"), Secure: true})); got != "a=secure b=plain" {
		t.Errorf("after insecure sets: %q; want the Secure a kept and no shadow", got)
	}
	s.Set(secure, parse(t, "a=new; Secure"))
	if got := names(s.Get(secure)); got != "a=new b=plain" {
		t.Errorf("after a secure set: %q", got)
	}
}

// TestCookieJar checks the http.CookieJar view: a first-party request,
// loopback counted as secure, name and value only.
func TestCookieJar(t *testing.T) {
	var jar http.CookieJar = New(nil)
	u := mustURL(t, "http://127.0.0.1:8000/x")
	jar.SetCookies(u, parse(t, "a=1; Secure; SameSite=Strict", "b=2; Partitioned; Secure"))
	got := jar.Cookies(u)
	if names(got) != "a=1 b=2" {
		t.Fatalf("Cookies = %q; want both: loopback is secure, the partition is the URL's own site", names(got))
	}
	if got[0].Secure || got[0].SameSite != 0 || got[0].Path != "" {
		t.Errorf("Cookies returned attributes %+v; the jar view gives name and value only", got[0])
	}
	if c := jar.Cookies(mustURL(t, "http://192.0.2.1/x")); len(c) != 0 {
		t.Errorf("another host: %v", c)
	}
}

// TestConcurrent runs sets and gets from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	s := New(&Options{Limits: Limits{PerDomain: 50, Total: 200}})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				u := mustURL(t, fmt.Sprintf("http://h%d.example%d.test/", i%7, g))
				s.Set(Request{URL: u}, []*http.Cookie{{Name: fmt.Sprintf("c%d", i), Value: "v"}})
				s.Get(Request{URL: u})
			}
		}()
	}
	wg.Wait()
	if s.Len() > 200 {
		t.Errorf("Len() = %d over the bound", s.Len())
	}
}

func BenchmarkGet(b *testing.B) {
	s := New(nil)
	r := Request{URL: mustURL(b, "https://api.example.com/v1/items"), Secure: true, Partition: "https://app.example"}
	for i := range 20 {
		s.Set(r, []*http.Cookie{{Name: fmt.Sprintf("c%d", i), Value: "value", Path: "/"}})
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Get(r)
	}
}

func BenchmarkSet(b *testing.B) {
	s := New(nil)
	r := Request{URL: mustURL(b, "https://api.example.com/v1/items"), Secure: true}
	cs := []*http.Cookie{{Name: "session", Value: "abc", Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}}
	b.ReportAllocs()
	for b.Loop() {
		s.Set(r, cs)
	}
}
