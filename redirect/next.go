package redirect

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/corsfetch/corsfetch/origin"
)

// Request is the state of a request across hops that the redirect rules
// read. Package fetch keeps it up to date: it appends each followed
// location to URLs, applies each [Hop] to Method and HasBody, and increments
// Count.
type Request struct {
	// Origin is the request's origin: the page's origin.
	Origin origin.Origin
	// URLs is the request's URL list so far; the last one is the current
	// URL, the one that answered with the redirect. The URLs are http(s)
	// URLs as [Location] returns them and as fetch sends them.
	URLs []*url.URL
	// Method is the request's method, normalized (#concept-method-normalize):
	// the rewrite compares it byte for byte with "POST", "GET" and "HEAD".
	Method string
	// HasBody reports whether the request's body is non-null.
	HasBody bool
	// NoBodySource reports whether the body's source is null: a body that
	// cannot be read a second time (in Go: Body set and GetBody nil).
	NoBodySource bool
	// CORSMode reports whether the request's mode is "cors".
	CORSMode bool
	// CORSTainting reports whether the request's response tainting is
	// "cors". Once it is, it stays so for the rest of the chain, also when a
	// hop comes back to the page's origin.
	CORSTainting bool
	// Count is the request's redirect count: redirects followed so far.
	Count int
}

// Hop is what the next request looks like after a redirect.
type Hop struct {
	// URL is the location URL, to append to the URL list and send next.
	URL *url.URL
	// Method is the next request's method: "GET" after a rewrite, the
	// request's method otherwise.
	Method string
	// DropBody reports whether the body becomes null (the method rewrite).
	DropBody bool
	// DropHeaders lists the canonical names of the request headers to
	// delete before the next request: the request-body header names
	// (Content-Encoding, Content-Language, Content-Location, Content-Type)
	// and, for Go, Content-Length on a rewrite; Authorization on a
	// cross-origin hop unless [Policy.DangerouslyKeepAuthorization]. The
	// deletion is permanent: later hops never get them back. The slice is
	// shared between calls and must not be modified.
	DropHeaders []string
	// CrossOrigin reports whether the current URL's origin is not same
	// origin with the location URL's origin.
	CrossOrigin bool
	// Count is the redirect count after this hop (the request's Count + 1).
	Count int
}

// The lists returned in Hop.DropHeaders. Each is sliced to its length so
// that an append by a caller copies instead of writing into the next one.
var (
	dropBody     = []string{"Content-Encoding", "Content-Language", "Content-Location", "Content-Type", "Content-Length", "Authorization"}
	dropBodyOnly = dropBody[:5:5]
	dropAuthOnly = dropBody[5:6:6]
)

// Next applies the checks and rewrites of HTTP-redirect fetch, steps 6 to 13,
// to a redirect of r to loc (from [Location]) with the given redirect status.
// The errors wrap, in the standard's order:
//
//   - [ErrSchemeNotHTTP] (step 6: "scheme is not an HTTP(S) scheme");
//   - [ErrTooManyRedirects] (step 7: "redirect count is 20");
//   - [ErrContainsCredentials] (step 9: mode "cors", locationURL includes
//     credentials and the request's origin is not same origin with it; step
//     10: tainting "cors" and locationURL includes credentials);
//   - [ErrBodyNotReplayable] (step 11: status not 303, body non-null, source
//     null).
//
// Otherwise the [Hop]: step 12 rewrites the method to GET and drops the body
// and the request-body headers for 301 and 302 with POST and for 303 with any
// method but GET and HEAD (307 and 308 never rewrite); step 13 drops
// Authorization when the current URL's origin is not same origin with loc's.
// A status that is not a redirect status rewrites nothing. A nil loc is
// [ErrInvalidLocation]. An empty r.URLs counts as a cross-origin hop.
//
// [HTTP-redirect fetch]: https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
func Next(r Request, status int, loc *url.URL, p Policy) (Hop, error) {
	if loc == nil {
		return Hop{}, fmt.Errorf("%w: no location URL", ErrInvalidLocation)
	}
	// Step 6: "If locationURL's scheme is not an HTTP(S) scheme, then return
	// a network error."
	if !isHTTP(loc.Scheme) {
		return Hop{}, fmt.Errorf("%w: %q", ErrSchemeNotHTTP, loc.Scheme)
	}
	// Steps 7-8: "If request's redirect count is 20, then return a network
	// error." Otherwise increase it.
	if r.Count >= Max {
		return Hop{}, fmt.Errorf("%w: %d followed", ErrTooManyRedirects, r.Count)
	}
	if includesCredentials(loc) {
		// Step 9: mode "cors", credentials, and "request's origin is not
		// same origin with locationURL's origin".
		if r.CORSMode && !sameOriginAsURL(r.Origin, loc) {
			return Hop{}, fmt.Errorf("%w: cross-origin to the request's origin", ErrContainsCredentials)
		}
		// Step 10: "request's response tainting is "cors" and locationURL
		// includes credentials".
		if r.CORSTainting {
			return Hop{}, fmt.Errorf("%w: response tainting is cors", ErrContainsCredentials)
		}
	}
	// Step 11: "status is not 303, request's body is non-null, and request's
	// body's source is null".
	if status != 303 && r.HasBody && r.NoBodySource {
		return Hop{}, ErrBodyNotReplayable
	}
	h := Hop{URL: loc, Method: r.Method, Count: r.Count + 1}
	// Step 12: "301 or 302 and request's method is `POST`", or "303 and
	// request's method is not `GET` or `HEAD`": method GET, body null,
	// delete every request-body-header name.
	rewrite := false
	switch status {
	case 301, 302:
		rewrite = r.Method == "POST"
	case 303:
		rewrite = r.Method != "GET" && r.Method != "HEAD"
	}
	if rewrite {
		h.Method, h.DropBody = "GET", true
	}
	// Step 13: "If request's current URL's origin is not same origin with
	// locationURL's origin", delete the CORS non-wildcard request-header
	// names (Authorization).
	h.CrossOrigin = true
	if n := len(r.URLs); n > 0 {
		h.CrossOrigin = !sameOriginURLs(r.URLs[n-1], loc)
	}
	dropAuth := h.CrossOrigin && !p.DangerouslyKeepAuthorization
	switch {
	case rewrite && dropAuth:
		h.DropHeaders = dropBody
	case rewrite:
		h.DropHeaders = dropBodyOnly
	case dropAuth:
		h.DropHeaders = dropAuthOnly
	}
	return h, nil
}

// isHTTP reports whether scheme is an HTTP(S) scheme, ignoring ASCII case.
//
// [HTTP(S) scheme]: https://fetch.spec.whatwg.org/#http-scheme
func isHTTP(scheme string) bool {
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")
}

// includesCredentials reports whether u includes credentials: a non-empty
// username or password. A bare "@" is not credentials.
//
// [include credentials]: https://url.spec.whatwg.org/#include-credentials
func includesCredentials(u *url.URL) bool {
	if u.User == nil {
		return false
	}
	pw, _ := u.User.Password()
	return u.User.Username() != "" || pw != ""
}

// sameOriginURLs reports whether the origins of a and b are same origin. Two
// http(s) URLs with the same scheme and the same host field are, without
// computing either origin; anything else goes through [origin.FromURL].
//
// [same origin]: https://html.spec.whatwg.org/multipage/browsers.html#same-origin
func sameOriginURLs(a, b *url.URL) bool {
	return sameHTTPOriginFast(a, b) || origin.FromURL(a).SameOrigin(origin.FromURL(b))
}

// sameHTTPOriginFast reports whether a and b are http(s) URLs with the same
// scheme and the same non-empty host field, hence the same origin. False
// means nothing: the origins may still be the same.
func sameHTTPOriginFast(a, b *url.URL) bool {
	return isHTTP(a.Scheme) && strings.EqualFold(a.Scheme, b.Scheme) && a.Host == b.Host && a.Host != ""
}

// sameOriginAsURL reports whether o is same origin with u's origin. When u's
// scheme, host and port are written exactly as o serializes them the answer
// is yes without parsing u's host: a serialized host parses to itself.
func sameOriginAsURL(o origin.Origin, u *url.URL) bool {
	if o.IsZero() || o.IsOpaque() {
		return false
	}
	if o.Scheme() == u.Scheme && u.Hostname() == strings.Trim(o.Host(), "[]") {
		port, has := o.Port()
		switch up := u.Port(); {
		case up == "" && !has:
			return true
		case has && up != "":
			if n, err := strconv.Atoi(up); err == nil && n == port {
				return true
			}
		}
	}
	return o.SameOrigin(origin.FromURL(u))
}
