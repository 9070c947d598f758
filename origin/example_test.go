package origin_test

import (
	"fmt"
	"net/url"

	"github.com/corsfetch/corsfetch/origin"
)

func ExampleParse() {
	page := origin.MustParse("https://app.example:8443")
	fmt.Println(page)

	// A trailing slash is the most common mistake in an allow-list; a
	// browser's Origin header never has one.
	_, err := origin.Parse("https://app.example/")
	fmt.Println(err)
	// Output:
	// https://app.example:8443
	// origin: "https://app.example/" is not a serialized origin: trailing slash (an origin has no path)
}

func ExampleFromURL() {
	for _, s := range []string{
		"https://API.example:443/v1/users",
		"http://bücher.example/",
		"http://[0:0::1]:8080/",
		"data:text/plain,hello",
	} {
		u, _ := url.Parse(s)
		fmt.Println(origin.FromURL(u))
	}
	// Output:
	// https://api.example
	// http://xn--bcher-kva.example
	// http://[::1]:8080
	// null
}

func ExampleOrigin_SameSite() {
	page := origin.MustParse("http://127.0.0.1:8080")
	for _, s := range []string{"http://127.0.0.1:9090", "http://127.0.0.2:8080", "https://127.0.0.1:8080"} {
		o := origin.MustParse(s)
		fmt.Printf("%s same origin: %v, same site: %v\n", o, page.SameOrigin(o), page.SameSite(o))
	}
	// Output:
	// http://127.0.0.1:9090 same origin: false, same site: true
	// http://127.0.0.2:8080 same origin: false, same site: false
	// https://127.0.0.1:8080 same origin: false, same site: false
}

func ExampleNewOpaque() {
	a, b := origin.NewOpaque(), origin.NewOpaque()
	copyOfA := a
	fmt.Println(a, copyOfA == a, a == b)
	// Output: null true false
}
