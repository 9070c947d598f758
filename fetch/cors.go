package fetch

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/corsfetch/corsfetch/internal/headerlist"
	"github.com/corsfetch/corsfetch/safelist"
)

// corsCheck runs the CORS check on the header list h of a response to a
// request whose byte-serialized origin is reqOrigin ("null" when tainted)
// and whose credentials mode is include or not (h has canonical keys: see
// canonicalHeader). On failure it returns the
// reason, classified as Chromium classifies it, and the value at fault.
//
// [CORS check]: https://fetch.spec.whatwg.org/#concept-cors-check
func corsCheck(h http.Header, reqOrigin string, include bool) (reason Reason, value string, ok bool) {
	// Step 1: origin is the result of getting Access-Control-Allow-Origin.
	values := h["Access-Control-Allow-Origin"]
	allow, present := headerlist.Get(values)
	// Step 2: "If origin is null, then return failure."
	if !present {
		return ReasonMissingAllowOriginHeader, "", false
	}
	// Step 3: without credentials, `*` succeeds.
	if !include && allow == "*" {
		return "", "", true
	}
	// Step 4: "If the result of byte-serializing a request origin with
	// request is not origin, then return failure."
	if allow != reqOrigin {
		return classifyAllowOrigin(allow, len(values)), allow, false
	}
	// Step 5: without credentials, success.
	if !include {
		return "", "", true
	}
	// Steps 6-7: Access-Control-Allow-Credentials must be exactly `true`.
	cred, _ := headerlist.Get(h["Access-Control-Allow-Credentials"])
	if cred == "true" {
		return "", "", true
	}
	return ReasonInvalidAllowCredentials, cred, false
}

// classifyAllowOrigin names the way an Access-Control-Allow-Origin value
// that is not the request's origin fails, in Chromium's terms
// (services/network/public/cpp/cors/cors.cc, CheckAccess).
func classifyAllowOrigin(allow string, fields int) Reason {
	switch {
	case allow == "*":
		return ReasonWildcardOriginNotAllowed
	case fields > 1 || strings.ContainsAny(allow, " ,"):
		return ReasonMultipleAllowOriginValues
	case allow == "null":
		return ReasonAllowOriginMismatch
	}
	if u, err := url.Parse(allow); err != nil || u.Scheme == "" || u.Host == "" {
		return ReasonInvalidAllowOriginValue
	}
	return ReasonAllowOriginMismatch
}

// basicHeader turns h into the header list of a basic filtered response:
// every field except Set-Cookie and Set-Cookie2. It works in place: h
// belongs to the internal response, which nobody else sees.
//
// [basic filtered response]: https://fetch.spec.whatwg.org/#concept-filtered-response-basic
func basicHeader(h http.Header) http.Header {
	for name := range h {
		if safelist.IsForbiddenResponseHeaderName(name) {
			delete(h, name)
		}
	}
	return h
}

// corsHeader turns h into the header list of a CORS filtered response: the
// fields whose name is a CORS-safelisted response-header name given the
// response's CORS-exposed header-name list, which main fetch builds from
// Access-Control-Expose-Headers: nothing extra when the header is absent or
// does not parse, every name when it lists `*` and the request has no
// credentials, and the listed names otherwise (`*` then only names itself).
// Like basicHeader, it works in place on the internal response's h.
//
// [CORS filtered response]: https://fetch.spec.whatwg.org/#concept-filtered-response-cors
// [main fetch]: https://fetch.spec.whatwg.org/#concept-main-fetch
func corsHeader(h http.Header, include bool) http.Header {
	x := exposureOf(h, include)
	for name := range h {
		if !x.visible(name) {
			delete(h, name)
		}
	}
	return h
}

// corsExposure is what a CORS filtered response's header list keeps
// besides the CORS-safelisted response-header names: the CORS-exposed
// header-name list main fetch makes of Access-Control-Expose-Headers (see
// corsHeader).
type corsExposure struct {
	elems  headerlist.Elements
	status headerlist.Status
	all    bool // `*`, without credentials: every name
}

// exposureOf returns the exposure of the response header h to a request
// with credentials (include) or without.
func exposureOf(h http.Header, include bool) corsExposure {
	elems, status := headerlist.ExtractTokens(h["Access-Control-Expose-Headers"])
	return corsExposure{elems: elems, status: status, all: status == headerlist.Parsed && !include && elems.Contains("*")}
}

// visible reports whether the fields named name are in the CORS filtered
// response's header list.
func (x *corsExposure) visible(name string) bool {
	return !safelist.IsForbiddenResponseHeaderName(name) &&
		(x.all || safelist.IsResponseHeaderName(name) || (x.status == headerlist.Parsed && x.elems.ContainsFold(name)))
}
