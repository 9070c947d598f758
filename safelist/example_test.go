package safelist_test

import (
	"fmt"
	"net/http"

	"github.com/corsfetch/corsfetch/safelist"
)

// A request needs a CORS preflight when its method is not safelisted or it
// has CORS-unsafe request-header names; those names are what the preflight's
// Access-Control-Request-Headers lists.
func ExampleUnsafeRequestHeaderNames() {
	h := http.Header{}
	h.Set("Accept", "*/*")
	h.Set("Content-Type", "application/json") // not one of the three form types
	h.Set("X-Requested-With", "XMLHttpRequest")
	h.Set("Content-Language", "en")
	fmt.Println(safelist.UnsafeRequestHeaderNames(h))
	// Output: [content-type x-requested-with]
}

func ExampleIsRequestHeader() {
	fmt.Println(safelist.IsRequestHeader("Content-Type", "text/plain;charset=UTF-8"))
	// The double quote is a CORS-unsafe request-header byte.
	fmt.Println(safelist.IsRequestHeader("Content-Type", `text/plain; charset="UTF-8"`))
	// A suffix range has no start.
	fmt.Println(safelist.IsRequestHeader("Range", "bytes=-500"))
	// Output:
	// true
	// false
	// false
}

func ExampleNormalizeMethod() {
	for _, m := range []string{"get", "patch", "Delete"} {
		n := safelist.NormalizeMethod(m)
		fmt.Printf("%s -> %s (safelisted: %v)\n", m, n, safelist.IsMethod(n))
	}
	// Output:
	// get -> GET (safelisted: true)
	// patch -> patch (safelisted: false)
	// Delete -> DELETE (safelisted: false)
}

func ExampleIsForbiddenRequestHeader() {
	fmt.Println(safelist.IsForbiddenRequestHeader("Origin", "https://evil.example"))
	fmt.Println(safelist.IsForbiddenRequestHeader("X-HTTP-Method-Override", "PATCH"))
	fmt.Println(safelist.IsForbiddenRequestHeader("X-HTTP-Method-Override", "GET, TRACE"))
	// Output:
	// true
	// false
	// true
}

func ExampleIsExposed() {
	// The server sent Access-Control-Expose-Headers: X-Total-Count, Set-Cookie
	exposed := []string{"X-Total-Count", "Set-Cookie"}
	for _, name := range []string{"Content-Type", "X-Total-Count", "Set-Cookie", "Date"} {
		fmt.Println(name, safelist.IsExposed(name, exposed))
	}
	// Output:
	// Content-Type true
	// X-Total-Count true
	// Set-Cookie false
	// Date false
}
