package cookiestore_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/corsfetch/corsfetch/cookiestore"
)

// A store keeps what a browser needs to decide which cookies a request
// carries; Get returns them with their attributes, and the caller applies
// its policy (here: SameSite for a cross-site request).
func Example() {
	store := cookiestore.New(nil)
	api, _ := url.Parse("https://api.example/items")
	req := cookiestore.Request{URL: api, Secure: true, Partition: "https://app.example"}
	var set []*http.Cookie
	for _, line := range []string{
		"session=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
		"tracking=1; Path=/; Secure; SameSite=None",
		"widget=2; Path=/; Secure; SameSite=None; Partitioned",
		"wide=3; Domain=example", // a public suffix: ignored
	} {
		c, _ := http.ParseSetCookie(line)
		set = append(set, c)
	}
	store.Set(req, set)

	for _, c := range store.Get(req) {
		crossSiteOK := c.SameSite == http.SameSiteNoneMode
		fmt.Printf("%s partitioned=%v sent cross-site=%v\n", c.Name, c.Partitioned, crossSiteOK)
	}
	// Another top-level site reads another partition.
	req.Partition = "https://other.example"
	fmt.Println(len(store.Get(req)), "cookies for a page of another site")
	// Output:
	// session partitioned=false sent cross-site=false
	// tracking partitioned=false sent cross-site=true
	// widget partitioned=true sent cross-site=true
	// 2 cookies for a page of another site
}

// The store is an http.CookieJar for a first-party client.
func ExampleStore_Cookies() {
	var jar http.CookieJar = cookiestore.New(nil)
	u, _ := url.Parse("http://127.0.0.1:8000/")
	jar.SetCookies(u, []*http.Cookie{{Name: "a", Value: "1", Secure: true}}) // loopback counts as secure
	fmt.Println(jar.Cookies(u))
	// Output: [a=1]
}

// Cookies exported by curl -c (or a browser extension) in the Netscape
// format are read, imported, and written back.
func ExampleReadNetscape() {
	file := "# Netscape HTTP Cookie File\n" +
		".example.com\tTRUE\t/\tTRUE\t0\tsid\tabc\n" +
		"#HttpOnly_api.example.com\tFALSE\t/v1\tFALSE\t0\ttoken\txyz\n"
	cookies, err := cookiestore.ReadNetscape(strings.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	store := cookiestore.New(nil)
	if err := store.Import(cookies); err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range store.All() {
		fmt.Printf("%s for %s, host-only %v, HttpOnly %v\n", c.Name, c.Domain, c.HostOnly, c.HttpOnly)
	}
	cookiestore.WriteNetscape(os.Stdout, store.All())
	// Output:
	// sid for example.com, host-only false, HttpOnly false
	// token for api.example.com, host-only true, HttpOnly true
	// # Netscape HTTP Cookie File
	// # Written by github.com/corsfetch/corsfetch/cookiestore. This format has no SameSite and no partition.
	//
	// .example.com	TRUE	/	TRUE	0	sid	abc
	// #HttpOnly_api.example.com	FALSE	/v1	FALSE	0	token	xyz
}

// With Chromium's limits, a site past 180 cookies is purged down to 150,
// the cookies without Secure first.
func ExampleLimits() {
	chromium := cookiestore.Limits{
		PerDomain: 180, DomainPurge: 30, PartitionBytes: 10240, Total: 3300, TotalPurge: 300,
		KeepRecent: 30 * 24 * time.Hour, AccessInterval: time.Minute, Eviction: cookiestore.EvictChromium,
	}
	store := cookiestore.New(&cookiestore.Options{Limits: chromium})
	u, _ := url.Parse("https://www.example.com/")
	req := cookiestore.Request{URL: u, Secure: true}
	for i := range 181 {
		secure := i%2 == 0 // 91 Secure, 90 not
		store.Set(req, []*http.Cookie{{Name: fmt.Sprint("c", i), Value: "v", Secure: secure}})
	}
	secure := 0
	for _, c := range store.All() {
		if c.Secure {
			secure++
		}
	}
	fmt.Println(store.Len(), "cookies kept,", secure, "of them Secure")
	// Output: 150 cookies kept, 91 of them Secure
}
