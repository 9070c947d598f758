package redirect_test

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/corsfetch/corsfetch/origin"
	"github.com/corsfetch/corsfetch/redirect"
)

// Example follows a POST from the page at http://127.0.0.1:8000 through a
// 303 on B to C, the way package fetch drives this package: Location, then
// Next, then the request's new state and its serialized origin.
func Example() {
	page := origin.MustParse("http://127.0.0.1:8000")
	first, _ := url.Parse("http://127.0.0.2:8001/form")
	req := redirect.Request{
		Origin: page, URLs: []*url.URL{first}, Method: "POST", HasBody: true,
		CORSMode: true, CORSTainting: true,
	}
	chromium := redirect.Policy{Fields: redirect.FieldsIdentical, Empty: redirect.EmptyNoRedirect}

	// B answers 303 with a relative Location to C.
	h := http.Header{"Location": {"//127.0.0.3:8002/done"}}
	loc, err := redirect.Location(303, h, first, chromium)
	if err != nil {
		fmt.Println(err)
		return
	}
	hop, err := redirect.Next(req, 303, loc, chromium)
	if err != nil {
		fmt.Println(err)
		return
	}
	req.URLs = append(req.URLs, hop.URL)
	req.Method, req.HasBody, req.Count = hop.Method, req.HasBody && !hop.DropBody, hop.Count

	fmt.Println(hop.Method, hop.URL, "cross-origin:", hop.CrossOrigin)
	fmt.Println("delete:", hop.DropHeaders)
	fmt.Println("taint:", redirect.TaintOf(page, req.URLs), "Origin:", redirect.SerializeOrigin(page, req.URLs))

	// A Location with credentials is refused on a CORS request.
	bad, _ := url.Parse("http://user:pw@127.0.0.3:8002/")
	_, err = redirect.Next(req, 302, bad, chromium)
	fmt.Println(err)
	// Output:
	// GET http://127.0.0.3:8002/done cross-origin: true
	// delete: [Content-Encoding Content-Language Content-Location Content-Type Content-Length Authorization]
	// taint: cross-site Origin: null
	// redirect: location URL includes credentials: cross-origin to the request's origin
}
