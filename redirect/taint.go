package redirect

import (
	"net/url"
	"strconv"

	"github.com/corsfetch/corsfetch/origin"
)

// Taint is a request's redirect-taint: how far the chain of URLs the request
// went through has moved away from its origin. Anything but SameOrigin
// serializes the request's origin as "null" (see [SerializeOrigin]); the
// three values also feed cookie SameSite decisions.
//
// [redirect-taint]: https://fetch.spec.whatwg.org/#concept-request-tainted-origin
type Taint uint8

// The redirect-taint values, in increasing order of taint.
const (
	SameOrigin Taint = iota // "same-origin": untainted
	SameSite                // "same-site"
	CrossSite               // "cross-site"
)

// String returns the standard's name of t: "same-origin", "same-site" or
// "cross-site".
func (t Taint) String() string {
	switch t {
	case SameOrigin:
		return "same-origin"
	case SameSite:
		return "same-site"
	case CrossSite:
		return "cross-site"
	}
	return "Taint(" + strconv.Itoa(int(t)) + ")"
}

// TaintOf returns the redirect-taint of a request whose origin is o and whose
// URL list is urls. For each consecutive pair (last, next):
//
//   - if next's origin is not same site with last's and o is not same site
//     with last's, the taint is CrossSite;
//   - otherwise, if next's origin is not same origin with last's and o is not
//     same origin with last's, it is at least SameSite.
//
// So a hop that leaves o's own origin never taints; a hop from an origin
// that is not o's to any other origin does: A→B is untainted, A→B→B too,
// A→B→C and A→B→A are cross-site when B is cross-site to A, and A→P→A is
// same-site when P is same site with A. The URLs are http(s) URLs as
// [Location] returns them and fetch sends them.
//
// [redirect-taint]: https://fetch.spec.whatwg.org/#concept-request-tainted-origin
func TaintOf(o origin.Origin, urls []*url.URL) Taint {
	// Step 1: "Let taint be "same-origin"."
	taint := SameOrigin
	// Step 2: "Let lastURL be null"; step 3: for each url of the URL list.
	for i := 1; i < len(urls); i++ {
		last, next := urls[i-1], urls[i]
		// Both conditions below require url not to be same site (or same
		// origin) with lastURL, and o not to be same site (or same origin)
		// with lastURL; same origin implies same site. These two checks
		// need no host parsing for URLs written in canonical form.
		if sameHTTPOriginFast(last, next) || sameOriginAsURL(o, last) {
			continue
		}
		lastO, nextO := origin.FromURL(last), origin.FromURL(next)
		// Step 3.2: "If url's origin is not same site with lastURL's
		// origin and request's origin is not same site with lastURL's
		// origin, then return "cross-site"."
		if !nextO.SameSite(lastO) && !o.SameSite(lastO) {
			return CrossSite
		}
		// Step 3.3: "If url's origin is not same origin with lastURL's
		// origin and request's origin is not same origin with lastURL's
		// origin, then set taint to "same-site"."
		if !nextO.SameOrigin(lastO) && !o.SameOrigin(lastO) {
			taint = SameSite
		}
	}
	return taint
}

// SerializeOrigin returns the serialized request origin of a request whose
// origin is o and whose URL list is urls: "null" when its redirect-taint is
// not SameOrigin, o's ASCII serialization otherwise. This is the value of the
// Origin header, of the CORS check's comparison and of the preflight-cache
// key.
//
// [serializing a request origin]: https://fetch.spec.whatwg.org/#serializing-a-request-origin
func SerializeOrigin(o origin.Origin, urls []*url.URL) string {
	// Step 1: "If request's redirect-taint is not "same-origin", then
	// return "null"."
	if TaintOf(o, urls) != SameOrigin {
		return "null"
	}
	// Step 2: "Return request's origin, serialized."
	return o.String()
}
