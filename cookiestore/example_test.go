package cookiestore_test

import (
	"fmt"
	"net/http"
	"net/url"

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
