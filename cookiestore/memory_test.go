package cookiestore

import (
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"testing"
)

// BenchmarkMemory measures the heap one stored cookie takes: 3000 cookies
// of typical size (a 7-byte name, a 32-byte value, Path=/, an expiry,
// Secure, HttpOnly, SameSite=Lax) on 30 hosts of 30 sites, each set by
// its own response as a browser receives them; heap-B/cookie is the growth
// of the live heap per cookie after a collection. See BENCHMARKS.md.
func BenchmarkMemory(b *testing.B) {
	const n = 3000
	var perCookie float64
	for b.Loop() {
		perCookie = storedCookieBytes(n)
	}
	b.ReportMetric(perCookie, "heap-B/cookie")
}

// storedCookieBytes stores n cookies in a new Store and returns the live
// heap per cookie.
func storedCookieBytes(n int) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := New(nil)
	for i := range n {
		u, _ := url.Parse("https://www.site" + strconv.Itoa(i%30) + ".example/")
		s.Set(Request{URL: u, Secure: true, Partition: "https://site" + strconv.Itoa(i%30) + ".example"}, []*http.Cookie{{
			Name: "c" + strconv.Itoa(100000+i), Value: "0123456789abcdef0123456789abcdef", Path: "/", MaxAge: 86400,
			Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		}})
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if s.Len() != n {
		panic("stored " + strconv.Itoa(s.Len()) + " cookies")
	}
	runtime.KeepAlive(s)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
}
