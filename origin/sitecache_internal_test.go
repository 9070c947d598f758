package origin

import (
	"hash/maphash"
	"strconv"
	"sync"
	"testing"
)

// TestSiteCache checks that registrableDomainOr, which remembers its
// results, gives what the public suffix list gives for more hosts than the
// cache has slots, from several goroutines at once (run with -race), and
// that a remembered site costs no allocation.
func TestSiteCache(t *testing.T) {
	hosts := []string{"a.example.com", "example.com.", "a.github.io", "127.0.0.1", "[::1]", "x.localhost", "b.example.co.uk", "1password.com", "10.example"}
	for i := range 2 * len(siteCache) {
		hosts = append(hosts, "h"+strconv.Itoa(i)+".site"+strconv.Itoa(i%7)+".example.org")
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				for _, h := range hosts {
					if got, want := registrableDomainOr(h), lookupRegistrableDomainOr(h); got != want {
						t.Errorf("registrableDomainOr(%q) = %q; the public suffix list says %q", h, got, want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	// Two hosts in different slots (the seed is random).
	slot := func(h string) uint64 { return maphash.String(siteSeed, h) % uint64(len(siteCache)) }
	a, b := MustParse("https://app.example.com"), MustParse("https://api.example.com")
	for i := 0; slot(b.Host()) == slot(a.Host()); i++ {
		b = MustParse("https://api" + strconv.Itoa(i) + ".example.com")
	}
	if !a.SameSite(b) {
		t.Fatal("app.example.com and api.example.com: not same site")
	}
	if n := testing.AllocsPerRun(100, func() { a.SameSite(b) }); n != 0 {
		t.Errorf("SameSite of two remembered hosts allocates %v times; want 0", n)
	}
}
